#!/usr/bin/env bash
# Measures what distribution costs and how far the job is from what a user would pick instead: the MLP
# trained with the same config, split and minibatch size, on this machine, by
#   (a) DL4J in one JVM: plain MultiLayerNetwork.fit (ND4J's own threads on all cores), and
#       ParallelWrapper (a worker per core, as DL4J's guide recommends for one machine),
#   (b) the Spark job in local mode with 2 workers (submit/run-local.sh),
#   (c) the Spark job on a 2-worker standalone cluster (submit/standalone-cluster.sh + spark-submit.sh),
#   (d) PyTorch (Debian's python3-torch on Debian's OpenMP OpenBLAS; submit/benchmark/pytorch_mlp.py) on all cores,
# then the averaging-frequency trade-off, with --scales the cost at k times the data, and the scoring job's
# throughput (images per second scoring 100,000 and 1,000,000 images in an idx file and 100,000 as a directory
# of PNG files, in local mode and on the cluster) against one JVM's MultiLayerNetwork.output on the same
# images with the same model and minibatch size.
# (a)-(d) run in rounds (--rounds N, default 3), each round running every configuration once, one
# configuration later than the round before, so that the machine's load falls on all of them alike.
# Reports seconds per epoch (median of epochs 2..N), time to 98.0% validation accuracy, test accuracy,
# peak RSS of driver and executors, and ratios, each the median over the rounds with their min-max;
# writes the tables into docs/BENCHMARKS.md with the machine, date, commit and command. Unless
# --scoring, the last three lines are of medians from this run: "distributed/single epoch-time ratio:
# X.XX", (b) over the faster (a); "distributed/pytorch epoch-time ratio: X.XX", (b) over (d); and
# "distributed/pytorch time-to-98% ratio: X.XX", (b)'s time to 98.0% validation accuracy over (d)'s
# (or "none: ..." naming the configuration that never got there).
#
#   submit/benchmark.sh [option ...] [FILE.conf ...] [key=value ...]     # --help lists the options
#
# It builds the benchmark (submit/build-benchmark.sh; it lives in test scope) and hands every argument
# to it (org.sparkmnist.benchmark.Benchmark), which reads the options once and, before measuring
# anything, installs what the configurations asked for need: (d)'s Debian packages python3-torch,
# python3-threadpoolctl and libopenblas0-openmp (submit/debian-packages.sh: installed when run as
# root), MNIST in data/mnist (submit/fetch-mnist.sh), and for (c) the cluster jar and Spark
# (submit/spark-submit.sh --build-only).
# Logs of every configuration are in target/benchmark/logs, their run directories in target/benchmark/runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Built first, so that no measured process compiles anything.
classpath=$(submit/build-benchmark.sh)
CLASSPATH=$classpath exec submit/java.sh -Xmx1g org.sparkmnist.benchmark.Benchmark "$@"
