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

(cd "$build" && ctest --output-on-failure --timeout 300 -j"$(nproc)" "$@")

# The HTTP front, the proxy and the pipeline again under AddressSanitizer + UBSan: early client
# disconnects, aborted upstream calls and pools destroyed mid-call must not touch freed memory.
if [[ -z "${TOLLGATE_SKIP_ASAN:-}" ]]; then
    asan="${build}-asan"
    # Not the process tests that measure the daemon's own memory (tst_bodyflood: ASan's allocator keeps freed memory
    # in quarantine, so RSS says nothing there) or start the real binary (tst_daemonlifecycle).
    asan_tests=$(cd "$build" && ctest -N -L 'http|proxy|gateway' | awk '/Test +#/ {print $3}' | grep -vE 'daemonlifecycle|bodyflood')
    TOLLGATE_BUILD_DIR="$asan" CMAKE_BUILD_TYPE=Debug TOLLGATE_BUILD_TARGETS="$(echo $asan_tests)" \
        scripts/build.sh -DTOLLGATE_ASAN=ON -DTOLLGATE_GUI=OFF
    (cd "$asan" && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$root/tests/support/lsan.supp" ctest --output-on-failure --timeout 300 -j"$(nproc)" \
        -R "^($(echo $asan_tests | tr ' ' '|'))\$")
fi
