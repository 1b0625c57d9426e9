#!/usr/bin/env bash
# Builds the benchmark when it is missing or older than the sources, and prints its class path.
# The benchmark lives in test scope (src/test/java/org/sparkmnist/benchmark), as Spark keeps its own:
# it measures the job and is no part of it, so neither the cluster jar nor the local build carries it
# or what only it needs (DL4J's ParallelWrapper). Its class path is, in order: its classes
# (target/benchmark-build/spark-mnist-benchmark.jar), the job's local build (submit/build-local.sh,
# which the benchmark's runs of submit/run-local.sh use too) and the dependencies of test scope
# (target/benchmark-build/classpath.txt). Used by submit/benchmark.sh; to start another of its
# classes, give the class path to submit/java.sh:
#
#   CLASSPATH=$(submit/build-benchmark.sh) submit/java.sh org.sparkmnist.benchmark.ScaledMnist --help
#
# Quiet when there is nothing to do. As in the local build, the jar is replaced by a rename after each
# build, so a rebuild never pulls classes from under a benchmark that is still running.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

submit/build-local.sh
build=target/benchmark-build
jar=$build/spark-mnist-benchmark.jar
if [[ ! -f $jar || ! -f $build/classpath.txt || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  echo "build: building the benchmark (mvn test-compile)" >&2
  mkdir -p "$build"
  if ! mvn -B -DskipTests test-compile dependency:build-classpath -DincludeScope=test \
      -Dmdep.outputFile="$build/classpath.txt" >target/benchmark-build.log 2>&1; then
    tail -40 target/benchmark-build.log >&2
    echo "build: error: the benchmark's build failed; the whole log is target/benchmark-build.log" >&2
    exit 1
  fi
  # Its own package only: the tests' helpers and service files (a fault-injecting Hadoop filesystem
  # among them) stay out of the benchmark's JVMs.
  jar --create --file "$jar.tmp" -C target/test-classes org/sparkmnist/benchmark
  mv -f "$jar.tmp" "$jar"
fi
echo "$root/$jar:$root/target/local/spark-mnist.jar:$(cat "$build/classpath.txt")"
