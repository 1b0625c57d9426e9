#!/usr/bin/env bash
# Submits the training job, or the batch-scoring job, to a Spark cluster: the cluster entry point.
#
#   submit/spark-submit.sh [spark-submit options] [FILE.conf ...] [key=value ...]
#
#   submit/standalone-cluster.sh start
#   submit/spark-submit.sh --master spark://127.0.0.1:7077 train.epochs=2 output.dir=/tmp/c run.id=c1
#   submit/spark-submit.sh --class org.sparkmnist.scoring.MnistScoringJob --master spark://127.0.0.1:7077 \
#       score.model.run=/tmp/c/c1 score.input.path=/data/digits output.dir=/tmp/c run.id=c1-scores
#
# What it adds to a plain spark-submit of the cluster jar:
#   - builds target/spark-mnist-<version>-cluster.jar when it is missing or older than the sources
#     (mvn -B -DskipTests package, log in target/build.log);
#   - passes your FILE.conf files (layered over the jar's reference.conf), then your key=value
#     overrides, and ships the files with --files (in cluster deploy mode the job gets their basenames, in client
#     mode their local absolute paths);
#   - sizes JavaCPP's off-heap limits from the executor memory and points its native-library cache
#     at one directory, and runs one OpenMP thread per executor core (see "help" for the numbers);
#   - binds everything to loopback when the master is on 127.0.0.1 or localhost;
#   - turns on spark.authenticate when SPARK_AUTHENTICATE_SECRET is set, without putting the
#     secret on any command line.
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is a Spark install; otherwise the SPARK_HOME
# that submit/standalone-cluster.sh assembles from Maven jars, with plain java.
# The exit code is the job's: 0 done, 1 failed, 2 bad input or config.
set -euo pipefail

SCRIPT_NAME=$(basename -- "${BASH_SOURCE[0]}")
SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_DIR=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
TRAINING_CLASS=org.sparkmnist.job.MnistTrainingJob
SCORING_CLASS=org.sparkmnist.scoring.MnistScoringJob
MAIN_CLASS=$TRAINING_CLASS

usage() {
  cat <<EOF
Usage: $SCRIPT_NAME [spark-submit options] [FILE.conf ...] [key=value ...]

Submits spark-mnist's training job ($TRAINING_CLASS) with spark-submit,
or with --class $SCORING_CLASS its batch-scoring job. The job
reads its reference.conf (every key, with the tuned defaults), then each
FILE.conf in order, then the key=value overrides.

Spark options are passed through unchanged, for example:
  --master URL  --deploy-mode client|cluster  --name NAME  --queue QUEUE
  --driver-memory SIZE  --executor-memory SIZE  --executor-cores N
  --num-executors N  --total-executor-cores N  --conf KEY=VALUE
  --properties-file FILE  --files FILES  --jars JARS  --verbose
The script owns the application jar; --class picks one of the jar's two jobs.

Examples:
  submit/standalone-cluster.sh start
  $SCRIPT_NAME --master spark://127.0.0.1:7077 train.epochs=2 output.dir=/tmp/c run.id=c1
  $SCRIPT_NAME --master yarn --deploy-mode cluster --executor-memory 4g \\
      --num-executors 8 --executor-cores 2 my.conf \\
      data.dir=hdfs:///data/mnist output.dir=hdfs:///runs/mnist run.id=nightly-1

Relative paths in the config (data.dir, output.dir) are resolved by the driver:
in client mode against this checkout's top directory, in cluster mode on the
node the driver runs on, so give absolute paths or URIs (hdfs://...) there.

Settings it adds (yours win where you set the same key):
  spark.executor.extraJavaOptions / spark.driver.extraJavaOptions
      -Dorg.bytedeco.javacpp.maxbytes=B        ND4J's off-heap arrays
      -Dorg.bytedeco.javacpp.maxphysicalbytes=P  whole-process limit
      -Dorg.bytedeco.javacpp.cachedir=DIR       where the ~400 MB of native
                                                libraries are unpacked
      B = the JVM's memory (--executor-memory / --driver-memory, default 1g)
      P = memory + B + 1g
  spark.executor.memoryOverhead / spark.driver.memoryOverhead (YARN, Kubernetes)
      B + 1g, so that the container holds what JavaCPP may allocate
  spark.executorEnv.OMP_NUM_THREADS = executor cores (default 1)
  spark.authenticate=true when SPARK_AUTHENTICATE_SECRET is set

Environment:
  SPARK_HOME                a Spark install; otherwise one is assembled from
                            Maven jars under target/spark-home
  SPARK_MNIST_JAR           use this application jar; never build
  JAVACPP_MAXBYTES          overrides B for executors and driver (e.g. 3g)
  JAVACPP_MAXPHYSICALBYTES  overrides P for executors and driver (e.g. 8g)
  JAVACPP_CACHEDIR          native-library cache directory; default
                            target/javacpp-cache of this checkout for the
                            client-mode driver and for executors of a local
                            or loopback master, else ./javacpp-cache in each
                            executor's working directory
  SPARK_AUTHENTICATE_SECRET shared secret of a standalone cluster started with
                            spark.authenticate (YARN and Kubernetes make their
                            own); handed to Spark through the environment and
                            a private temporary properties file
  JAVA_HOME                 java to use without a Spark install
  MVN [mvn]                 Maven used to build the jar
  SPARK_MNIST_SUBMIT_DRY_RUN  when non-empty, print the command instead of
                            running it

  --build-only              build the application jar if it is stale, then exit
                            (submit/benchmark.sh builds before it measures)
EOF
}

die() {
  printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2
  exit 2
}

# Size in MiB of a JVM/Spark memory string (512m, 2g, 1.5g, 2048 = MiB).
to_mib() {
  local size=${1,,}
  [[ $size =~ ^([0-9]+)(\.[0-9]+)?([kmgt]?)b?$ ]] || return 1
  local number=${BASH_REMATCH[1]}${BASH_REMATCH[2]} unit=${BASH_REMATCH[3]:-m}
  awk -v n="$number" -v u="$unit" 'BEGIN {
    f = (u == "k") ? 1 / 1024 : (u == "m") ? 1 : (u == "g") ? 1024 : 1024 * 1024
    printf "%d\n", n * f + 0.5 }'
}

