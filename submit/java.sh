#!/usr/bin/env bash
# Starts a JVM of this project: the one launch line that submit/run-local.sh, submit/benchmark.sh,
# the benchmark's child JVMs and the tests' child JVMs all use.
#
#   submit/java.sh [JVM option ...] MAIN_CLASS [argument ...]
#
# It adds Spark's Java 17 module openings (submit/java17.args, a java @argfile that pom.xml's test
# JVMs read too), the project's one log4j2 configuration (src/main/resources/log4j2.properties),
# JavaCPP's native-library cache under target/, and the classpath: $CLASSPATH when it is set (the
# tests and the benchmark pass their own), else the local build of submit/build-local.sh (rebuilt
# when stale). Embedded Spark listens on 127.0.0.1 only, unless SPARK_LOCAL_IP says otherwise.
# OPENBLAS_CORETYPE is set to the kernels that fit this CPU (submit/openblas-coretype.sh).
# Your JVM options come last and win.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

options=()
while (($#)) && [[ $1 == -* ]]; do
  options+=("$1")
  shift
done
if (($# == 0)); then
  echo "usage: submit/java.sh [JVM option ...] MAIN_CLASS [argument ...]" >&2
  exit 2
fi

classpath=${CLASSPATH:-}
if [[ -z $classpath ]]; then
  "$root/submit/build-local.sh"
  classpath=$root/target/local/spark-mnist.jar:$(cat "$root/target/local/classpath.txt")
fi
# Given with -cp instead: JVMs this one starts (Spark's) must not inherit it.
unset CLASSPATH

export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
# OpenBLAS reads its kernel choice from the environment when ND4J loads it: the one that fits this CPU.
coretype=$("$root/submit/openblas-coretype.sh")
[[ -z $coretype ]] || export OPENBLAS_CORETYPE=$coretype
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" "@$root/submit/java17.args" \
  "-Dlog4j2.configurationFile=$root/src/main/resources/log4j2.properties" \
  "-Dorg.bytedeco.javacpp.cachedir=$root/target/javacpp-cache" \
  "${options[@]}" -cp "$classpath" "$@"
