#!/usr/bin/env bash
# Runs the training job in local mode, embedded in one JVM: no Spark install needed.
#
#   submit/run-local.sh [FILE.conf ...] [key=value ...]
#
# Builds the job if it is missing or older than its sources, fetches and verifies MNIST if it is
# missing, then runs the job (through submit/java.sh): reference.conf's tuned defaults with your
# files and overrides on top. Relative paths in the config (data.dir, output.dir) are taken from
# the checkout's top directory. Environment: DRIVER_MEMORY (default 6g), JAVA_OPTS (extra JVM flags),
# SPARK_MNIST_MAIN_CLASS (the job's entry point; submit/score-local.sh sets the scoring job's).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

# Config files named relative to where the user stands must survive the cd below.
args=()
for arg in "$@"; do
  if [[ "$arg" == *.conf && "$arg" != *=* && -f "$arg" ]]; then
    args+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")")
  else
    args+=("$arg")
  fi
done
cd "$root"

if [ -z "${SPARK_MNIST_NO_FETCH:-}" ]; then
  submit/fetch-mnist.sh "$root/data/mnist" >&2
fi

# One BLAS/OpenMP thread per Spark task: local workers each get a core instead of fighting over both.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
CLASSPATH= exec submit/java.sh -Xmx"${DRIVER_MEMORY:-6g}" ${JAVA_OPTS:-} "${SPARK_MNIST_MAIN_CLASS:-org.sparkmnist.job.MnistTrainingJob}" "${args[@]}"
