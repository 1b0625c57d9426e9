#!/usr/bin/env bash
# Run a real Spark standalone cluster (one Master, N Workers, each its own
# JVM) on this machine, bound to 127.0.0.1 only, without a Spark download.
#
# When SPARK_HOME is not a Spark installation, one is assembled once under
# <repo>/target/spark-home from Maven Central (spark-core and its runtime
# dependencies, see submit/spark-home/pom.xml) plus a quiet conf/.
#
# Typical use:
#   submit/standalone-cluster.sh start          # prints spark://127.0.0.1:7077
#   SPARK_HOME=$(submit/standalone-cluster.sh spark-home)
#   java <Java 17 --add-opens flags> -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" \
#     org.apache.spark.deploy.SparkSubmit --master spark://127.0.0.1:7077 ...
#   submit/standalone-cluster.sh status
#   submit/standalone-cluster.sh stop
# (export SPARK_LOCAL_IP=127.0.0.1 and SPARK_SCALA_VERSION=2.12 for the
# driver too). Run "submit/standalone-cluster.sh help" for all settings.
set -euo pipefail

SCRIPT_NAME=$(basename -- "${BASH_SOURCE[0]}")
SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
TARGET_DIR="$REPO_DIR/target"

ASSEMBLY_POM="$SCRIPT_DIR/spark-home/pom.xml"
ASSEMBLED_HOME="$TARGET_DIR/spark-home"
# Bump when the layout written by assemble_spark_home changes.
ASSEMBLY_LAYOUT=1

