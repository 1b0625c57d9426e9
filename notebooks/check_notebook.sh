#!/usr/bin/env bash
# Executes notebooks/mnist_results.ipynb headlessly against one run and checks what it shows: no cell
# raised, at least 4 figures came out, and the accuracy table holds the run's accuracies and, for each
# model the run compared with the tutorial (summary.json's tutorial_test_accuracy), the tutorial's.
#
# Usage: notebooks/check_notebook.sh RUN [EXECUTED.ipynb]
#   RUN            a finished run (the directory holding summary.json): a local path, an
#                  hdfs://namenode:port/path URI or a webhdfs://namenode:http-port/path URI (see
#                  run_files.py); defaults to $RUN_DIR
#   EXECUTED.ipynb where to keep the executed notebook; by default it is deleted at exit
# Runs in the pinned Python set of submit/python-env.sh notebook, installed on first use.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
notebook="$here/mnist_results.ipynb"
run="${1:-${RUN_DIR:-}}"
keep="${2:-}"

fail() { echo "check_notebook: $*" >&2; exit 1; }

[[ -n "$run" ]] || fail "usage: $0 RUN [EXECUTED.ipynb] (or set RUN_DIR)"
venv="$("$here/../submit/python-env.sh" notebook)"
python="$venv/bin/python"

# The run as the kernel must name it (a local path made absolute: the kernel runs in the notebook's
# directory), or the one line saying why it cannot be opened.
location="$(PYTHONPATH="$here" "$python" -c '
import sys
from run_files import UnreadableRun, open_run
try:
    print(open_run(sys.argv[1]).location)
except UnreadableRun as e:
    sys.exit(f"check_notebook: {e}")
' "$run")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --execute exits non-zero, with the traceback, when any cell raises.
RUN_DIR="$location" PYDEVD_DISABLE_FILE_VALIDATION=1 PYTHONDONTWRITEBYTECODE=1 "$venv/bin/jupyter" nbconvert \
  --to notebook --execute --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
  --output-dir "$work" --output executed "$notebook" \
  || fail "executing $notebook against $location failed (see the traceback above)"

PYTHONPATH="$here" PYTHONDONTWRITEBYTECODE=1 "$python" - "$work/executed.ipynb" "$location" <<'PY'
import json
import sys

from run_files import open_run

notebook = json.load(open(sys.argv[1]))
summary = json.loads(open_run(sys.argv[2]).read_text("summary.json"))
outputs = [output for cell in notebook["cells"] if cell["cell_type"] == "code" for output in cell.get("outputs", [])]

def fail(message):
    sys.exit(f"check_notebook: {message}")

errors = [output for output in outputs if output["output_type"] == "error"]
if errors:
    fail(f"a cell raised {errors[0]['ename']}: {errors[0]['evalue']}")

images = sum("image/png" in output.get("data", {}) for output in outputs)
if images < 4:
    fail(f"the executed notebook has {images} image outputs, expected at least 4")

tables = ["".join(output["data"].get("text/html", "")) for output in outputs
          if "tutorial test_accuracy %" in "".join(output.get("data", {}).get("text/html", ""))]
if not tables:
    fail("the executed notebook has no table of test accuracy against the tutorial")
for model, entry in summary["models"].items():
    # Trailing zeros stripped: pandas writes 96.50 as 96.5 when it is alone in its column.
    expected = [f"{100 * entry['test_accuracy']:.2f}".rstrip("0").rstrip(".")]
    if "tutorial_test_accuracy" in entry:
        expected.append(f"{100 * entry['tutorial_test_accuracy']:.1f}".rstrip("0").rstrip("."))
    missing = [number for number in expected if number not in tables[0]]
    if model not in tables[0] or missing:
        fail(f"the accuracy table lacks {model} or its numbers {missing}")
# Other data than MNIST: the tutorial's columns stay empty (pandas shows None or NaN) for every model.
if summary.get("config", {}).get("data", {}).get("name", "mnist") != "mnist":
    empty = tables[0].count("<td>None</td>") + tables[0].count("<td>NaN</td>")
    if empty < 2 * len(summary["models"]):
        fail(f"the accuracy table of a {summary['config']['data']['name']} run compares it with the MNIST tutorial")

print(f"check_notebook: ok: {len(outputs)} outputs, {images} figures, accuracy table of {', '.join(summary['models'])}")
PY

if [[ -n "$keep" ]]; then
  cp "$work/executed.ipynb" "$keep"
fi
