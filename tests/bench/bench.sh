#!/usr/bin/env bash
# Tollgate against nginx, in the same run, on this machine (loopback only).
#   upstream: nginx serving a small JSON answer with keep-alive
#   peer:     nginx doing the gateway's job its way: key check with `map`, `limit_req`, `proxy_pass` + upstream keepalive
#   tollgate: tollgated serve, full pipeline (key cache, rate limit, credit ledger, usage write-behind, access log), SQLite
# Prints req/s, p50/p99 and RSS for each at 64 and 256 connections, the ratios, and the RSS of 10,000 idle connections.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scripts/deps.sh --bench
scripts/build.sh >/dev/null
build="${TOLLGATE_BUILD_DIR:-build}"
duration="${BENCH_SECONDS:-10}"

work=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -f "$work/nginx-up.pid" ]] && kill "$(cat "$work/nginx-up.pid")" 2>/dev/null || true
    [[ -f "$work/nginx-peer.pid" ]] && kill "$(cat "$work/nginx-peer.pid")" 2>/dev/null || true
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

up_port=$((20000 + RANDOM % 10000)); peer_port=$((up_port + 1)); gw_port=$((up_port + 2))
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
cat > "$work/nginx-peer.conf" <<CONF
worker_processes auto;
pid $work/nginx-peer.pid;
error_log $work/nginx-peer.err warn;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 1000000;
    map_hash_bucket_size 128;
    map \$http_x_api_key \$key_ok { default 0; "sk_live_benchmarkkeybenchmarkkeybenchmarkkey1" 1; }
    limit_req_zone \$http_x_api_key zone=perkey:10m rate=1000000r/s;
    upstream search { server 127.0.0.1:$up_port; keepalive 256; }
    server {
        listen 127.0.0.1:$peer_port reuseport backlog=4096;
        location /v1/search {
            if (\$key_ok = 0) { return 401 '{"error":{"code":"INVALID_API_KEY"}}'; }
            limit_req zone=perkey burst=1000000 nodelay;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-API-Key "";
            proxy_pass http://search/api/v1/search;
        }
    }
}
CONF
nginx -c "$work/nginx-up.conf" -g 'daemon on;' 2>/dev/null
nginx -c "$work/nginx-peer.conf" -g 'daemon on;' 2>/dev/null

export DATABASE_URL="sqlite:$work/tollgate.db" PORT=$gw_port LISTEN_ADDRESS=127.0.0.1 SEARCH_SERVICE_URL="127.0.0.1:$up_port"
"$build/app/tollgated" tiers set bench --rate 1000000000 --window 60 --credits 1000000000000 --endpoints search >/dev/null
key=$("$build/app/tollgated" keys create --user bench --name bench --tier bench --json | sed -n 's/.*"key": "\(sk_[^"]*\)".*/\1/p')
"$build/app/tollgated" serve >"$work/tollgate.log" 2>&1 &
pids+=($!)
gw_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$gw_port/health/live" >/dev/null 2>&1 && break; sleep 0.1; done

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"q":"tollgate"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY")
LUA