STATE_DIR="${SPARK_CLUSTER_STATE_DIR:-$TARGET_DIR/standalone-cluster}"
[[ $STATE_DIR == /* ]] || STATE_DIR="$PWD/$STATE_DIR"
PID_DIR="$STATE_DIR/pids"
LOG_DIR="$STATE_DIR/logs"
WORK_DIR="$STATE_DIR/work"
CLUSTER_INFO="$STATE_DIR/cluster.info"

BIND_HOST=127.0.0.1
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-8081}"
WORKERS="${WORKERS:-2}"
WORKER_CORES="${WORKER_CORES:-1}"
WORKER_MEMORY="${WORKER_MEMORY:-2g}"
DAEMON_MEMORY="${SPARK_DAEMON_MEMORY:-1g}"
# Extra JVM options for the Master/Worker daemons (split on spaces). The
# daemons only coordinate, so the C1 JIT and the serial GC suffice; on two
# busy cores that halves the CPU they burn while starting (about 13 s -> 7 s)
# and shortens "start" accordingly. Executors are not affected.
DAEMON_JAVA_OPTS="${SPARK_DAEMON_JAVA_OPTS-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}"
START_TIMEOUT="${START_TIMEOUT:-90}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"

MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker
# What a Worker forks: executors, and drivers in --deploy-mode cluster.
CHILD_CLASSES=(
  org.apache.spark.executor.CoarseGrainedExecutorBackend
  org.apache.spark.deploy.worker.DriverWrapper
)

# The --add-opens set that Spark 3.5's launcher adds on Java 17
# (org.apache.spark.launcher.JavaModuleOptions): the project's shared list in
# submit/java17-flags (one flag a line) when it is there, else the same list
# built in.
JAVA_MODULE_OPTS=()
if [[ -f $SCRIPT_DIR/java17-flags ]]; then
  while IFS= read -r flag || [[ -n $flag ]]; do
    flag=${flag%%#*}
    flag=${flag//[[:space:]]/}
    [[ -z $flag ]] || JAVA_MODULE_OPTS+=("$flag")
  done <"$SCRIPT_DIR/java17-flags"
  unset flag
fi
if ((${#JAVA_MODULE_OPTS[@]} == 0)); then
  JAVA_MODULE_OPTS=(-XX:+IgnoreUnrecognizedVMOptions)
  for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net \
    java.nio java.util java.util.concurrent java.util.concurrent.atomic \
    jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    JAVA_MODULE_OPTS+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
  done
  unset pkg
  JAVA_MODULE_OPTS+=(-Djdk.reflect.useDirectMethodHandle=false)
fi

# Every daemon carries this property, so that stop/status recognise exactly
# the JVMs started from this state directory and nothing else.
MARKER_OPT="-Dspark-mnist.standalone-cluster=$STATE_DIR"

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME COMMAND [OPTIONS]

Runs a Spark standalone cluster (1 Master + N Workers, separate JVMs) bound to
$BIND_HOST, for submitting jobs to spark://$BIND_HOST:$MASTER_PORT.

Commands:
  start [--workers N] [--cores N] [--memory SIZE] [--timeout SECONDS]
              Start the Master and N Workers, wait until the Master sees all
              N Workers ALIVE, and print the master URL. Fails (exit 1, and
              stops what it started) on timeout or when a daemon dies.
  stop [--timeout SECONDS] [--orphans]
              Stop the daemons this script started (by recorded PID) and the
              executors/drivers those Workers forked; SIGKILL after the
              timeout. Exits 0 when nothing is running. --orphans also stops
              this cluster's daemons whose pid files were deleted (they are
              recognised by their main class plus a -D marker naming this
              state directory; nothing else is ever matched).
  status      Show each daemon and the Workers the Master sees.
              Exit 0: all running; 1: some daemons died; 3: not running.
  spark-home  Print the SPARK_HOME in use (assembling it first if needed).
  master-url  Print the master URL.
  help        Show this message.

Environment (defaults in brackets):
  SPARK_HOME               a Spark install (bin/spark-submit or jars/spark-core_*.jar);
                           otherwise one is assembled under target/spark-home
  WORKERS [2]  WORKER_CORES [1]  WORKER_MEMORY [2g]   per Worker
  SPARK_MASTER_PORT [7077]  SPARK_MASTER_WEBUI_PORT [8080]
  SPARK_WORKER_WEBUI_PORT [8081]  (Worker i gets this + i - 1)
  SPARK_DAEMON_MEMORY [1g]  heap of the Master/Worker daemons themselves
  SPARK_DAEMON_JAVA_OPTS [-XX:TieredStopAtLevel=1 -XX:+UseSerialGC]
                           extra JVM options for the Master/Worker daemons
  START_TIMEOUT [90]  STOP_TIMEOUT [30]               seconds
  SPARK_CLUSTER_STATE_DIR [target/standalone-cluster] pids/, logs/, work/
  JAVA_HOME                java to use (else java on PATH)
  MVN [mvn]                Maven used for the one-time assembly
EOF
}

info() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 1
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# ---------------------------------------------------------------- SPARK_HOME

is_spark_install() {
  local dir=$1
  [[ -d $dir ]] || return 1
  [[ -x $dir/bin/spark-submit ]] && return 0
  compgen -G "$dir/jars/spark-core_*.jar" >/dev/null
}

assembly_stamp() {
  local pom_sum
  pom_sum=$(sha256sum "$ASSEMBLY_POM" | cut -d' ' -f1)
  printf 'layout=%s pom-sha256=%s\n' "$ASSEMBLY_LAYOUT" "$pom_sum"
}

assembly_is_current() {
  [[ -f $ASSEMBLED_HOME/ASSEMBLY ]] && is_spark_install "$ASSEMBLED_HOME" &&
    [[ "$(cat "$ASSEMBLED_HOME/ASSEMBLY")" == "$(assembly_stamp)" ]]
}

write_log4j2_conf() {
  cat >"$1" <<'EOF'
# Written by submit/standalone-cluster.sh. Daemons and executors log warnings
# and errors only, plus the few lifecycle lines of the Master/Worker (worker
# registered, application registered, executor launched/exited).
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console

appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex

logger.master.name = org.apache.spark.deploy.master.Master
logger.master.level = info
logger.worker.name = org.apache.spark.deploy.worker.Worker
logger.worker.level = info
logger.runner.name = org.apache.spark.deploy.worker.ExecutorRunner
logger.runner.level = info

# Noise that is expected here.
logger.hadoopnative.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoopnative.level = error
EOF
}

# Builds <repo>/target/spark-home from Maven jars, once. Built in a temp dir
# next to it and renamed into place, under a lock, so that an interrupted or
# concurrent run never leaves a half-filled SPARK_HOME behind.
assemble_spark_home() {
  assembly_is_current && return 0
  [[ -f $ASSEMBLY_POM ]] || die "missing $ASSEMBLY_POM"
  local mvn=${MVN:-mvn}
  command -v "$mvn" >/dev/null || die "Maven ('$mvn') is needed to assemble SPARK_HOME; or set SPARK_HOME to a Spark install"
  mkdir -p "$TARGET_DIR"

  local lock_fd
  exec {lock_fd}>"$TARGET_DIR/.spark-home.lock"
  flock "$lock_fd"
  if assembly_is_current; then # someone else finished it meanwhile
    exec {lock_fd}>&-
    return 0
  fi
  if is_spark_install "$ASSEMBLED_HOME" && cluster_is_running; then
    exec {lock_fd}>&-
    info "warning: $ASSEMBLED_HOME is out of date (submit/spark-home/pom.xml changed) but a cluster runs from it; it is rebuilt on the next start after '$SCRIPT_NAME stop'"
    return 0
  fi

  local tmp log=$TARGET_DIR/spark-home-assembly.log
  tmp=$(mktemp -d "$TARGET_DIR/.spark-home.XXXXXX")
  info "assembling SPARK_HOME in $ASSEMBLED_HOME from Maven (one-time, ~180 MB; log: $log)"
  if ! "$mvn" -B -f "$ASSEMBLY_POM" package "-Dspark.home.jars=$tmp/jars" >"$log" 2>&1; then
    rm -rf "$tmp"
    exec {lock_fd}>&-
    die "Maven failed to assemble SPARK_HOME; see $log"
  fi
  is_spark_install "$tmp" || {
    rm -rf "$tmp"
    exec {lock_fd}>&-
    die "Maven ran but no spark-core jar landed in $tmp/jars; see $log"
  }
  mkdir -p "$tmp/conf" "$tmp/launcher/target/scala-2.12"
  write_log4j2_conf "$tmp/conf/log4j2.properties"
  # Spark's launcher (also used by Workers to build executor command lines)
  # needs the Scala version: from SPARK_SCALA_VERSION, or else from this
  # directory, which a Spark source build has. Having it here keeps drivers
  # that forget the variable (e.g. local-cluster[...] in tests) working.
  printf 'Spark %s assembled from Maven jars by submit/standalone-cluster.sh\n' \
    "$(basename "$(compgen -G "$tmp/jars/spark-core_*.jar" | head -n1)" .jar)" >"$tmp/RELEASE"
  assembly_stamp >"$tmp/ASSEMBLY"
  chmod 755 "$tmp"

  if [[ -e $ASSEMBLED_HOME ]]; then
    local old
    old=$(mktemp -d "$TARGET_DIR/.spark-home.old.XXXXXX")
    mv -T "$ASSEMBLED_HOME" "$old/home"
    mv -T "$tmp" "$ASSEMBLED_HOME"
    rm -rf "$old"
  else
    mv -T "$tmp" "$ASSEMBLED_HOME"
  fi
  exec {lock_fd}>&-
  info "SPARK_HOME ready: $ASSEMBLED_HOME ($(find "$ASSEMBLED_HOME/jars" -name '*.jar' | wc -l) jars)"
}

# Sets SPARK_HOME to a usable Spark install.
resolve_spark_home() {
  if [[ -n ${SPARK_HOME:-} ]]; then
    if is_spark_install "$SPARK_HOME"; then
      SPARK_HOME=$(cd -- "$SPARK_HOME" && pwd -P)
      return 0
    fi
    info "SPARK_HOME=$SPARK_HOME is not a Spark install (no bin/spark-submit or jars/spark-core_*.jar); using $ASSEMBLED_HOME"
  fi
  assemble_spark_home
  SPARK_HOME=$ASSEMBLED_HOME
}

# ------------------------------------------------------------------ processes

# Start time of a process in clock ticks since boot (field 22 of
# /proc/PID/stat); with the PID it identifies a process across PID reuse.
proc_starttime() {
  local stat rest
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  rest=${stat##*) }
  local -a fields
  read -r -a fields <<<"$rest"
  printf '%s\n' "${fields[19]}"
}

# True while the process PID that started at START has not exited. (A JVM
# that is exiting loses its command line before it closes its sockets, and
# an exited child of an init that does not reap stays a zombie, so neither
# the command line nor the mere PID tell whether it is gone.)
proc_alive() {
  local stat rest
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  rest=${stat##*) }
  local -a fields
  read -r -a fields <<<"$rest"
  [[ ${fields[19]} == "$2" && ${fields[0]} != [ZX] ]]
}

# True if PID is a java process whose command line has CLASS as an argument
# (and, if given, the MARKER argument too).
proc_is_java_with() {
  local pid=$1 class=$2 marker=${3:-} args exe
  [[ -r /proc/$pid/cmdline ]] || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || exe=
  args=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ ${exe##*/} == java || $(head -n1 <<<"$args") == *java ]] || return 1
  grep -qxF -- "$class" <<<"$args" || return 1
  [[ -z $marker ]] || grep -qxF -- "$marker" <<<"$args"
}

