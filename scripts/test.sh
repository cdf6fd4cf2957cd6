#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL on loopback, runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/deps.sh --test
scripts/build.sh

build="${TOLLGATE_BUILD_DIR:-build}"
pgdir=$(mktemp -d /tmp/tollgate-test-pg.XXXXXX)
trap '"$root/scripts/pg-test-cluster.sh" stop "$pgdir"' EXIT
port=$((20000 + RANDOM % 30000))
eval "$(scripts/pg-test-cluster.sh start "$pgdir" "$port")"
export TOLLGATE_TEST_REQUIRE_PG=1

cd "$build"
ctest --output-on-failure --timeout 300 -j"$(nproc)" "$@"
