#!/usr/bin/env bash
# Builds what local runs use, when it is missing or older than the sources: the job's classes as
# target/local/spark-mnist.jar and its dependency classpath as target/local/classpath.txt.
# Used by submit/java.sh (so submit/run-local.sh) and submit/build-benchmark.sh; quiet when there is
# nothing to do. The benchmark is in test scope, so it is not part of this build.
#
# The jar is replaced by a rename after each build: a rebuild (or an IDE) rewriting target/classes
# can then never pull classes from under a run that is still going.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

jar=target/local/spark-mnist.jar
if [ -f "$jar" ] && [ -f target/local/classpath.txt ] &&
    [ -z "$(find src/main pom.xml -newer "$jar" -print -quit)" ]; then
  exit 0
fi
echo "build: building (mvn compile)" >&2
mkdir -p target/local
if ! mvn -B -DskipTests compile dependency:build-classpath -DincludeScope=compile \
    -Dmdep.outputFile=target/local/classpath.txt >target/build.log 2>&1; then
  tail -40 target/build.log >&2
  echo "build: error: the build failed; the whole log is target/build.log" >&2
  exit 1
fi
jar --create --file "$jar.tmp" -C target/classes .
mv -f "$jar.tmp" "$jar"
