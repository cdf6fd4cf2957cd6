#!/usr/bin/env bash
# Configures and builds into ./build (or $TOLLGATE_BUILD_DIR). Extra arguments go to cmake's configure step;
# TOLLGATE_BUILD_TARGETS (space-separated) builds only those targets.
# ccache, when installed (deps.sh names it), keeps rebuilds and the ASan tree cheap; paths are taken relative to the
# source tree's parent, so clones and worktrees side by side share the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${TOLLGATE_BUILD_DIR:-build}"
launcher=()
if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$(pwd)")}" CCACHE_NOHASHDIR=1
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "${launcher[@]}" "$@" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" ${TOLLGATE_BUILD_TARGETS:+--target $TOLLGATE_BUILD_TARGETS}
