#!/usr/bin/env bash
# A Spark standalone cluster on this machine: one Master and N Workers, each its own JVM, bound to
# 127.0.0.1 only, started and stopped by Spark's own sbin/spark-daemon.sh from the SPARK_HOME of
# submit/spark-home.sh (pyspark's Spark distribution unless you set SPARK_HOME).
#
#   submit/standalone-cluster.sh start     # prints spark://127.0.0.1:7077 once every Worker registered
#   submit/standalone-cluster.sh status
#   submit/standalone-cluster.sh stop      # stops what start started and waits until it has exited
#
# What it adds to spark-daemon.sh: loopback addresses; a state directory (pid files, logs, the
# Workers' work directories); the project's log4j2 file for the daemons; waiting until all Workers
# are registered, and stopping everything again when they do not; waiting on stop until the JVMs
# (and the executors they forked) are gone.
#
# Environment [defaults]: WORKERS [2], WORKER_CORES [1], WORKER_MEMORY [2g], SPARK_MASTER_PORT
# [7077], SPARK_MASTER_WEBUI_PORT [8080], SPARK_WORKER_WEBUI_PORT [8081] (Worker i: this + i - 1),
# SPARK_DAEMON_JAVA_OPTS [-XX:TieredStopAtLevel=1 -XX:+UseSerialGC: the daemons only coordinate,
# and the C1 compiler halves their start-up CPU on two cores], SPARK_CLUSTER_STATE_DIR
# [target/standalone-cluster], START_TIMEOUT [90] and STOP_TIMEOUT [30] seconds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${SPARK_CLUSTER_STATE_DIR:-$root/target/standalone-cluster}
[[ $state == /* ]] || state=$PWD/$state
workers=${WORKERS:-2}
master_port=${SPARK_MASTER_PORT:-7077}
webui_port=${SPARK_MASTER_WEBUI_PORT:-8080}
url=spark://127.0.0.1:$master_port
MASTER=org.apache.spark.deploy.master.Master
WORKER=org.apache.spark.deploy.worker.Worker

export SPARK_PID_DIR=$state/pids SPARK_LOG_DIR=$state/logs SPARK_IDENT_STRING=spark-mnist
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
# The -D marker names this state directory on every daemon's command line, so tests can tell them apart.
export SPARK_DAEMON_JAVA_OPTS="${SPARK_DAEMON_JAVA_OPTS-"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"} \
-Dlog4j2.configurationFile=$root/src/main/resources/log4j2.properties -Dspark-mnist.standalone-cluster=$state"

say() { echo "standalone-cluster: $*" >&2; }
die() { say "error: $*"; exit 1; }

# Pid files of the daemons started from this state directory, Workers first.
pid_files() { ls -1 "$SPARK_PID_DIR"/spark-spark-mnist-*.pid 2>/dev/null | sort -r || true; }

# True while process $1 runs (a zombie left to a non-reaping init has exited).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

alive_workers() {
  curl -fsS --max-time 3 "http://127.0.0.1:$webui_port/json/" 2>/dev/null |
    sed -n 's/.*"aliveworkers" *: *\([0-9]*\).*/\1/p'
}

stop() {
  local file name pid pids=() daemons=0
  for file in $(pid_files); do
    name=$(basename "$file" .pid)
    name=${name#spark-spark-mnist-}
    pid=$(cat "$file")
    # A Worker that is told to stop kills its executors and drivers first.
    pids+=("$pid" $(pgrep -P "$pid" || true))
    "$SPARK_HOME/sbin/spark-daemon.sh" stop "${name%-*}" "${name##*-}" >&2 || true
    rm -f "$file"
    daemons=$((daemons + 1))
  done
  local deadline=$((SECONDS + ${STOP_TIMEOUT:-30}))
  for pid in "${pids[@]}"; do
    while alive "$pid"; do
      if ((SECONDS >= deadline)); then
        say "pid $pid still running ${STOP_TIMEOUT:-30}s after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
        break
      fi
      sleep 0.2
    done
  done
  say "stopped $daemons daemon(s) and $((${#pids[@]} - daemons)) process(es) they had started"
}

start() {
  [[ -z $(pid_files) ]] || die "a cluster runs from $state already; run '$0 stop' first"
  mkdir -p "$SPARK_PID_DIR" "$SPARK_LOG_DIR" "$state/work"
  trap 'say "start failed; stopping what it started"; stop; exit 1' ERR INT TERM
  "$SPARK_HOME/sbin/spark-daemon.sh" start $MASTER 1 --host 127.0.0.1 --port "$master_port" --webui-port "$webui_port" >&2
  local deadline=$((SECONDS + ${START_TIMEOUT:-90}))
  # Workers that cannot reach the Master at once retry only after 5-15 s: start them when it is up.
  until [[ -n $(alive_workers) ]]; do
    ((SECONDS < deadline)) || { say "the master is not up after ${START_TIMEOUT:-90}s (logs: $SPARK_LOG_DIR)"; false; }
    sleep 0.3
  done
  local i
  for ((i = 1; i <= workers; i++)); do
    "$SPARK_HOME/sbin/spark-daemon.sh" start $WORKER "$i" --host 127.0.0.1 --cores "${WORKER_CORES:-1}" \
      --memory "${WORKER_MEMORY:-2g}" --webui-port $((${SPARK_WORKER_WEBUI_PORT:-8081} + i - 1)) \
      --work-dir "$state/work/worker-$i" "$url" >&2 &
  done
  wait
  until (($(alive_workers) >= workers)); do
    ((SECONDS < deadline)) || { say "$(alive_workers) of $workers workers registered after ${START_TIMEOUT:-90}s (logs: $SPARK_LOG_DIR)"; false; }
    sleep 0.5
  done
  trap - ERR INT TERM
  say "$workers worker(s) registered; UI http://127.0.0.1:$webui_port ; logs $SPARK_LOG_DIR"
  echo "$url"
}

status() {
  local file name running=0
  for file in $(pid_files); do
    name=$(basename "$file" .pid)
    name=${name#spark-spark-mnist-}
    "$SPARK_HOME/sbin/spark-daemon.sh" status "${name%-*}" "${name##*-}" && running=$((running + 1)) || true
  done
  ((running > 0)) || { echo "not running"; return 3; }
  echo "$url: $(alive_workers) worker(s) registered"
}

case ${1:-} in
  start | stop | status)
    SPARK_HOME=$("$root/submit/spark-home.sh")
    export SPARK_HOME
    "$1"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
