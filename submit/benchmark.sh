#!/usr/bin/env bash
# Measures what distribution costs: the MLP trained with the same config, on this machine, by
#   (a) plain DL4J in one JVM (ND4J's own threads on all cores),
#   (b) the Spark job in local mode with 2 workers (submit/run-local.sh),
#   (c) the Spark job on a 2-worker standalone cluster (submit/standalone-cluster.sh + spark-submit.sh),
# then the averaging-frequency trade-off and, with --scales, the cost at k times the data.
# Reports seconds per epoch (median of epochs 2..N), examples/s, test accuracy, peak RSS of driver
# and executors, and the ratio to (a); writes the tables into docs/BENCHMARKS.md with the machine,
# date, commit and command. The last line is "distributed/single epoch-time ratio: X.XX", (b)/(a).
#
#   submit/benchmark.sh [--frequencies F,F,...] [--scales K,K,...] [--no-cluster] [--report FILE]
#                       [--scale-epochs N] [FILE.conf ...] [key=value ...]
#
# Logs of every configuration are in target/benchmark/logs, their run directories in target/benchmark/runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cluster=yes
for arg in "$@"; do
  [ "$arg" != --no-cluster ] || cluster=
done

# Build, fetch and install first, so that no measured process compiles or downloads anything.
submit/build-local.sh
submit/fetch-mnist.sh "$root/data/mnist" >&2
if [ -n "$cluster" ]; then
  submit/spark-submit.sh --build-only
fi

CLASSPATH= exec submit/java.sh -Xmx1g org.sparkmnist.benchmark.Benchmark "$@"
