#!/usr/bin/env bash
# Installs the Debian packages a command of this project needs, when they are missing: the one place
# that decides how this project installs system software.
#
#   submit/debian-packages.sh WHO PACKAGE...
#
# WHO names the caller in messages (e.g. "test"). Packages already installed are left alone; the rest
# are installed with apt-get when run as root. Otherwise it prints the one apt-get line that would do
# it and exits 1, and nothing is installed.
set -euo pipefail

who=${1:?usage: submit/debian-packages.sh WHO PACKAGE...}
shift

missing=()
for package in "$@"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "$who: error: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "$who: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  { echo "$who: error: apt-get install ${missing[*]} failed" >&2; exit 1; }
