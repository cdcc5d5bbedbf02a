#!/usr/bin/env bash
# Starts `polystream sim` on a free port, runs the official TypeScript client against it, stops it.
# Needs node and `npm install` in this folder; not part of `dotnet test` (it needs the npm registry).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -d "$here/node_modules" ] || (cd "$here" && npm install --no-audit --no-fund)
dotnet build "$root/src/PolyStream.Cli" -v q >/dev/null
out=$(mktemp)
dotnet "$root/src/PolyStream.Cli/bin/Debug/net10.0/PolyStream.Cli.dll" sim --port 0 --rate 50 --markets 10 >"$out" 2>&1 &
sim=$!
trap 'kill -TERM $sim 2>/dev/null || true; wait $sim 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do grep -q '^REST' "$out" && break; sleep 0.1; done
url=$(awk '/^REST/ {print $2}' "$out")
[ -n "$url" ] || { cat "$out"; exit 1; }
node "$here/smoke.mjs" "$url"
