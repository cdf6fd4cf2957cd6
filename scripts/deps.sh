#!/usr/bin/env bash
# Installs what Tollgate needs on Debian 12 and is not there yet. `--test` adds what the tests need.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-charts-dev qtkeychain-qt6-dev libqt6sql6-sqlite libqt6sql6-psql
          qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools libgl-dev
          libhttp-parser-dev libssl-dev libhiredis-dev libcurl4-openssl-dev)
case "${1:-}" in
--test) packages+=(postgresql xvfb xauth) ;;
--bench) packages+=(nginx-light wrk procps) ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
