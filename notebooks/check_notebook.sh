#!/usr/bin/env bash
# Executes notebooks/mnist_results.ipynb headlessly against one run directory and checks what it shows:
# no cell raised, at least 4 figures came out, and the accuracy table holds the run's accuracies and,
# for an MNIST run only, the tutorial's.
#
# Usage: notebooks/check_notebook.sh RUN_DIR [EXECUTED.ipynb]
#   RUN_DIR        a finished run (the directory holding summary.json); defaults to $RUN_DIR
#   EXECUTED.ipynb where to keep the executed notebook; by default it is deleted at exit
# Needs Debian's jupyter-nbconvert, python3-ipykernel, python3-matplotlib and python3-pandas.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
notebook="$here/mnist_results.ipynb"
run_dir="${1:-${RUN_DIR:-}}"
keep="${2:-}"

fail() { echo "check_notebook: $*" >&2; exit 1; }

[[ -n "$run_dir" ]] || fail "usage: $0 RUN_DIR [EXECUTED.ipynb] (or set RUN_DIR)"
[[ -f "$run_dir/summary.json" ]] || fail "$run_dir is not a run directory: it has no summary.json"
command -v jupyter >/dev/null && jupyter nbconvert --version >/dev/null 2>&1 \
  || fail "jupyter nbconvert is missing: apt-get install -y jupyter-nbconvert python3-ipykernel python3-matplotlib python3-pandas"
# The kernel runs in the notebook's directory, so the run directory must be absolute.
run_dir="$(cd "$run_dir" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --execute exits non-zero, with the traceback, when any cell raises.
RUN_DIR="$run_dir" PYDEVD_DISABLE_FILE_VALIDATION=1 jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 \
  --output-dir "$work" --output executed "$notebook" \
  || fail "executing $notebook against $run_dir failed (see the traceback above)"

python3 - "$work/executed.ipynb" "$run_dir/summary.json" <<'PY'
import json
import sys

notebook = json.load(open(sys.argv[1]))
summary = json.load(open(sys.argv[2]))
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