# A pid file holds "PID STARTTIME MAINCLASS". Prints the PID if that very
# process is still alive and is ours.
pidfile_live_pid() {
  local file=$1 pid start class marker=${2:-$MARKER_OPT}
  [[ -f $file ]] || return 1
  read -r pid start class <"$file" || true
  is_uint "${pid:-}" && [[ -n ${start:-} && -n ${class:-} ]] || return 1
  proc_alive "$pid" "$start" || return 1
  proc_is_java_with "$pid" "$class" "$marker" || return 1
  printf '%s\n' "$pid"
}

# The pid files, master first, then worker-1, worker-2, ...
daemon_pidfiles() {
  [[ ! -f $PID_DIR/master.pid ]] || printf '%s\n' "$PID_DIR/master.pid"
  { compgen -G "$PID_DIR/*.pid" || true; } | grep -v '/master\.pid$' | sort -V || true
}

cluster_is_running() {
  local f
  while IFS= read -r f; do
    [[ -n $f ]] || continue
    pidfile_live_pid "$f" >/dev/null && return 0
  done < <(daemon_pidfiles)
  return 1
}

# Children of PID that are Spark executors or drivers forked by a Worker.
worker_children() {
  local parent=$1 d p c stat rest
  local -a fields
  for d in /proc/[0-9]*; do
    { read -r stat <"$d/stat"; } 2>/dev/null || continue
    rest=${stat##*) }
    read -r -a fields <<<"$rest"
    [[ ${fields[1]:-} == "$parent" ]] || continue
    p=${d#/proc/}
    for c in "${CHILD_CLASSES[@]}"; do
      if proc_is_java_with "$p" "$c"; then
        printf '%s %s\n' "$p" "$c"
        break
      fi
    done
  done
}

# Master/Worker JVMs that carry this state directory's marker but have no
# pid file any more (e.g. "mvn clean" deleted target/ under a running
# cluster). Prints "PID MAINCLASS" lines.
find_orphans() {
  local known=' ' f p d pid class
  while IFS= read -r f; do
    [[ -n $f ]] || continue
    read -r p _ <"$f" || continue
    known+="$p "
  done < <(daemon_pidfiles)
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $known == *" $pid "* ]] && continue
    grep -qaF -- "$MARKER_OPT" "$d/cmdline" 2>/dev/null || continue
    for class in "$MASTER_CLASS" "$WORKER_CLASS"; do
      if proc_is_java_with "$pid" "$class" "$MARKER_OPT"; then
        printf '%s %s\n' "$pid" "$class"
        break
      fi
    done
  done
}

