#!/usr/bin/env bash
# Installs one pinned set of Python tools into a virtual environment under target/python/ and
# prints that environment's directory.
#
#   submit/python-env.sh spark      # pyspark: the Spark distribution the scripts and tests run
#   submit/python-env.sh airflow    # Airflow, its Spark provider and pyspark: the DAG's real test
#   submit/python-env.sh notebook   # the results notebook's kernel (pandas, matplotlib, fsspec) and nbconvert
#
# submit/python/SET.txt pins every package of the set, dependencies included (pip freeze of a
# tested install), and is installed with --no-deps, so a fresh machine gets exactly what was
# tested and nothing is resolved anew. Reinstalled only when that file or the Python version
# changed; otherwise it returns at once. Environment: PYTHON (default python3, 3.11 as tested).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-}
requirements=$root/submit/python/$name.txt
if [[ -z $name || ! -f $requirements ]]; then
  echo "python-env: error: expected a set name with a file submit/python/<set>.txt: $(cd "$root/submit/python" && ls -- *.txt | sed 's/\.txt$//' | paste -sd' ')" >&2
  exit 2
fi
python=${PYTHON:-python3}
venv=$root/target/python/$name
log=$root/target/python/$name.log
stamp="$(sha256sum <"$requirements" | cut -d' ' -f1) python $("$python" -c 'import platform; print(platform.python_version())')"

mkdir -p "$root/target/python"
# Concurrent callers (tests, scripts) wait for one install instead of racing in the same directory.
exec {lock}>"$root/target/python/.$name.lock"
flock "$lock"
if [[ $(cat "$venv/.installed" 2>/dev/null || true) != "$stamp" ]]; then
  echo "python-env: installing the $name set into target/python/$name (log: target/python/$name.log)" >&2
  rm -rf "$venv"
  if ! { "$python" -m venv "$venv" &&
    "$venv/bin/python" -m pip install --no-deps --disable-pip-version-check --no-input -r "$requirements" &&
    "$venv/bin/python" -m pip check; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "python-env: error: installing the $name set failed; the whole log is target/python/$name.log" >&2
    exit 1
  fi
  # Written last: an interrupted install is redone from scratch next time.
  echo "$stamp" >"$venv/.installed"
fi
echo "$venv"