# ------------------------------------------------------------ arguments

spark_opts=()   # passed to spark-submit as they came
conf_files=()   # the user's FILE.conf, absolute paths
overrides=()    # the user's key=value
master=
deploy_mode=client
executor_memory=
driver_memory=
executor_cores=
user_files=
properties_file=
driver_java_options=
executor_extra_java=
driver_extra_java=
omp_threads=
executor_overhead=
driver_overhead=

# spark-submit options that take no value; every other --option takes one.
is_flag_option() {
  case $1 in
    --verbose | -v | --supervise | --usage-error | --version) return 0 ;;
    *) return 1 ;;
  esac
}

# A --conf KEY=VALUE: the keys this script builds on are remembered, the rest pass through.
take_conf() {
  local kv=$1 key value
  [[ $kv == *=* ]] || die "--conf expects KEY=VALUE, got '$kv'"
  key=${kv%%=*}
  value=${kv#*=}
  case $key in
    # Given back to spark-submit below as the matching options.
    spark.master) master=$value; return ;;
    spark.submit.deployMode) deploy_mode=$value; return ;;
    spark.executor.memory) executor_memory=$value; return ;;
    spark.driver.memory) driver_memory=$value; return ;;
    spark.executor.cores) executor_cores=$value; return ;;
    spark.files) user_files=${user_files:+$user_files,}$value; return ;;
    spark.executor.extraJavaOptions) executor_extra_java=$value; return ;;
    spark.driver.extraJavaOptions) driver_extra_java=$value; return ;;
    spark.executorEnv.OMP_NUM_THREADS) omp_threads=$value; return ;;
    spark.executor.memoryOverhead) executor_overhead=$value ;;
    spark.driver.memoryOverhead) driver_overhead=$value ;;
    spark.authenticate.secret) die "do not put the secret on the command line; set SPARK_AUTHENTICATE_SECRET" ;;
  esac
  spark_opts+=(--conf "$kv")
}