# Gives orphans pid files again, so that stop_cluster handles them.
adopt_orphans() {
  local pid class start n=0
  mkdir -p "$PID_DIR"
  while read -r pid class; do
    [[ -n $pid ]] || continue
    start=$(proc_starttime "$pid") || continue
    if [[ $class == "$WORKER_CLASS" ]]; then
      printf '%s %s %s\n' "$pid" "$start" "$class" >"$PID_DIR/worker-orphan-$pid.pid"
    else
      printf '%s %s %s\n' "$pid" "$start" "$class" >"$PID_DIR/master-orphan-$pid.pid"
    fi
    n=$((n + 1))
  done < <(find_orphans)
  ((n == 0)) || info "adopted $n orphaned daemon(s) of $STATE_DIR"
}

orphan_hint() {
  local orphans
  orphans=$(find_orphans | awk '{sub(/.*\./, "", $2); printf "%s%s(%s)", sep, $2, $1; sep=" "}')
  [[ -n $orphans ]] || return 1
  printf 'daemons of this cluster run without pid files (target/ cleaned?): %s; stop them with "%s stop --orphans"' "$orphans" "$SCRIPT_NAME"
}

# launch_daemon NAME MAINCLASS ARGS... : start one detached daemon JVM.
launch_daemon() {
  local name=$1 class=$2
  shift 2
  local pidfile="$PID_DIR/$name.pid" log="$LOG_DIR/$name.log"
  local early="$PID_DIR/.$name.pid.tmp"
  rm -f "$early"
  local -a daemon_opts=()
  read -r -a daemon_opts <<<"$DAEMON_JAVA_OPTS"
  printf '\n===== %s starting %s at %s\n' "$SCRIPT_NAME" "$name" "$(date -Is)" >>"$log"
  # setsid: own session, so the daemon outlives this shell and its terminal.
  # The inner sh writes its own PID (which exec turns into the JVM's).
  # shellcheck disable=SC2016 # $$ and $@ are for the inner sh
  setsid sh -c 'echo $$ >"$0"; exec "$@"' "$early" \
    "$JAVA" "-Xmx$DAEMON_MEMORY" "${JAVA_MODULE_OPTS[@]}" "${daemon_opts[@]}" "$MARKER_OPT" \
    -Dspark.port.maxRetries=0 \
    -cp "$SPARK_CONF_DIR:$SPARK_HOME/jars/*" "$class" "$@" \
    </dev/null >>"$log" 2>&1 &
  local i pid=
  for ((i = 0; i < 200; i++)); do
    if [[ -s $early ]]; then
      pid=$(cat "$early")
      is_uint "$pid" && break
    fi
    sleep 0.05
  done
  rm -f "$early"
  is_uint "$pid" || start_failed "could not launch $name (log: $log)"
  local start
  start=$(proc_starttime "$pid") || start_failed "$name exited at once: $(log_hint "$log") (log: $log)"
  printf '%s %s %s\n' "$pid" "$start" "$class" >"$pidfile"
}

