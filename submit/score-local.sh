#!/usr/bin/env bash
# Runs the batch-scoring job in local mode, embedded in one JVM: no Spark install needed.
#
#   submit/score-local.sh [FILE.conf ...] [key=value ...]
#   submit/score-local.sh score.model.run=runs/r1 score.input.path=my-digits/ run.id=s1
#
# submit/run-local.sh with the scoring job's main class (org.sparkmnist.scoring.MnistScoringJob),
# without fetching MNIST. Relative paths (score.model.run, score.input.path, output.dir) are taken
# from the checkout's top directory.
set -euo pipefail
export SPARK_MNIST_MAIN_CLASS=org.sparkmnist.scoring.MnistScoringJob
export SPARK_MNIST_NO_FETCH=1
exec "$(dirname "$0")/run-local.sh" "$@"
