#!/usr/bin/env bash
# CPU per printed line of `polystream stream --json` and of its text output, before and after, side by side in
# one run: builds a baseline commit and this tree (Release), starts one simulator (varied markets, lifecycle
# off, 10 markets = 20 tokens) per rate, and runs the old and the new streamer at the same time against it,
# first with --json, then with text output. Each streamer's stdout is a pipe drained by a line counter; its
# CPU comes from /proc/PID/stat. Only a window after a warm-up counts (start-up, JIT and the first books are
# left out). During the NDJSON pass the new `tui` runs too, its output not a terminal (one subscriber reading
# every event, a summary every 5 s): the same streamer printing nothing per event ("none"), its CPU set
# against the new streamer's NDJSON lines. What a line costs beyond it is formatting and writing.
#
# Usage: eng/measure-output-cpu.sh [baseline-commit] [window-seconds]
#   RATES="900 22000"  simulator steps per second: about 2,000 and 50,000 lines/s with 10 markets here
#   WARMUP=8           seconds before the window opens
#   BUILDS=DIR         keep the two builds in DIR/old and DIR/new, and reuse them when they are there
set -euo pipefail

BASE=${1:-b3be952}
WINDOW=${2:-20}
RATES=${RATES:-"900 22000"}
WARMUP=${WARMUP:-8}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
source "$ROOT/eng/scratch.sh" measure-output
on_exit() { git -C "$ROOT" worktree remove --force "$WORK/base" 2>/dev/null || true; }
BUILDS=${BUILDS:-$WORK}

if [ ! -f "$BUILDS/old/PolyStream.Cli.dll" ]; then
    echo "building $BASE (Release) into $BUILDS/old ..." >&2
    git -C "$ROOT" worktree add --quiet --detach "$WORK/base" "$BASE"
    dotnet build "$WORK/base/src/PolyStream.Cli" -c Release -o "$BUILDS/old" --nologo -v quiet >&2
fi
if [ ! -f "$BUILDS/new/PolyStream.Cli.dll" ]; then
    echo "building the current tree (Release) into $BUILDS/new ..." >&2
    dotnet build "$ROOT/src/PolyStream.Cli" -c Release -o "$BUILDS/new" --nologo -v quiet >&2
fi

TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, after the ')' of comm (no spaces in 'dotnet')

# Counts the newlines on stdin; keeps the running count in $1, rewritten every 0.1 s.
COUNTER='
import sys, time
n, last, out = 0, 0.0, sys.argv[1]
read = sys.stdin.buffer.read1
while True:
    chunk = read(1 << 16)
    if not chunk:
        break
    n += chunk.count(b"\n")
    now = time.monotonic()
    if now - last >= 0.1:
        open(out + ".tmp", "w").write(str(n)); __import__("os").replace(out + ".tmp", out); last = now
open(out, "w").write(str(n))
'

# One pass: the old and the new streamer with one output format at the same time against the simulator at
# $url; with NDJSON also the new tui (no output per event), whose CPU is set against the new NDJSON lines.
measure_pass() {
    local rate=$1 output=$2 flag="" build name pid cpu lines tui="" tui0=0
    local -A pids cpu0 lines0
    [ "$output" = json ] && flag=--json
    for build in old new; do
        name="$rate-$build-$output"
        # shellcheck disable=SC2086 # the market options are separate words
        dotnet "$BUILDS/$build/PolyStream.Cli.dll" stream --host "$url" $markets $flag --duration "$((WARMUP + WINDOW + 5))s" \
            > >(python3 -c "$COUNTER" "$WORK/$name.count") 2>"$WORK/$name.err" &
        pids[$build]=$!
        PIDS+=("$!")
    done
    if [ "$output" = json ]; then
        # shellcheck disable=SC2086
        dotnet "$BUILDS/new/PolyStream.Cli.dll" tui --host "$url" $markets >/dev/null 2>"$WORK/$rate-tui.err" &
        tui=$!
        PIDS+=("$tui")
    fi

    sleep "$WARMUP"
    for build in old new; do
        cpu0[$build]=$(cpu_ticks "${pids[$build]}")
        lines0[$build]=$(cat "$WORK/$rate-$build-$output.count" 2>/dev/null || echo 0)
    done
    [ -n "$tui" ] && tui0=$(cpu_ticks "$tui")
    sleep "$WINDOW"
    for build in old new; do
        cpu=$(( $(cpu_ticks "${pids[$build]}") - cpu0[$build] ))
        lines=$(( $(cat "$WORK/$rate-$build-$output.count") - lines0[$build] ))
        row "$rate" "$build" "$output" "$cpu" "$lines"
    done
    if [ -n "$tui" ]; then
        row "$rate" new none "$(( $(cpu_ticks "$tui") - tui0 ))" "$lines"
        kill "$tui" 2>/dev/null || true
    fi
    wait "${pids[@]}" 2>/dev/null || true
}

row() {  # rate build output cpu-ticks lines
    awk -v r="$1" -v b="$2" -v o="$3" -v c="$4" -v l="$5" -v w="$WINDOW" -v t="$TICKS" 'BEGIN {
        printf "%-8s %-6s %-6s %10.0f %10.1f %12s\n", r, b, o, l / w, 100 * c / t / w, (l > 0 ? sprintf("%.1f", 1e6 * c / t / l) : "-") }'
}

printf '%-8s %-6s %-6s %10s %10s %12s\n' rate build output "lines/s" "cpu %core" "cpu us/line"
for rate in $RATES; do
    dotnet "$BUILDS/new/PolyStream.Cli.dll" sim --port 0 --markets 10 --rate "$rate" --no-lifecycle >"$WORK/sim.out" 2>"$WORK/sim.err" &
    sim=$!
    PIDS+=("$sim")
    for _ in $(seq 300); do grep -q '^REST' "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
    url=$(awk '/^REST/{print $2}' "$WORK/sim.out")
    url=${url%/}
    markets=$(curl -s "$url/markets" | grep -o '"market_slug":"[^"]*"' | sed 's/.*:"\(.*\)"/--market \1/' | tr '\n' ' ')
    measure_pass "$rate" json
    measure_pass "$rate" text
    kill "$sim" 2>/dev/null || true
    wait "$sim" 2>/dev/null || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  (CPU from /proc/PID/stat at $TICKS ticks/s over ${WINDOW}s windows)"
