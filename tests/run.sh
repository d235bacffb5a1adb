#!/usr/bin/env bash
# Install what the tests need (system packages listed in .ci/apt-packages.txt, the project with its
# test extras) and run the whole suite. The README's test command and CI's .ci/run are this script.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
if [ -f .ci/apt-packages.txt ]; then
  while read -r pkg; do
    [ -z "$pkg" ] || [[ "$pkg" == \#* ]] && continue
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done < .ci/apt-packages.txt
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q ".[test]"
python3 -m pytest "$@"
