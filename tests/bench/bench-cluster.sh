#!/usr/bin/env bash
# Several gateways as one (issue 10), measured in one run on this machine (loopback only), all on one PostgreSQL:
#   1. one gateway, RATE_LIMIT_BACKEND=local
#   2. one gateway, RATE_LIMIT_BACKEND=redis (one EVALSHA per event-loop turn and thread) — must keep at least 70 % of (1)
#   3. three gateways on the same PostgreSQL and Redis behind an nginx load balancer (as users run them)
# Upstream: nginx answering a small JSON. Prints req/s, p50/p99 and the ratios. BENCH_SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scripts/deps.sh --bench
scripts/build.sh >/dev/null
build="${TOLLGATE_BUILD_DIR:-build}"
duration="${BENCH_SECONDS:-10}"
work=$(mktemp -d /tmp/tollgate-bench-cluster.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for conf in up lb; do [[ -f "$work/nginx-$conf.pid" ]] && kill "$(cat "$work/nginx-$conf.pid")" 2>/dev/null || true; done
    "$root/scripts/pg-test-cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

base=$((20000 + RANDOM % 10000))
up_port=$base; lb_port=$((base + 1)); redis_port=$((base + 2)); pg_port=$((base + 3)); gw_ports=($((base + 4)) $((base + 5)) $((base + 6)))

cat > "$work/nginx-up.conf" <<CONF
worker_processes 1;
pid $work/nginx-up.pid;
error_log $work/nginx-up.err warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$up_port reuseport backlog=4096;
        location / { default_type application/json; return 200 '{"results":[{"title":"Tollgate","url":"https://example.com"}]}'; }
    }
}
CONF
cat > "$work/nginx-lb.conf" <<CONF
worker_processes 1;
pid $work/nginx-lb.pid;
error_log $work/nginx-lb.err warn;
events { worker_connections 8192; }
http {
    access_log off;
    keepalive_requests 1000000;
    upstream gateways { least_conn; server 127.0.0.1:${gw_ports[0]}; server 127.0.0.1:${gw_ports[1]}; server 127.0.0.1:${gw_ports[2]}; keepalive 256; }
    server {
        listen 127.0.0.1:$lb_port reuseport backlog=4096;
        location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://gateways; }
    }
}
CONF
nginx -c "$work/nginx-up.conf" -g 'daemon on;' 2>/dev/null
eval "$(scripts/pg-test-cluster.sh start "$work/pg" "$pg_port")"
psql_url="${TOLLGATE_TEST_PG_URL%/postgres}/postgres"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
pids+=($!)

export DATABASE_URL="$psql_url" LISTEN_ADDRESS=127.0.0.1 SEARCH_SERVICE_URL="127.0.0.1:$up_port" ACCESS_LOG=off LOG_LEVEL=warning
"$build/app/tollgated" tiers set bench --rate 1000000000 --window 60 --credits 1000000000000 --endpoints search >/dev/null
key=$("$build/app/tollgated" keys create --user bench --name bench --tier bench --json | sed -n 's/.*"key": "\(sk_[^"]*\)".*/\1/p')

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"query":"tollgate"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
LUA

gateway() { # port backend → pid
    PORT=$1 RATE_LIMIT_BACKEND=$2 REDIS_URL="redis://127.0.0.1:$redis_port" "$build/app/tollgated" serve >"$work/gw-$1.log" 2>&1 &
    local pid=$!
    pids+=($pid)
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
    echo "$pid"
}
stop() { kill "$@" 2>/dev/null || true; for p in "$@"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done; }

run() { # port connections → "rps p50 p99 non2xx"
    local out
    BENCH_KEY="$key" wrk -t2 -c16 -d2s -s "$work/post.lua" "http://127.0.0.1:$1/v1/search" >/dev/null 2>&1  # warm-up
    out=$(BENCH_KEY="$key" wrk -t2 -c"$2" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$1/v1/search" 2>&1)
    local non2xx
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1 == "50%" {print $2}') $(echo "$out" | awk '$1 == "99%" {print $2}') ${non2xx:-0}"
}

printf '\n%-34s %6s %12s %10s %10s %8s\n' "" "conns" "req/s" "p50" "p99" "non-2xx"
declare -A rps
conns="${BENCH_CONNECTIONS:-64}"
# Local and Redis alternate, BENCH_ROUNDS times (default 3): on a shared machine one run of each can differ by 25 %
# for reasons of its own; the ratio is taken of the medians.
rounds="${BENCH_ROUNDS:-3}"
declare -A runs
for round in $(seq "$rounds"); do
    for mode in local redis; do
        pid=$(gateway "${gw_ports[0]}" "$mode")
        read -r r p50 p99 bad < <(run "${gw_ports[0]}" "$conns")
        printf '%-34s %6s %12s %10s %10s %8s\n' "one gateway, $mode limits ($round)" "$conns" "$r" "$p50" "$p99" "$bad"
        runs[$mode]+="$r "
        stop "$pid"
    done
done
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for mode in local redis; do rps[$mode]=$(median "${runs[$mode]}"); done
printf '%-34s %6s %12s\n' "one gateway, local, median" "$conns" "${rps[local]}"
printf '%-34s %6s %12s\n' "one gateway, redis, median" "$conns" "${rps[redis]}"
g=()
for port in "${gw_ports[@]}"; do g+=($(gateway "$port" redis)); done
nginx -c "$work/nginx-lb.conf" -g 'daemon on;' 2>/dev/null
read -r r p50 p99 bad < <(run "$lb_port" "$conns")
printf '%-34s %6s %12s %10s %10s %8s\n' "three gateways (redis) behind nginx" "$conns" "$r" "$p50" "$p99" "$bad"
rps[three]=$r
decisions=$(curl -fs "http://127.0.0.1:${gw_ports[0]}/metrics" | awk '/^tollgate_ratelimit_decisions_total/ {s += $2} END {print s + 0}')
stop "${g[@]}"
# The bench key's sliding log after all of it: entries (one per script run that admitted calls) against the calls in it.
log=$(redis-cli -p "$redis_port" --scan --pattern '*rl:*' | head -n 1)
entries=$(redis-cli -p "$redis_port" ZCARD "$log")
calls=$(redis-cli -p "$redis_port" ZSCORE "$log" '#n')
echo
printf 'redis / local, one gateway (medians):  %.2f (target ≥ 0.70)\n' "$(echo "${rps[redis]} / ${rps[local]}" | bc -l)"
printf 'three gateways / one (redis):          %.2f (all on these %s cores, with nginx and wrk)\n' \
    "$(echo "${rps[three]} / ${rps[redis]}" | bc -l)" "$(nproc)"
echo "rate-limit decisions counted by the first of the three: $decisions"
echo "the key's Redis log: ${calls#-} calls in its window held in $entries entries; Redis $(redis-cli -p "$redis_port" INFO memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p') used"