# Last meaningful line of a daemon log, for one-line failure messages.
log_hint() {
  local log=$1 line
  [[ -f $log ]] || return 0
  local run # the part of the log written since the last start
  run=$(awk '/^===== .* starting /{buf=""; next} {buf = buf $0 "\n"} END{printf "%s", buf}' "$log")
  # The last error line, plus the line after it unless that is a stack frame
  # (the JVM puts its reason there: "Error occurred during initialization
  # of VM" / "Too small maximum heap").
  line=$(grep -E -A1 'ERROR|Exception|Error|Failed|failed|Invalid|Could not' <<<"$run" |
    grep -vE '^(--|[[:space:]]+at .*|[[:space:]]*)$' | tail -n2 | paste -sd' ' - || true)
  [[ -n $line ]] || line=$(grep -v '^[[:space:]]*$' <<<"$run" | tail -n1 || true)
  printf '%s' "${line:0:300}"
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/$BIND_HOST/$port") 2>/dev/null
  fi
}

master_json() {
  curl -fsS --max-time 3 "http://$BIND_HOST:$MASTER_WEBUI_PORT/json/" 2>/dev/null
}

# Number of ALIVE workers in the master's /json/ answer.
json_alive_workers() {
  local n
  n=$(sed -n 's/.*"aliveworkers"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p' <<<"$1" | head -n1)
  printf '%s\n' "${n:-0}"
}

json_master_status() {
  sed -n 's/.*"status"[[:space:]]*:[[:space:]]*"\([A-Z_]*\)".*/\1/p' <<<"$1" | head -n1
}

json_master_url() {
  sed -n 's/.*"url"[[:space:]]*:[[:space:]]*"\(spark:[^"]*\)".*/\1/p' <<<"$1" | head -n1
}

