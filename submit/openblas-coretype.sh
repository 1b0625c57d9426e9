#!/usr/bin/env bash
# Prints the OpenBLAS kernel family (an OPENBLAS_CORETYPE value) that fits this machine's CPU, or
# nothing where OpenBLAS's own detection should decide.
#
#   submit/openblas-coretype.sh [CPUINFO]     (default /proc/cpuinfo)
#
# ND4J's OpenBLAS (0.3.19) detects only the CPUs it knew when it was built: on a newer AMD EPYC it
# falls back to its 2007 "Barcelona" SSE kernels, far slower than the AVX2 "Haswell" or AVX-512
# "SkylakeX" ones (docs/BENCHMARKS.md, "The compute path, lever by lever"). So the launchers
# (submit/java.sh, submit/spark-submit.sh) choose from the CPU's flags: SkylakeX with the AVX-512
# subsets its kernels use, Haswell with AVX2 and FMA, else OpenBLAS's own choice. Forcing a kernel
# the CPU cannot run would crash the JVM, hence the flags. Which flags each needs is read from
# src/main/resources/cpu-levels.properties, which the Java side reads too (ND4J's build choice), so
# the two choices cannot drift apart; reading it here costs no JVM start per launch.
set -euo pipefail

levels=$(dirname "$0")/../src/main/resources/cpu-levels.properties
# The flags of one level; none (a missing level or file) is an error, never a CPU that has them all.
needs() {
  local list
  list=$(sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$levels")
  [[ -n $list ]] || { echo "openblas-coretype: error: $levels lists no flags for $1" >&2; return 1; }
  echo "$list"
}
skylake_avx512=$(needs skylake-avx512)
haswell=$(needs haswell)

flags=$(grep -m1 '^flags' "${1:-/proc/cpuinfo}" 2>/dev/null || true)
has() {
  local flag
  for flag in "$@"; do
    [[ " ${flags#*:} " == *" $flag "* ]] || return 1
  done
}
# shellcheck disable=SC2086 # each level is a list of flags
if has $skylake_avx512; then
  echo SkylakeX
elif has $haswell; then
  echo Haswell
fi
