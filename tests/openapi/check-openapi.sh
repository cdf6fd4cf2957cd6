#!/usr/bin/env bash
# GET /openapi.json of the real daemon (issue 11 §4): `redocly lint` with the recommended ruleset finds no error
# (and no warning, but those redocly.yaml justifies), openapi-typescript generates the client types, and
# `tsc --noEmit --strict` type-checks client-check.ts against them (a /v1/search call and POST /api-keys; its
# @ts-expect-error lines prove the types are not `any`).
# usage: check-openapi.sh BUILD_DIR SOURCE_DIR [TOLLGATED]
# The npm packages (package-lock.json) go to BUILD_DIR/openapi-node, installed again only when the lock changes.
set -euo pipefail
build=$(cd "$1" && pwd); source=$(cd "$2" && pwd)
tollgated="${3:-$build/app/tollgated}"
here="$source/tests/openapi"
tools="$build/openapi-node"
work=$(mktemp -d /tmp/tollgate-openapi.XXXXXX)
pid=""
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not installed (scripts/deps.sh --test)"
command -v npm >/dev/null || fail "npm is not installed (scripts/deps.sh --test)"
echo "node $(node --version), npm $(npm --version)"

# npm ci wipes node_modules; do it only when the lock differs from the one installed last time.
mkdir -p "$tools"
if ! cmp -s "$here/package-lock.json" "$tools/package-lock.json" || [[ ! -d $tools/node_modules ]]; then
    cp "$here/package.json" "$here/package-lock.json" "$tools/"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $tools"
else
    echo "npm packages: cached in $tools (package-lock.json unchanged)"
fi
bin="$tools/node_modules/.bin"

# A free loopback port: the kernel picks one, node tells it.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
"$tollgated" serve --port "$port" --listen-address 127.0.0.1 --database-url "sqlite:$work/t.db" --access-log off \
    >"$work/daemon.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/openapi.json" -o "$work/openapi.json" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[[ -s $work/openapi.json ]] || { cat "$work/daemon.log" >&2; fail "no /openapi.json from the daemon"; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

# Lint: the recommended ruleset plus redocly.yaml's justified exceptions; 0 errors required, warnings counted.
cp "$here/redocly.yaml" "$work/"
(cd "$work" && "$bin/redocly" lint --format=stylish openapi.json) >"$work/lint.txt" 2>&1 || { cat "$work/lint.txt" >&2; fail "redocly lint found errors"; }
cat "$work/lint.txt"
(cd "$work" && "$bin/redocly" lint --format=json openapi.json) >"$work/lint.json" 2>/dev/null || true
errors=$(node -e 'const r = require(process.argv[1]); console.log(r.totals.errors)' "$work/lint.json")
warnings=$(node -e 'const r = require(process.argv[1]); console.log(r.totals.warnings)' "$work/lint.json")
[[ $errors == 0 ]] || fail "redocly lint: $errors errors"

# Client: types from the served document, then the committed usage type-checked against them.
mkdir -p "$work/client"
"$bin/openapi-typescript" "$work/openapi.json" -o "$work/client/tollgate.d.ts" >/dev/null || fail "openapi-typescript"
cp "$here/client-check.ts" "$work/client/"
(cd "$work/client" && "$bin/tsc" --noEmit --strict --target es2020 --module commonjs client-check.ts tollgate.d.ts) \
    || fail "client-check.ts does not type-check against the generated client"

# The check can fail: the same file against a document whose search body is any object must not type-check
# (its @ts-expect-error lines then have no error to expect).
node -e '
const fs = require("fs"); const d = JSON.parse(fs.readFileSync(process.argv[1]));
d.components.schemas.SearchRequest = {type: "object", additionalProperties: true};
fs.writeFileSync(process.argv[2], JSON.stringify(d));' "$work/openapi.json" "$work/bare.json"
mkdir -p "$work/bare"
"$bin/openapi-typescript" "$work/bare.json" -o "$work/bare/tollgate.d.ts" >/dev/null || fail "openapi-typescript (bare)"
cp "$here/client-check.ts" "$work/bare/"
if (cd "$work/bare" && "$bin/tsc" --noEmit --strict --target es2020 --module commonjs client-check.ts tollgate.d.ts) >"$work/bare.txt" 2>&1; then
    fail "client-check.ts type-checks even against a bare-object search body: it proves nothing"
fi
grep -q "TS2578" "$work/bare.txt" || { cat "$work/bare.txt" >&2; fail "the bare-object document failed for another reason than an unused @ts-expect-error"; }

operations=$(node -e '
const d = require(process.argv[1]); let n = 0;
for (const p of Object.values(d.paths)) n += Object.keys(p).length; console.log(n)' "$work/openapi.json")
echo "openapi: $operations operations, redocly lint $errors errors / $warnings warnings;" \
     "client-check.ts type-checks against the generated client, and fails against a bare-object search body"
