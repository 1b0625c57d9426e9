#!/usr/bin/env bash
# Submits the training job, or the batch-scoring job, with Spark's own spark-submit: the cluster
# entry point.
#
#   submit/spark-submit.sh [spark-submit options] [FILE.conf ...] [key=value ...]
#   submit/spark-submit.sh --class org.sparkmnist.scoring.MnistScoringJob --master spark://127.0.0.1:7077 \
#       score.model.run=/tmp/c/c1 score.input.path=/data/digits output.dir=/tmp/c run.id=c1-scores
#   submit/spark-submit.sh --build-only       # build the jar and install Spark if needed, then exit
#
# It builds target/spark-mnist-<version>-cluster.jar when it is missing or older than the sources
# (log: target/build.log), takes SPARK_HOME from submit/spark-home.sh (yours, else pyspark's Spark),
# and runs, from the checkout's top directory (so relative data.dir and output.dir are this
# checkout's in client mode),
#
#   $SPARK_HOME/bin/spark-submit --class CLASS [options] JAR [arguments]
#
# CLASS is the training job, org.sparkmnist.job.MnistTrainingJob, unless --class names the jar's
# other job, org.sparkmnist.scoring.MnistScoringJob.
# with FILE.conf arguments made absolute. What DL4J needs on executors (JavaCPP's limits and cache,
# OpenMP threads, the YARN/Kubernetes memory overhead) the job derives from Spark's configuration
# itself. In cluster deploy mode a config file travels as spark-submit ships any file: --files
# my.conf, and name it my.conf. SPARK_MNIST_JAR=<jar> submits that jar and never builds.
# The exit code is the job's (0 done, 1 failed, 2 bad input or config) or spark-submit's.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

# spark-submit's options come first; the first argument that is not one starts the job's own.
training=org.sparkmnist.job.MnistTrainingJob
scoring=org.sparkmnist.scoring.MnistScoringJob
main_class=$training
options=()
build_only=
while (($#)) && [[ $1 == -* ]]; do
  case $1 in
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    --build-only) build_only=1; shift ;;
    --class | --class=*)
      if [[ $1 == --class=* ]]; then main_class=${1#*=}; shift; else main_class=${2:-}; shift $(($# >= 2 ? 2 : 1)); fi
      if [[ $main_class != "$training" && $main_class != "$scoring" ]]; then
        echo "spark-submit.sh: error: --class must be $training (the default) or $scoring, got '$main_class'" >&2
        exit 2
      fi
      ;;
    --verbose | -v | --supervise | --*=*) options+=("$1"); shift ;;
    *)
      if (($# < 2)); then
        echo "spark-submit.sh: error: option $1 needs a value" >&2
        exit 2
      fi
      options+=("$1" "$2")
      shift 2
      ;;
  esac
done
args=()
for arg in "$@"; do
  if [[ $arg == *.conf && $arg != *=* && -f $arg ]]; then
    arg=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")
  fi
  args+=("$arg")
done

jar=${SPARK_MNIST_JAR:-}
if [[ -z $jar ]]; then
  version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")
  jar=$root/target/spark-mnist-$version-cluster.jar
  if [[ ! -f $jar || -n $(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit) ]]; then
    echo "spark-submit.sh: building ${jar#"$root"/} (log: target/build.log)" >&2
    mkdir -p "$root/target"
    if ! (cd "$root" && mvn -B -DskipTests package >target/build.log 2>&1); then
      tail -n 30 "$root/target/build.log" >&2
      echo "spark-submit.sh: error: the build failed; the whole log is target/build.log" >&2
      exit 1
    fi
  fi
fi
SPARK_HOME=$("$root/submit/spark-home.sh")
export SPARK_HOME
[[ -z $build_only ]] || exit 0

# This JVM is the driver in client mode: the project's log4j2 file and JavaCPP cache, as every
# JVM of the project gets them (submit/java.sh); in cluster mode only the submitting client.
# The Vector API's module lets a local-mode driver, whose threads are the executors, run the
# optimizer's SIMD updates.
export SPARK_SUBMIT_OPTS="-Dlog4j2.configurationFile=$root/src/main/resources/log4j2.properties \
-Dorg.bytedeco.javacpp.cachedir=$root/target/javacpp-cache --add-modules=jdk.incubator.vector${SPARK_SUBMIT_OPTS:+ $SPARK_SUBMIT_OPTS}"
# OpenBLAS's kernels for this CPU, in the client-mode driver; executors on this machine get the same
# value from the job (org.sparkmnist.job.NativeRuntime), executors elsewhere decide on their own.
coretype=$("$root/submit/openblas-coretype.sh")
[[ -z $coretype ]] || export OPENBLAS_CORETYPE=$coretype
cd "$root"
exec "$SPARK_HOME/bin/spark-submit" --class "$main_class" "${options[@]}" "$jar" "${args[@]}"