# One spark-submit option with its value ($1 is the option name, $2 the value).
take_option() {
  local name=$1 value=$2
  case $name in
    --class)
      [[ $value == "$TRAINING_CLASS" || $value == "$SCORING_CLASS" ]] ||
        die "--class must be $TRAINING_CLASS (the default) or $SCORING_CLASS, got '$value'"
      MAIN_CLASS=$value
      ;;
    # Given back to spark-submit below, after this script has used them.
    --master) master=$value ;;
    --deploy-mode) deploy_mode=$value ;;
    --executor-memory) executor_memory=$value ;;
    --driver-memory) driver_memory=$value ;;
    --executor-cores) executor_cores=$value ;;
    --conf | -c) take_conf "$value" ;;
    --files) user_files=${user_files:+$user_files,}$value ;;
    --properties-file) properties_file=$value ;;
    --driver-java-options) driver_java_options=$value ;;
    *) spark_opts+=("$name" "$value") ;;
  esac
}

while (($#)); do
  arg=$1
  case $arg in
    -h | --help | help) usage; exit 0 ;;
    --build-only) build_only=1; shift ;;
    --) shift; break ;;
    --*=*) take_option "${arg%%=*}" "${arg#*=}"; shift ;;
    -*)
      if is_flag_option "$arg"; then
        spark_opts+=("$arg")
        shift
      else
        (($# >= 2)) || die "option $arg needs a value"
        take_option "$arg" "$2"
        shift 2
      fi
      ;;
    *) break ;;
  esac
done
# The job's arguments: FILE.conf and key=value, in the order given.
for arg in "$@"; do
  if [[ $arg == *=* ]]; then
    overrides+=("$arg")
  elif [[ $arg == *.conf ]]; then
    [[ -f $arg ]] || die "config file $arg does not exist"
    conf_files+=("$(cd -- "$(dirname -- "$arg")" && pwd -P)/$(basename -- "$arg")")
  elif [[ $arg == -* ]]; then
    die "spark-submit option $arg must come before the job's FILE.conf and key=value arguments"
  else
    die "unexpected argument '$arg': expected a spark-submit option, a FILE.conf or key=value (see --help)"
  fi
done

[[ $deploy_mode == client || $deploy_mode == cluster ]] || die "--deploy-mode must be client or cluster, got '$deploy_mode'"

# ------------------------------------------------------------ the application jar

# The project's version, read from pom.xml without starting Maven.
project_version() {
  sed -n '/<artifactId>spark-mnist<\/artifactId>/,/<\/version>/ s:.*<version>\(.*\)</version>.*:\1:p' "$REPO_DIR/pom.xml" | head -n1
}

jar_is_stale() {
  [[ ! -f $1 ]] || [[ -n "$(find "$REPO_DIR/src/main" "$REPO_DIR/pom.xml" -newer "$1" -print -quit)" ]]
}

if [[ -n ${SPARK_MNIST_JAR:-} ]]; then
  app_jar=$SPARK_MNIST_JAR
  [[ -f $app_jar ]] || die "SPARK_MNIST_JAR=$app_jar does not exist"
else
  version=$(project_version)
  [[ -n $version ]] || die "cannot read the project version from $REPO_DIR/pom.xml"
  app_jar=$REPO_DIR/target/spark-mnist-$version-cluster.jar
  if jar_is_stale "$app_jar"; then
    printf '%s: building %s (log: target/build.log)\n' "$SCRIPT_NAME" "${app_jar#"$REPO_DIR"/}" >&2
    mkdir -p "$REPO_DIR/target"
    if ! (cd "$REPO_DIR" && "${MVN:-mvn}" -B -DskipTests package >target/build.log 2>&1); then
      tail -n 30 "$REPO_DIR/target/build.log" >&2
      printf '%s: error: the build failed; the whole log is target/build.log\n' "$SCRIPT_NAME" >&2
      exit 1
    fi
    [[ -f $app_jar ]] || { printf '%s: error: the build did not produce %s\n' "$SCRIPT_NAME" "$app_jar" >&2; exit 1; }
  fi
fi
[[ -z ${build_only:-} ]] || exit 0

# ------------------------------------------------------------ Spark

is_spark_install() {
  [[ -x $1/bin/spark-submit ]] || compgen -G "$1/jars/spark-core_*.jar" >/dev/null
}

if [[ -n ${SPARK_HOME:-} && -x ${SPARK_HOME}/bin/spark-submit ]]; then
  launcher=spark-submit
else
  # The same SPARK_HOME the standalone cluster runs from (assembled once from Maven jars).
  if [[ -z ${SPARK_HOME:-} ]] || ! is_spark_install "$SPARK_HOME"; then
    SPARK_HOME=$(SPARK_HOME='' "$SCRIPT_DIR/standalone-cluster.sh" spark-home) ||
      { printf '%s: error: no usable SPARK_HOME\n' "$SCRIPT_NAME" >&2; exit 1; }
  fi
  launcher=java
fi
export SPARK_HOME
export SPARK_SCALA_VERSION=${SPARK_SCALA_VERSION:-2.12}

# Every host of the master URL ("spark://h1:7077,h2:7077") is loopback.
master_is_loopback() {
  local rest=${1#*://} hostport host
  local -a hostports
  [[ $1 == spark://* ]] || return 1
  IFS=, read -r -a hostports <<<"$rest"
  for hostport in "${hostports[@]}"; do
    host=${hostport%:*}
    [[ $host == 127.0.0.1 || $host == localhost ]] || return 1
  done
}

master_is_local() { [[ -z $1 || $1 == local || $1 == local\[* || $1 == local-cluster\[* ]]; }

executors_here=0
if master_is_local "$master" || master_is_loopback "$master"; then
  executors_here=1
  # Nothing of a run on this machine should listen beyond it.
  export SPARK_LOCAL_IP=127.0.0.1
  export SPARK_LOCAL_HOSTNAME=${SPARK_LOCAL_HOSTNAME:-127.0.0.1}
fi
if master_is_local "$master"; then
  # Local executors are threads of the driver: one BLAS thread each, or they fight over the cores.
  export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
fi

# ------------------------------------------------------------ DL4J's JVM options

repo_cache=$REPO_DIR/target/javacpp-cache
if [[ -n ${JAVACPP_CACHEDIR:-} ]]; then
  executor_cache=$JAVACPP_CACHEDIR
elif ((executors_here)); then
  executor_cache=$repo_cache
else
  executor_cache=javacpp-cache
fi
if [[ $deploy_mode == client ]]; then
  driver_cache=${JAVACPP_CACHEDIR:-$repo_cache}
else
  driver_cache=$executor_cache
fi

# JavaCPP options for a JVM of MEMORY: "maxbytes_mib physical_mib".
javacpp_limits() {
  local memory_mib max_mib phys_mib
  memory_mib=$(to_mib "$1") || die "cannot read the memory size '$1'"
  if [[ -n ${JAVACPP_MAXBYTES:-} ]]; then
    max_mib=$(to_mib "$JAVACPP_MAXBYTES") || die "cannot read JAVACPP_MAXBYTES='$JAVACPP_MAXBYTES'"
  else
    max_mib=$memory_mib
  fi
  if [[ -n ${JAVACPP_MAXPHYSICALBYTES:-} ]]; then
    phys_mib=$(to_mib "$JAVACPP_MAXPHYSICALBYTES") || die "cannot read JAVACPP_MAXPHYSICALBYTES='$JAVACPP_MAXPHYSICALBYTES'"
  else
    phys_mib=$((memory_mib + max_mib + 1024))
  fi
  printf '%s %s\n' "$max_mib" "$phys_mib"
}

javacpp_opts() { # MAX_MIB PHYS_MIB CACHEDIR
  printf -- '-Dorg.bytedeco.javacpp.maxbytes=%sm -Dorg.bytedeco.javacpp.maxphysicalbytes=%sm -Dorg.bytedeco.javacpp.cachedir=%s' "$1" "$2" "$3"
}

[[ $executor_cache != *[[:space:]]* && $driver_cache != *[[:space:]]* ]] ||
  die "the JavaCPP cache directory must not contain spaces (extraJavaOptions are split on them)"

# Spark's default for both JVMs is 1g. (Assigned first, so that a bad size stops the script.)
limits=$(javacpp_limits "${executor_memory:-1g}")
read -r exec_max exec_phys <<<"$limits"
limits=$(javacpp_limits "${driver_memory:-1g}")
read -r drv_max drv_phys <<<"$limits"
executor_javacpp=$(javacpp_opts "$exec_max" "$exec_phys" "$executor_cache")
driver_javacpp=$(javacpp_opts "$drv_max" "$drv_phys" "$driver_cache")
# The JDK's Vector API: the optimizer's updates run as SIMD with it, as a scalar loop without.
executor_javacpp="$executor_javacpp --add-modules=jdk.incubator.vector"
driver_javacpp="$driver_javacpp --add-modules=jdk.incubator.vector"

# Spark 3.5's --add-opens set (Spark's launcher adds it itself, except to a driver that a
# standalone Worker starts in cluster mode).
mapfile -t java17 < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$SCRIPT_DIR/java17-flags")
driver_opts=$driver_javacpp
[[ $deploy_mode == client ]] || driver_opts="${java17[*]} $driver_opts"
spark_opts+=(--conf "spark.executor.extraJavaOptions=$executor_javacpp${executor_extra_java:+ $executor_extra_java}")
spark_opts+=(--conf "spark.driver.extraJavaOptions=$driver_opts${driver_extra_java:+ $driver_extra_java}")
[[ -z $driver_java_options ]] || spark_opts+=(--driver-java-options "$driver_java_options")
spark_opts+=(--conf "spark.executorEnv.OMP_NUM_THREADS=${omp_threads:-${executor_cores:-1}}")

# On YARN and Kubernetes the container limit is memory + memoryOverhead; off-heap arrays live there.
if [[ $master == yarn* || $master == k8s://* ]]; then
  [[ -n $executor_overhead ]] || spark_opts+=(--conf "spark.executor.memoryOverhead=$((exec_max + 1024))m")
  if [[ $deploy_mode == cluster && -z $driver_overhead ]]; then
    spark_opts+=(--conf "spark.driver.memoryOverhead=$((drv_max + 1024))m")
  fi
fi

[[ -z $master ]] || spark_opts+=(--master "$master")
spark_opts+=(--deploy-mode "$deploy_mode")
[[ -z $executor_memory ]] || spark_opts+=(--executor-memory "$executor_memory")
[[ -z $driver_memory ]] || spark_opts+=(--driver-memory "$driver_memory")
[[ -z $executor_cores ]] || spark_opts+=(--executor-cores "$executor_cores")
if [[ $master == spark://* && $deploy_mode == cluster ]]; then
  # Otherwise spark-submit returns as soon as the driver is accepted, and its exit code says nothing.
  spark_opts+=(--conf spark.standalone.submit.waitAppCompletion=true)
fi

# ------------------------------------------------------------ the job's config files

all_confs=("${conf_files[@]}")

job_args=()
ship=()
declare -A seen_names=()
for f in "${all_confs[@]}"; do
  name=$(basename -- "$f")
  if [[ $deploy_mode == cluster ]]; then
    [[ -z ${seen_names[$name]:-} ]] ||
      die "two config files are both named $name; in cluster mode they travel by name, so rename one"
    seen_names[$name]=1
  fi
  [[ $f != *,* ]] || die "config file paths must not contain commas (--files is a comma-separated list): $f"
  ship+=("$f")
  # Standalone cluster mode starts the driver without --files in its working directory.
  if [[ $deploy_mode == cluster && $master != spark://* ]]; then
    job_args+=("$name")
  else
    job_args+=("$f")
  fi
done
job_args+=("${overrides[@]}")
files=$(IFS=,; printf '%s' "${ship[*]}")
files=$files${user_files:+${files:+,}$user_files}
[[ -z $files ]] || spark_opts+=(--files "$files")

# ------------------------------------------------------------ authentication

tmp_dir=
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { [[ -z $tmp_dir ]] || rm -rf -- "$tmp_dir"; }
trap cleanup EXIT
# A directory only this user can read, removed on exit.
need_tmp_dir() {
  [[ -n $tmp_dir ]] || tmp_dir=$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/spark-mnist-submit.XXXXXX")
}

if [[ -n ${SPARK_AUTHENTICATE_SECRET:-} ]]; then
  spark_opts+=(--conf spark.authenticate=true)
  # Spark's daemons, its submission client and executors read the secret from here.
  export _SPARK_AUTH_SECRET=$SPARK_AUTHENTICATE_SECRET
  if [[ $master == spark://* ]]; then
    # A standalone driver insists on spark.authenticate.secret in its SparkConf. A properties file
    # only this user can read keeps it off the process list; it replaces spark-defaults.conf, so
    # that file's settings are copied in first.
    defaults=${properties_file:-${SPARK_CONF_DIR:-$SPARK_HOME/conf}/spark-defaults.conf}
    need_tmp_dir
    props=$tmp_dir/spark.properties
    (
      umask 077
      if [[ -f $defaults ]]; then cat -- "$defaults"; echo; fi
      printf 'spark.authenticate.secret %s\n' "$_SPARK_AUTH_SECRET"
    ) >"$props"
    properties_file=$props
  fi
fi
[[ -z $properties_file ]] || spark_opts+=(--properties-file "$properties_file")

# ------------------------------------------------------------ standalone cluster mode

# There spark-submit exits 0 whatever became of the driver; the driver's final state is only in
# the submission client's INFO log ("State of driver driver-... is FAILED, exiting ..."), so that
# logger is let through and watched.
submit_log_opt=
if [[ $master == spark://* && $deploy_mode == cluster ]]; then
  need_tmp_dir
  cat >"$tmp_dir/log4j2-submit.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.client.name = org.apache.spark.deploy.ClientEndpoint
logger.client.level = info
logger.hadoopnative.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoopnative.level = error
EOF
  submit_log_opt=-Dlog4j2.configurationFile=$tmp_dir/log4j2-submit.properties
fi

# Copies the submission client's stderr through and writes the driver's final state to $1.
watch_driver_state() {
  local line
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ $line =~ State\ of\ driver\ ([^ ]+)\ is\ ([A-Z_]+),\ exiting ]]; then
      printf '%s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" >"$1"
    fi
  done
}

# ------------------------------------------------------------ run

# Client mode runs the driver here: relative data.dir and output.dir mean this checkout's.
cd "$REPO_DIR"

if [[ $launcher == spark-submit ]]; then
  cmd=("$SPARK_HOME/bin/spark-submit")
  [[ -z $submit_log_opt ]] || export SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:+$SPARK_SUBMIT_OPTS }$submit_log_opt"
else
  java=${JAVA_HOME:+$JAVA_HOME/bin/java}
  java=${java:-java}
  command -v "$java" >/dev/null || die "no java found (set JAVA_HOME or put java on PATH)"
  cmd=("$java" "${java17[@]}")
  [[ -z $submit_log_opt ]] || cmd+=("$submit_log_opt")
  if [[ $deploy_mode == client ]]; then
    # Without Spark's launcher this JVM is the driver: give it what the launcher would.
    cmd+=("-Xmx${driver_memory:-1g}")
    read -r -a extra <<<"$driver_javacpp ${driver_extra_java} ${driver_java_options}"
    cmd+=("${extra[@]}")
  fi
  cmd+=(-cp "${SPARK_CONF_DIR:-$SPARK_HOME/conf}:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit)
fi
cmd+=(--class "$MAIN_CLASS" "${spark_opts[@]}" "$app_jar" "${job_args[@]}")

if [[ -n ${SPARK_MNIST_SUBMIT_DRY_RUN:-} ]]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi

# Not exec: temporary files must outlive the JVM, and standalone cluster mode needs a look at its
# output. Signals go to the child.
reader=
if [[ -n $submit_log_opt ]]; then
  mkfifo "$tmp_dir/stderr"
  watch_driver_state "$tmp_dir/driver-state" <"$tmp_dir/stderr" >&2 &
  reader=$!
  "${cmd[@]}" 2>"$tmp_dir/stderr" &
else
  "${cmd[@]}" &
fi
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
status=0
wait "$child" || status=$?
# A signal interrupts the first wait; the second one collects the real exit code.
if kill -0 "$child" 2>/dev/null; then
  status=0
  wait "$child" || status=$?
fi
if [[ -n $reader ]]; then
  wait "$reader" || true
  if [[ -s $tmp_dir/driver-state ]]; then
    read -r driver_id driver_state <"$tmp_dir/driver-state"
    if [[ $driver_state != FINISHED ]]; then
      printf '%s: error: driver %s ended %s; its log is %s/stderr in the work directory of the Worker that ran it\n' \
        "$SCRIPT_NAME" "$driver_id" "$driver_state" "$driver_id" >&2
      ((status != 0)) || status=1
    fi
  fi
fi
exit "$status"
