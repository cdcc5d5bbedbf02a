#!/usr/bin/env bash
# What the bench's gen0 collections cost and what they keep. Two runs of `polystream bench` (this tree, Release):
#   1. a trace of the runtime's GC events (dotnet-trace, GC keyword, verbose) over WINDOW seconds of the measured
#      load: each generation's pause, and where a collection's time goes (marking from each kind of root, and what
#      follows the marking);
#   2. a process dump (the runtime's createdump) a few seconds into the measured load: every young object an older
#      one references, which the next gen0 collection must mark and move, by holder and by type.
# Tracing slows the bench (its p99 then means little); the untraced figures are the bench's own (docs/performance.md).
#
# Usage: eng/measure-gc.sh [bench options...]      e.g. eng/measure-gc.sh --nats nats://127.0.0.1:4222
#   WINDOW=8        seconds traced
#   BUILDS=DIR      keep the builds in DIR, and reuse them when they are there
#   TOOLS=DIR       where dotnet-trace is installed when it is not on the PATH (default: ~/.cache/polystream-tools)
set -euo pipefail

WINDOW=${WINDOW:-8}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
source "$ROOT/eng/scratch.sh" measure-gc
BUILDS=${BUILDS:-$WORK}
TOOLS=${TOOLS:-$HOME/.cache/polystream-tools}

for project in PolyStream.Cli:src/PolyStream.Cli PolyStream.GcInspect:bench/PolyStream.GcInspect; do
    name=${project%%:*}
    if [ ! -f "$BUILDS/$name/$name.dll" ]; then
        echo "building $name (Release) into $BUILDS/$name ..." >&2
        dotnet build "$ROOT/${project#*:}" -c Release -o "$BUILDS/$name" --nologo -v quiet >&2
    fi
done

TRACE=$(command -v dotnet-trace || true)
if [ -z "$TRACE" ]; then
    TRACE=$TOOLS/dotnet-trace
    if [ ! -x "$TRACE" ]; then
        echo "installing dotnet-trace into $TOOLS ..." >&2
        dotnet tool install --tool-path "$TOOLS" dotnet-trace >&2
    fi
fi

# The newest .NET 10 runtime, the one `dotnet PolyStream.Cli.dll` runs on: its createdump and data-access library.
RUNTIME=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { dir = substr($3, 2, length($3) - 2) "/" $2 } END { print dir }')
[ -x "$RUNTIME/createdump" ] || { echo "measure-gc: no createdump in '$RUNTIME'" >&2; exit 1; }

# Starts a bench in the background (BENCH_PID) and waits until its measured load has run for 3 s.
start_bench() {
    local log=$1; shift
    dotnet "$BUILDS/PolyStream.Cli/PolyStream.Cli.dll" bench --duration $((WINDOW + 20))s "$@" --json >"$log.json" 2>"$log.err" &
    BENCH_PID=$!
    PIDS+=("$BENCH_PID")
    for _ in $(seq 600); do
        grep -q '^measuring' "$log.err" 2>/dev/null && { sleep 3; return; }
        kill -0 "$BENCH_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "measure-gc: the bench did not reach its measured load; its stderr:" >&2
    cat "$log.err" >&2
    exit 1
}

echo "1/2 tracing $WINDOW s of the bench's GC events ..." >&2
start_bench "$WORK/traced" "$@"
"$TRACE" collect -p "$BENCH_PID" --providers Microsoft-Windows-DotNETRuntime:0x1:5 \
    --duration "$(printf '00:00:00:%02d' "$WINDOW")" -o "$WORK/gc.nettrace" >/dev/null
wait "$BENCH_PID" || true
echo "== pauses ($WINDOW s traced) =="
dotnet "$BUILDS/PolyStream.GcInspect/PolyStream.GcInspect.dll" pauses "$WORK/gc.nettrace"

echo "2/2 dumping the bench's heap under load ..." >&2
start_bench "$WORK/dumped" "$@"
"$RUNTIME/createdump" --withheap -f "$WORK/bench.dmp" "$BENCH_PID" >/dev/null
kill "$BENCH_PID" 2>/dev/null || true
wait "$BENCH_PID" || true
echo "== what the next gen0 collection keeps =="
dotnet "$BUILDS/PolyStream.GcInspect/PolyStream.GcInspect.dll" survivors "$WORK/bench.dmp" "$RUNTIME/libmscordaccore.so"
