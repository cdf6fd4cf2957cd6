#!/usr/bin/env bash
# resources/monitoring (issue 11 §3): the alert rules pass `promtool check rules`, the dashboard is valid JSON, the
# daemon's /metrics passes `promtool check metrics`, and every metric the rules and the dashboard name is one the
# daemon exports (a renamed metric would otherwise leave an alert that never fires).
# usage: check-monitoring.sh TOLLGATED SOURCE_DIR
set -euo pipefail
tollgated="$1"; source="$2"
rules="$source/resources/monitoring/tollgate-alerts.yml"
dashboard="$source/resources/monitoring/tollgate-dashboard.json"
work=$(mktemp -d /tmp/tollgate-monitoring.XXXXXX)
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

promtool check rules "$rules" || fail "promtool check rules"
jq -e '.panels | length > 0' "$dashboard" >/dev/null || fail "the dashboard is not valid JSON with panels"

port=$((20000 + RANDOM % 30000))
"$tollgated" serve --port "$port" --listen-address 127.0.0.1 --database-url "sqlite:$work/t.db" --access-log off \
    >"$work/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics.txt" 2>/dev/null && break
    sleep 0.1
done
[[ -s "$work/metrics.txt" ]] || { cat "$work/daemon.log" >&2; fail "no /metrics from the daemon"; }
promtool check metrics <"$work/metrics.txt" || fail "promtool check metrics"

exported=$(sed -nE 's/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) .*/\1/p' "$work/metrics.txt" | sort -u)
histograms=$(sed -nE 's/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) histogram$/\1/p' "$work/metrics.txt")
named=$(grep -ohE '\b(tollgate|process)_[a-z0-9_]+' "$rules" "$dashboard" | sort -u)
missing=()
for name in $named; do
    base=$name
    for suffix in _bucket _sum _count; do
        stem=${name%"$suffix"}
        [[ $stem != "$name" ]] && grep -qx "$stem" <<<"$histograms" && base=$stem
    done
    grep -qx "$base" <<<"$exported" || missing+=("$name")
done
[[ ${#missing[@]} -eq 0 ]] || fail "named in resources/monitoring but not exported by tollgated: ${missing[*]}"
echo "monitoring: $(grep -c '  - alert:' "$rules") alert rules, $(jq '.panels | length' "$dashboard") panels;" \
     "$(wc -w <<<"$named") metric names used, all among the $(wc -l <<<"$exported") the daemon exports"