# One line per worker the master knows: id, host:port, state, cores, memory.
json_worker_lines() {
  if command -v jq >/dev/null; then
    jq -r '.workers[]? | "\(.id)  \(.host):\(.port)  \(.state)  cores \(.coresused)/\(.cores) used  memory \(.memoryused)/\(.memory) MB used"' <<<"$1" 2>/dev/null
    return 0
  fi
  # Without jq: the objects of the "workers" array, one key per line as
  # Spark pretty-prints them.
  awk '
    /"workers"[[:space:]]*:/ { inw = !/\]/; next }
    inw && /^  [^ ]/ && /\]/ { inw = 0 }
    inw && /"id"/ { gsub(/[",]/, "", $3); id = $3 }
    inw && /"host"/ { gsub(/[",]/, "", $3); host = $3 }
    inw && /"port"/ { gsub(/[",]/, "", $3); port = $3 }
    inw && /"state"/ { gsub(/[",]/, "", $3); state = $3; print id "  " host ":" port "  " state }
  ' <<<"$1"
}

write_cluster_info() {
  cat >"$CLUSTER_INFO" <<EOF
master_url=spark://$BIND_HOST:$MASTER_PORT
master_webui_port=$MASTER_WEBUI_PORT
spark_home=$SPARK_HOME
workers=$WORKERS
started=$(date -Is)
EOF
}

# Reads a key from the info file of the running (or last) cluster.
cluster_info() {
  [[ -f $CLUSTER_INFO ]] || return 1
  sed -n "s/^$1=//p" "$CLUSTER_INFO" | head -n1
}

# ---------------------------------------------------------------- commands

START_STARTED=0

start_failed() {
  local reason=$1
  if ((START_STARTED)); then
    (stop_cluster quiet) >/dev/null 2>&1 || true
  fi
  die "$reason"
}

cmd_start() {
  while (($#)); do
    case $1 in
      --workers) WORKERS=${2:?--workers needs a value}; shift 2 ;;
      --workers=*) WORKERS=${1#*=}; shift ;;
      --cores) WORKER_CORES=${2:?--cores needs a value}; shift 2 ;;
      --cores=*) WORKER_CORES=${1#*=}; shift ;;
      --memory) WORKER_MEMORY=${2:?--memory needs a value}; shift 2 ;;
      --memory=*) WORKER_MEMORY=${1#*=}; shift ;;
      --timeout) START_TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
      --timeout=*) START_TIMEOUT=${1#*=}; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "start: unknown option '$1'" ;;
    esac
  done
  [[ $WORKERS =~ ^[1-9][0-9]*$ ]] || die "workers must be a positive integer, got '$WORKERS'"
  [[ $WORKER_CORES =~ ^[1-9][0-9]*$ ]] || die "cores must be a positive integer, got '$WORKER_CORES'"
  [[ $WORKER_MEMORY =~ ^[0-9]+[mMgG]$ ]] || die "memory must look like 512m or 2g, got '$WORKER_MEMORY'"
  is_uint "$START_TIMEOUT" || die "timeout must be whole seconds, got '$START_TIMEOUT'"
  local p
  for p in "$MASTER_PORT" "$MASTER_WEBUI_PORT" "$WORKER_WEBUI_PORT"; do
    if ! [[ $p =~ ^[1-9][0-9]{3,4}$ ]] || ((p < 1024 || p > 65535 - WORKERS)); then
      die "ports must be numbers in 1024..65535 (worker UIs use SPARK_WORKER_WEBUI_PORT + 0..N-1), got '$p'"
    fi
  done

  mkdir -p "$PID_DIR" "$LOG_DIR" "$WORK_DIR"
  if cluster_is_running; then
    die "a cluster started by this script is already running ($(cluster_info master_url || echo "state in $STATE_DIR")); run '$SCRIPT_NAME stop' first"
  fi
  local hint
  if hint=$(orphan_hint); then die "$hint"; fi
  # Leftovers of a cluster that died on its own.
  rm -f "$PID_DIR"/*.pid

  command -v curl >/dev/null || die "curl is needed to watch the master"
  JAVA=${JAVA_HOME:+$JAVA_HOME/bin/java}
  JAVA=${JAVA:-java}
  command -v "$JAVA" >/dev/null || die "no java found (set JAVA_HOME or put java on PATH)"

  resolve_spark_home
  export SPARK_HOME
  export SPARK_SCALA_VERSION=2.12
  export SPARK_LOCAL_IP=$BIND_HOST
  export SPARK_LOCAL_HOSTNAME=$BIND_HOST
  export SPARK_CONF_DIR="${SPARK_CONF_DIR:-$SPARK_HOME/conf}"

  local ports=("$MASTER_PORT" "$MASTER_WEBUI_PORT") i
  for ((i = 0; i < WORKERS; i++)); do
    ports+=($((WORKER_WEBUI_PORT + i)))
  done
  for p in "${ports[@]}"; do
    if port_in_use "$p"; then
      die "port $p is already in use (ss -ltnp 'sport = :$p'); set SPARK_MASTER_PORT/SPARK_MASTER_WEBUI_PORT/SPARK_WORKER_WEBUI_PORT"
    fi
  done

  local t0=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
  trap 'start_failed "interrupted"' INT TERM
  START_STARTED=1
  write_cluster_info

  launch_daemon master "$MASTER_CLASS" \
    --host "$BIND_HOST" --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT"

  # Wait for the master first: Workers that cannot reach it at once retry
  # only after 5-15 s, which would slow every start down.
  local json=
  while :; do
    pidfile_live_pid "$PID_DIR/master.pid" >/dev/null ||
      start_failed "master died during start: $(log_hint "$LOG_DIR/master.log") (log: $LOG_DIR/master.log)"
    json=$(master_json) || json=
    [[ $(json_master_status "$json") == ALIVE ]] && break
    ((SECONDS < deadline)) || start_failed "master not up after ${START_TIMEOUT}s (log: $LOG_DIR/master.log)"
    sleep 0.3
  done
  local url t_master=$((SECONDS - t0))
  url=$(json_master_url "$json")
  [[ $url == "spark://$BIND_HOST:$MASTER_PORT" ]] ||
    start_failed "master came up as '$url', expected spark://$BIND_HOST:$MASTER_PORT"

  for ((i = 1; i <= WORKERS; i++)); do
    mkdir -p "$WORK_DIR/worker-$i"
    launch_daemon "worker-$i" "$WORKER_CLASS" \
      --host "$BIND_HOST" --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
      --webui-port $((WORKER_WEBUI_PORT + i - 1)) \
      --work-dir "$WORK_DIR/worker-$i" "$url"
  done

  local alive=0 f
  while :; do
    for f in "$PID_DIR"/*.pid; do
      pidfile_live_pid "$f" >/dev/null || {
        local name
        name=$(basename "$f" .pid)
        start_failed "$name died during start: $(log_hint "$LOG_DIR/$name.log") (log: $LOG_DIR/$name.log)"
      }
    done
    json=$(master_json) || json=
    alive=$(json_alive_workers "$json")
    ((alive >= WORKERS)) && break
    ((SECONDS < deadline)) ||
      start_failed "only $alive of $WORKERS workers registered with the master after ${START_TIMEOUT}s (logs: $LOG_DIR)"
    sleep 0.5
  done
  trap - INT TERM
  START_STARTED=0

  info "master up after ${t_master}s, all $WORKERS worker(s) registered after $((SECONDS - t0))s (${WORKER_CORES} core(s), $WORKER_MEMORY each); UI http://$BIND_HOST:$MASTER_WEBUI_PORT ; logs $LOG_DIR"
  printf '%s\n' "$url"
}

# Waits until none of the "PID START" entries is alive, at most $1 seconds.
# Returns 1 on timeout.
wait_gone() {
  local timeout=$1 deadline entry pid start alive
  shift
  deadline=$((SECONDS + timeout))
  while :; do
    alive=0
    for entry in "$@"; do
      read -r pid start <<<"$entry"
      if proc_alive "$pid" "$start"; then alive=1; break; fi
    done
    ((alive)) || return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Stops the recorded daemons and what their Workers forked.
stop_cluster() {
  local quiet=${1:-}
  local -a daemons=() names=() kids=() kid_names=()
  local f pid start name kid kclass
  while IFS= read -r f; do
    [[ -n $f ]] || continue
    name=$(basename "$f" .pid)
    if pid=$(pidfile_live_pid "$f"); then
      read -r _ start _ <"$f"
      daemons+=("$pid $start")
      names+=("$name")
      if [[ $name == worker-* ]]; then
        while read -r kid kclass; do
          [[ -n $kid ]] || continue
          start=$(proc_starttime "$kid") || continue
          kids+=("$kid $start")
          kid_names+=("${kclass##*.}")
        done < <(worker_children "$pid")
      fi
    else
      read -r pid start _ <"$f" || true
      if is_uint "${pid:-}" && proc_alive "$pid" "${start:-x}"; then
        # Exiting already (its command line is gone): just wait for it.
        wait_gone "$STOP_TIMEOUT" "$pid $start" || true
      fi
      [[ -n $quiet ]] || info "$name: not running (pid file removed)"
      rm -f "$f"
    fi
  done < <(daemon_pidfiles)

  if ((${#daemons[@]} == 0)); then
    [[ -n $quiet ]] || info "no cluster running"
    return 0
  fi

  # Workers first, so that the master does not see them as lost; a Worker
  # that shuts down kills its executors itself.
  local i
  local -a order=()
  for i in "${!names[@]}"; do [[ ${names[i]} == worker-* ]] && order+=("$i"); done
  for i in "${!names[@]}"; do [[ ${names[i]} == worker-* ]] || order+=("$i"); done
  for i in "${order[@]}"; do
    read -r pid _ <<<"${daemons[i]}"
    [[ -n $quiet ]] || info "stopping ${names[i]} (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  done

  if ! wait_gone "$STOP_TIMEOUT" "${daemons[@]}"; then
    for i in "${!daemons[@]}"; do
      read -r pid start <<<"${daemons[i]}"
      if proc_alive "$pid" "$start"; then
        info "${names[i]} (pid $pid) still running ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
    wait_gone 10 "${daemons[@]}" || true
  fi

  # Executors/drivers that outlived their Worker (e.g. one that had to be
  # SIGKILLed). They are reparented by now, so they are matched by the PID
  # and start time recorded above.
  local -a strays=()
  for i in "${!kids[@]}"; do
    read -r kid start <<<"${kids[i]}"
    if proc_alive "$kid" "$start"; then
      strays+=("${kids[i]}")
      [[ -n $quiet ]] || info "stopping leftover ${kid_names[i]} (pid $kid)"
      kill -TERM "$kid" 2>/dev/null || true
    fi
  done
  if ((${#strays[@]})) && ! wait_gone 10 "${strays[@]}"; then
    for i in "${!strays[@]}"; do
      read -r kid start <<<"${strays[i]}"
      if proc_alive "$kid" "$start"; then
        info "leftover pid $kid ignored SIGTERM; sending SIGKILL"
        kill -KILL "$kid" 2>/dev/null || true
      fi
    done
    wait_gone 5 "${strays[@]}" || true
  fi

  local -a survivors=()
  for i in "${!daemons[@]}"; do
    read -r pid start <<<"${daemons[i]}"
    if proc_alive "$pid" "$start"; then
      survivors+=("${names[i]}:$pid")
    else
      rm -f "$PID_DIR/${names[i]}.pid"
    fi
  done
  for i in "${!strays[@]}"; do
    read -r kid start <<<"${strays[i]}"
    if proc_alive "$kid" "$start"; then survivors+=("executor:$kid"); fi
  done
  ((${#survivors[@]} == 0)) || die "still running after SIGKILL: ${survivors[*]}"
  [[ -n $quiet ]] || info "stopped ${#daemons[@]} daemon(s)${strays[*]:+ and ${#strays[@]} leftover executor(s)}"
  return 0
}

cmd_stop() {
  local orphans=0
  while (($#)); do
    case $1 in
      --timeout) STOP_TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
      --timeout=*) STOP_TIMEOUT=${1#*=}; shift ;;
      --orphans) orphans=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "stop: unknown option '$1'" ;;
    esac
  done
  is_uint "$STOP_TIMEOUT" || die "timeout must be whole seconds, got '$STOP_TIMEOUT'"
  ((orphans)) && adopt_orphans
  stop_cluster
  local hint
  if hint=$(orphan_hint); then info "warning: $hint"; fi
  return 0
}

cmd_status() {
  (($# == 0)) || { usage >&2; die "status takes no options"; }
  local f name pid total=0 up=0 kids
  while IFS= read -r f; do
    [[ -n $f ]] || continue
    name=$(basename "$f" .pid)
    total=$((total + 1))
    if pid=$(pidfile_live_pid "$f"); then
      up=$((up + 1))
      kids=$(worker_children "$pid" | awk '{print $1}' | paste -sd, -)
      printf '%-10s pid %-8s alive%s\n' "$name" "$pid" "${kids:+   executors/drivers: $kids}"
    else
      read -r pid _ <"$f" || pid='?'
      printf '%-10s pid %-8s DEAD\n' "$name" "$pid"
    fi
  done < <(daemon_pidfiles)

  local hint
  if hint=$(orphan_hint); then echo "warning: $hint"; fi
  if ((total == 0 || up == 0)); then
    echo "cluster: not running"
    return 3
  fi

  local url webui json
  url=$(cluster_info master_url || true)
  webui=$(cluster_info master_webui_port || echo "$MASTER_WEBUI_PORT")
  MASTER_WEBUI_PORT=$webui
  echo "master URL: ${url:-?}   web UI: http://$BIND_HOST:$webui/"
  echo "SPARK_HOME: $(cluster_info spark_home || echo '?')"
  if json=$(master_json); then
    echo "master status: $(json_master_status "$json"), $(json_alive_workers "$json") alive worker(s):"
    json_worker_lines "$json" | sed 's/^/  /'
  else
    echo "master web UI not answering"
  fi
  if ((up < total)); then
    echo "cluster: degraded ($up of $total daemons alive)"
    return 1
  fi
  echo "cluster: running"
  return 0
}

cmd_spark_home() {
  (($# == 0)) || { usage >&2; die "spark-home takes no options"; }
  resolve_spark_home
  printf '%s\n' "$SPARK_HOME"
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    spark-home) cmd_spark_home "$@" ;;
    master-url) printf 'spark://%s:%s\n' "$BIND_HOST" "$MASTER_PORT" ;;
    help | -h | --help) usage ;;
    '') usage >&2; exit 2 ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
