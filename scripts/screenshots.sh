#!/usr/bin/env bash
# Renders the README's console screenshots from real data into resources/screenshots/ (or DIR):
# a throwaway tollgated on SQLite behind nginx as a stand-in upstream (search answers, extract fails with 502,
# the engine list is missing: 404), a few keys of each tier, a few hundred calls that end in each usage outcome,
# then `tollgate --connect … --screenshot` in English and German. Needs `scripts/deps.sh --bench` (nginx, curl).
#   scripts/screenshots.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(realpath -m "${1:-resources/screenshots}")
build="${TOLLGATE_BUILD_DIR:-build}"
B="$root/$build/app/tollgated"
C="$root/$build/app/tollgate"
work=$(mktemp -d /tmp/tollgate-shots.XXXXXX)
cleanup() {
    [[ -n "${gw:-}" ]] && kill "$gw" 2>/dev/null || true
    [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

up=$((20000 + RANDOM % 10000)); port=$((up + 1))
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 256; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$up;
        location = /health { return 200 'ok'; }
        location = /api/v1/search { default_type application/json; return 200 '{"results":[{"title":"Tollgate","url":"https://example.com"}]}'; }
        location = /api/v1/extract { return 502; }
        location = /synthesize/auto { default_type application/json; return 200 '{"audio":"UklGRg=="}'; }
        location / { return 404; }
    }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon on;'

export DATABASE_URL="sqlite:$work/demo.db" LOG_LEVEL=error ACCESS_LOG=off
export SEARCH_SERVICE_URL="http://127.0.0.1:$up" TTS_SERVICE_URL="http://127.0.0.1:$up" STT_SERVICE_URL="http://127.0.0.1:$up"
"$B" tiers set starter --rate 30 --window 60 --credits 40 --endpoints search,extract --price-cents 900 >/dev/null
key() { "$B" keys create --user "$1" --name "$2" --tier "$3" --json | sed -n 's/.*"key": *"\([^"]*\)".*/\1/p'; }
search_bot=$(key alice "Search bot" pro)
crawler=$(key alice "Nightly crawler" enterprise)
voice=$(key bob "Voice assistant" pro)
trial=$(key carol "Trial" free)
starter=$(key dave "Starter plan" starter)
for i in $(seq 1 6); do key "team$i" "Integration $i" pro >/dev/null; done
"$B" keys revoke "$("$B" keys list --user team6 --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)" >/dev/null
token=$("$B" admin-token create --name screenshots --json | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')

PORT=$port LISTEN_ADDRESS=127.0.0.1 "$B" serve & gw=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done

call() { curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/$2" -H "X-API-Key: $1" -H 'Content-Type: application/json' -d "$3"; }
for i in $(seq 1 120); do call "$search_bot" search '{"query":"gateway"}'; done
for i in $(seq 1 60); do call "$crawler" search '{"query":"news"}'; done
for i in $(seq 1 12); do call "$crawler" extract '{"url":"https://example.com"}'; done          # upstream fails: upstreamError
for i in $(seq 1 25); do call "$voice" tts/synthesize '{"text":"Hallo Welt"}'; done
for i in $(seq 1 14); do call "$trial" search '{"query":"trial"}'; done                          # 10 a minute: rateLimited after
call "$trial" tts/synthesize '{"text":"no"}'                                                   # not in free: forbidden
for i in $(seq 1 45); do call "$starter" search '{"query":"x"}'; done                             # 40 credits: insufficientCredits
for i in $(seq 1 5); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/search/engines" -H "X-API-Key: $crawler"; done  # 404 upstream: clientError
sleep 2   # usage is written behind every second

mkdir -p "$out"
for lang in en de; do
    TOLLGATE_ADMIN_TOKEN=$token QT_QPA_PLATFORM=offscreen "$C" --connect "http://127.0.0.1:$port" --lang "$lang" --screenshot "$out"
done
