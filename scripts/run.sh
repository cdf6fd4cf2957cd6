#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the gateway on embedded SQLite —
# the console window when a display is present, the headless daemon otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
build="${TOLLGATE_BUILD_DIR:-build}"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    exec "$build/app/tollgate" "$@"
fi
exec "$build/app/tollgated" serve "$@"
