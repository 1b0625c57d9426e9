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
# and runs, in the directory you run it from,
#
#   $SPARK_HOME/bin/spark-submit [spark-submit options] JAR [FILE.conf ...] [key=value ...]
#
# Every argument goes on untouched and in your order; the jar goes where spark-submit's options end,
# as Spark's own launcher library parses them (org.sparkmnist.runtime.SparkSubmitOptions), and the job's
# arguments after it. So relative paths mean what spark-submit and the job make of them in your
# directory: --files, --jars, --properties-file, and in client mode the job's FILE.conf, data.dir
# and output.dir. Without --class the jar's Main-Class runs, the training job
# (org.sparkmnist.job.MnistTrainingJob); --class org.sparkmnist.scoring.MnistScoringJob runs the
# jar's other job. spark-submit's own options: $SPARK_HOME/bin/spark-submit --help.
# What DL4J needs on executors (JavaCPP's limits and cache, OpenMP threads, the YARN/Kubernetes memory
# overhead) the job derives from Spark's configuration itself. In cluster deploy mode a config file
# travels as spark-submit ships any file: --files my.conf, and name it my.conf.
# SPARK_MNIST_JAR=<jar> submits that jar and never builds.
# The exit code is the job's (0 done, 1 failed, 2 bad input or config) or spark-submit's.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

case ${1:-} in
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
  --build-only) build_only=1; shift ;;
  *) build_only= ;;
esac

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

launcher=("$SPARK_HOME"/jars/spark-launcher_*.jar)
if [[ ! -f ${launcher[0]} ]]; then
  echo "spark-submit.sh: error: $SPARK_HOME/jars has no spark-launcher jar; is SPARK_HOME a Spark 3.5 distribution?" >&2
  exit 2
fi
# A small JVM that starts and exits at once, with the JIT and collector that start fastest.
options=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -cp "$jar:${launcher[0]}" org.sparkmnist.runtime.SparkSubmitOptions "$@")

# This JVM is the driver in client mode (in cluster mode only the submitting client): it starts as
# every JVM of the project does (submit/java.sh), with submit/java17.args, whose Vector API module lets
# a local-mode driver, whose threads are the executors, run the optimizer's SIMD updates, the
# project's log4j2 file and JavaCPP cache.
export SPARK_SUBMIT_OPTS="@$root/submit/java17.args -Dlog4j2.configurationFile=$root/src/main/resources/log4j2.properties \
-Dorg.bytedeco.javacpp.cachedir=$root/target/javacpp-cache${SPARK_SUBMIT_OPTS:+ $SPARK_SUBMIT_OPTS}"
# OpenBLAS's kernels for this CPU, in the client-mode driver; executors on this machine get the same
# value from the job (org.sparkmnist.runtime.NativeRuntime), executors elsewhere decide on their own.
coretype=$("$root/submit/openblas-coretype.sh")
[[ -z $coretype ]] || export OPENBLAS_CORETYPE=$coretype
exec "$SPARK_HOME/bin/spark-submit" "${@:1:options}" "$jar" "${@:options+1}"
