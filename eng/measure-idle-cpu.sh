#!/usr/bin/env bash
# Idle CPU of `polystream stream` with many tokens subscribed and no traffic. One simulator (frozen: --rate 0,
# lifecycle off) with MARKETS markets, and two streamers against it at once: `stream --all` (universe mode) and
# `stream --asset …` with every token (a fixed list). Once the universe streamer reports every market synced
# and SETTLE seconds have passed (the fixed list syncs as fast), CPU (/proc/PID/stat) and wake-ups (context
# switches of every thread, /proc/PID/task/*/status) are counted over the window. Only heartbeats move then:
# a PING per connection every ping interval, and each streamer's own timers.
#
# Usage: eng/measure-idle-cpu.sh [window-seconds]
#   MARKETS=5000    binary markets (two tokens each): 5,000 is 10,000 tokens
#   SETTLE=150      seconds between every market synced and the window: JIT tiering and the start-up
#                   garbage take the first minute or two
#   BUILDS=DIR      keep the build in DIR/new, and reuse it when it is there
set -euo pipefail

WINDOW=${1:-60}
MARKETS=${MARKETS:-5000}
SETTLE=${SETTLE:-150}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
source "$ROOT/eng/scratch.sh" measure-idle
BUILDS=${BUILDS:-$WORK}

if [ ! -f "$BUILDS/new/PolyStream.Cli.dll" ]; then
    echo "building the current tree (Release) into $BUILDS/new ..." >&2
    dotnet build "$ROOT/src/PolyStream.Cli" -c Release -o "$BUILDS/new" --nologo -v quiet >&2
fi
CLI="$BUILDS/new/PolyStream.Cli.dll"
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# "tid switches" per thread; threads come and go (the thread pool retires idle workers), so the window counts
# each thread's own increase, and a thread that started inside it from zero.
switches() { for t in /proc/"$1"/task/*; do awk -v t="${t##*/}" '/^(non)?voluntary_ctxt_switches/ {s += $2} END {print t, s + 0}' "$t/status" 2>/dev/null; done; }
switched() { awk 'NR == FNR {before[$1] = $2; next} {s += $2 - before[$1]} END {print s + 0}' "$1" <(switches "$2"); }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

echo "simulator: $MARKETS markets, frozen ..." >&2
dotnet "$CLI" sim --port 0 --markets "$MARKETS" --rate 0 --no-lifecycle >"$WORK/sim.out" 2>"$WORK/sim.err" &
PIDS+=("$!")
for _ in $(seq 600); do grep -q '^REST' "$WORK/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/^REST/{print $2}' "$WORK/sim.out")
url=${url%/}

# Every token, paging the simulator's /markets as a client pages the venue's.
python3 - "$url" >"$WORK/tokens" <<'PY'
import json, sys, urllib.request
url, cursor = sys.argv[1], ""
while cursor != "LTE=":
    page = json.load(urllib.request.urlopen(f"{url}/markets?next_cursor={cursor}"))
    for market in page["data"]:
        for token in market.get("tokens", []):
            print(token["token_id"])
    cursor = page.get("next_cursor") or "LTE="
PY
echo "$(wc -l <"$WORK/tokens") tokens" >&2
sed 's/^/--asset /' "$WORK/tokens" | tr '\n' ' ' >"$WORK/args"

declare -A pid
dotnet "$CLI" stream --host "$url" --all --connect-timeout 120s >/dev/null 2>"$WORK/all.err" &
pid[all]=$!
PIDS+=("$!")
# shellcheck disable=SC2046 # one word per option and token
dotnet "$CLI" stream --host "$url" $(cat "$WORK/args") --connect-timeout 120s >/dev/null 2>"$WORK/list.err" &
pid[list]=$!
PIDS+=("$!")

echo "waiting for every market to sync, then ${SETTLE}s ..." >&2
for _ in $(seq 2400); do
    for mode in all list; do
        kill -0 "${pid[$mode]}" 2>/dev/null || { echo "the $mode streamer ended: $(tail -3 "$WORK/$mode.err")" >&2; exit 1; }
    done
    grep -q 'markets synced.*following' "$WORK/all.err" && break
    sleep 0.5
done
grep -q 'markets synced.*following' "$WORK/all.err" || { echo "not synced after 20 minutes: $(tail -1 "$WORK/all.err")" >&2; exit 1; }
grep 'markets synced.*following' "$WORK/all.err" >&2
sleep "$SETTLE"

declare -A cpu0
for mode in all list; do
    cpu0[$mode]=$(cpu_ticks "${pid[$mode]}")
    switches "${pid[$mode]}" >"$WORK/$mode.switches"
done
sleep "$WINDOW"
tokens=$(wc -l <"$WORK/tokens")
printf '%-16s %8s %10s %12s %8s\n' streamer tokens "cpu %core" "wake-ups/s" "RSS MB"
for mode in all list; do
    p=${pid[$mode]}
    name="stream --all"
    [ "$mode" = list ] && name="stream --asset…"
    awk -v b="$name" -v n="$tokens" -v c=$(( $(cpu_ticks "$p") - cpu0[$mode] )) -v s="$(switched "$WORK/$mode.switches" "$p")" -v r="$(rss_mb "$p")" -v w="$WINDOW" -v t="$TICKS" \
        'BEGIN { printf "%-16s %8d %10.2f %12.1f %8d\n", b, n, 100 * c / t / w, s / w, r }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)  (${WINDOW}s window, CPU from /proc/PID/stat at $TICKS ticks/s)"
