#!/usr/bin/env bash
# Installs what Tollgate needs on Debian 12 and is not there yet, without Recommends (a fresh machine has only what
# is named here and the hard Depends of it; tests/install/check-build-deps.sh proves the list covers the build).
#   --test   adds what the tests start and read (PostgreSQL, Redis, Xvfb, a Secret Service: gnome-keyring in a D-Bus session)
#   --bench  adds what tests/bench/bench.sh calls (nginx, wrk, bc, curl, …)
#   --list   prints the chosen packages, one a line, and installs nothing
# Flags combine: `deps.sh --test --bench`.
set -euo pipefail

# Build: compiler and tools, Qt (libqt6opengl6-dev because Qt6Charts' CMake config asks for Qt6OpenGL, and it is
# only a Recommends of qt6-base-dev), Qt's own German (qt6-translations-l10n: standard buttons and dialogs of
# the console), the SVG icon engine (libqt6svg6: the console's icons stay sharp at any scale), libsecret (QtKeychain
# loads it to reach the Secret Service), the SQL drivers the daemon loads, and the C libraries we link.
packages=(cmake ninja-build g++ pkg-config ccache
          qt6-base-dev libqt6opengl6-dev qt6-charts-dev qtkeychain-qt6-dev libqt6sql6-sqlite libqt6sql6-psql
          qt6-l10n-tools qt6-tools-dev qt6-tools-dev-tools qt6-translations-l10n libqt6svg6 libsecret-1-0 libgl-dev
          libhttp-parser-dev libssl-dev libhiredis-dev libcurl4-openssl-dev libsystemd-dev)
list=""
for flag in "$@"; do
    case "$flag" in
    --list) list=1 ;;
    --test) packages+=(dpkg-dev fakeroot systemd postgresql redis-server xvfb xauth gnome-keyring dbus-daemon appstream desktop-file-utils) ;;
    --bench) packages+=(nginx-light wrk procps bc curl postgresql redis-server) ;;
    *) echo "deps.sh: unknown flag '$flag' (expected --test, --bench or --list)" >&2; exit 2 ;;
    esac
done
if [[ -n "$list" ]]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

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
