#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests, owned by an unprivileged user
# (PostgreSQL refuses to run as root). `start DIR PORT` prints the environment the tests read; `stop DIR`.
set -euo pipefail
cmd="$1"; dir="$2"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    run=(runuser -u postgres --)
fi
ctl="${run[*]} $pgbin/pg_ctl -D $dir/data -l $dir/server.log -w"

case "$cmd" in
start)
    port="$3"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    "${run[@]}" "$pgbin/initdb" -D "$dir/data" -U tollgate --auth=trust -E UTF8 >/dev/null
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    $ctl start >/dev/null
    echo "export TOLLGATE_TEST_PG_URL=postgresql://tollgate@127.0.0.1:$port/postgres"
    echo "export TOLLGATE_TEST_PG_CTL='$ctl'"
    ;;
stop)
    [[ -d "$dir/data" ]] && $ctl stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