rss_kb() { local total=0; for p in "$@"; do total=$((total + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo "$total"; }
nginx_pids() { pgrep -f "nginx: .*process.*$1" 2>/dev/null || true; pgrep -f "nginx -c $work/$1.conf" 2>/dev/null || true; }
peer_pids() { ps -eo pid,args | awk -v pidfile="$(cat "$work/nginx-peer.pid")" '$1 == pidfile {print $1}'; pgrep -P "$(cat "$work/nginx-peer.pid")" || true; }

# CPU time (user + system, all threads) of processes, in clock ticks: what a proxied request costs each side.
cpu_ticks() { local total=0; for p in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$total"; }

run() { # name port connections → "rps p50 p99"
    local out
    out=$(BENCH_KEY="$key" wrk -t2 -c"$3" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$2/v1/search" 2>&1)
    if echo "$out" | grep -q "Non-2xx"; then echo "$1: non-2xx answers:" >&2; echo "$out" >&2; fi
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    echo "$rps $p50 $p99"
}

# Same key for nginx: its map knows one fixed key, so give it ours.
sed -i "s/sk_live_benchmarkkeybenchmarkkeybenchmarkkey1/$key/" "$work/nginx-peer.conf"
nginx -c "$work/nginx-peer.conf" -s reload; sleep 0.5

printf '\n%-10s %6s %12s %10s %10s %10s %12s\n' "" "conns" "req/s" "p50" "p99" "RSS MB" "CPU µs/req"
declare -A result
for conns in 64 256; do
    for target in nginx tollgate; do
        port=$peer_port; [[ $target == tollgate ]] && port=$gw_port
        run "$target" "$port" 16 >/dev/null  # warm-up
        if [[ $target == tollgate ]]; then pids=$gw_pid; else pids=$(peer_pids); fi
        ticks=$(cpu_ticks $pids)
        read -r rps p50 p99 < <(run "$target" "$port" "$conns")
        ticks=$(($(cpu_ticks $pids) - ticks))
        rss=$(rss_kb $pids)
        printf '%-10s %6s %12s %10s %10s %10.1f %12.1f\n' "$target" "$conns" "$rps" "$p50" "$p99" "$(echo "$rss / 1024" | bc -l)" \
            "$(echo "$ticks * 1000000 / $(getconf CLK_TCK) / ($rps * $duration)" | bc -l)"
        result[$target$conns]=$rps
    done
done
echo
for conns in 64 256; do
    printf 'ratio tollgate/nginx at %s connections: %.2f\n' "$conns" "$(echo "${result[tollgate$conns]} / ${result[nginx$conns]}" | bc -l)"
done

# 10,000 idle keep-alive connections: what they cost the gateway in memory.
before=$(rss_kb "$gw_pid")
"$build/tests/bench/bench_idle_connections" 127.0.0.1 "$gw_port" 10000 "$work/idle.ready" &
idle_pid=$!
pids+=($idle_pid)
for _ in $(seq 200); do [[ -f "$work/idle.ready" ]] && break; sleep 0.1; done
sleep 1
after=$(rss_kb "$gw_pid")
open=$(curl -fs "http://127.0.0.1:$gw_port/metrics" | awk '/^tollgate_open_connections / {print $2}')
kill $idle_pid 2>/dev/null || true
printf '\n10,000 idle connections: gateway RSS %.1f MB → %.1f MB (+%.1f KB per connection), open connections reported: %s\n' \
    "$(echo "$before / 1024" | bc -l)" "$(echo "$after / 1024" | bc -l)" "$(echo "($after - $before) / 10000" | bc -l)" "$open"

# ---------------------------------------------------------------------------------------------------
# Upstream clients on one event-loop thread: the gateway's UpstreamPool against libcurl's multi
# interface (embedded the same way: socket notifiers and a timer on a Qt event loop), each keeping N
# calls in flight to the nginx upstream above. Both run with QT_NO_GLIB=1, the dispatcher tollgated
# uses. CPU per call is the client thread's alone; nginx and the client share the 2 cores.
client_seconds="${BENCH_CLIENT_SECONDS:-5}"
client_url="http://127.0.0.1:$up_port/api/v1/search"
echo
echo "Upstream clients on one event-loop thread (nginx upstream, ${client_seconds} s per run)"
for conns in 64 256; do
    # A run with errors exits non-zero and says why on stderr; its line still shows the count.
    pool=$(QT_NO_GLIB=1 "$build/tests/proxy/bench_upstreampool" --url "$client_url" --concurrency "$conns" \
        --seconds "$client_seconds") || true
    libcurl=$(QT_NO_GLIB=1 "$build/tests/bench/bench_upstream_curl" --url "$client_url" --concurrency "$conns" \
        --seconds "$client_seconds") || true
    echo
    paste -d '\t' <(printf 'UpstreamPool\n%s\n' "$pool") <(printf 'libcurl multi\n%s\n' "$libcurl") |
        awk -F '\t' '{ printf "  %-56s %s\n", $1, $2 }'
done
