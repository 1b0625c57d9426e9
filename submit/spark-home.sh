#!/usr/bin/env bash
# Prints the SPARK_HOME the project's scripts and tests run Spark from: yours when SPARK_HOME is
# set, else the complete Spark distribution inside pyspark's package (jars/ with spark-yarn,
# bin/spark-submit, bin/spark-class, sbin/spark-daemon.sh), installed pinned to the job's Spark and
# Scala versions by submit/python-env.sh spark.
set -euo pipefail

if [[ -n ${SPARK_HOME:-} ]]; then
  if [[ ! -x $SPARK_HOME/bin/spark-submit ]]; then
    echo "spark-home: error: SPARK_HOME=$SPARK_HOME has no bin/spark-submit; unset it to use pyspark's Spark" >&2
    exit 2
  fi
  echo "$SPARK_HOME"
  exit 0
fi
venv=$("$(dirname "$0")/python-env.sh" spark)
"$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
