#!/usr/bin/env bash
# Prints the OpenBLAS kernel family (an OPENBLAS_CORETYPE value) that fits this machine's CPU, or
# nothing where OpenBLAS's own detection should decide.
#
#   submit/openblas-coretype.sh [CPUINFO]     (default /proc/cpuinfo)
#
# ND4J's OpenBLAS (0.3.19) detects only the CPUs it knew when it was built: on a newer AMD EPYC it
# falls back to its 2007 "Barcelona" SSE kernels (an MLP epoch in local mode measured 3.8 s with
# them, 2.7 s with the AVX2 "Haswell" ones, 2.4 s with the AVX-512 "SkylakeX" ones; see
# docs/BENCHMARKS.md). So the launchers
# (submit/java.sh, submit/spark-submit.sh) choose from the CPU's flags: SkylakeX with the AVX-512
# subsets its kernels use, Haswell with AVX2 and FMA, else OpenBLAS's own choice. Forcing a kernel
# the CPU cannot run would crash the JVM, hence the flags.
set -euo pipefail

flags=$(grep -m1 '^flags' "${1:-/proc/cpuinfo}" 2>/dev/null || true)
has() {
  local flag
  for flag in "$@"; do
    [[ " ${flags#*:} " == *" $flag "* ]] || return 1
  done
}
if has avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl; then
  echo SkylakeX
elif has avx2 fma; then
  echo Haswell
fi
