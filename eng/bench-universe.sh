#!/usr/bin/env bash
# Universe mode at venue scale (issue 19; docs/performance.md, "Universe mode"): the simulator with 25,000
# markets (50,000 tokens, lifecycle on) in its own process, and `polystream stream --all --json > /dev/null`
# (Release build) following all of it. Reports the time to all synced, the streamer's peak resident memory
# (VmHWM) and its CPU over a steady-state window after the sync, with the load average.
#
# Usage: eng/bench-universe.sh [MARKETS] [RATE] [STEADY_SECONDS]
#   MARKETS         simulated markets, two tokens each (default 25000)
#   RATE            engine steps per second of the simulator (default 2000, ~4,000 events/s: the venue's
#                   market channel is of that order across all its books; it publishes no figure)
#   STEADY_SECONDS  the steady-state CPU window after all synced (default 30)
# Exit 1 when the streamer did not sync within 300 s or exited early.
set -euo pipefail
cd "$(dirname "$0")/.."
markets=${1:-25000}
rate=${2:-2000}
steady=${3:-30}
limit=300

dotnet build src/PolyStream.Cli -c Release -v quiet -nologo >/dev/null
cli=src/PolyStream.Cli/bin/Release/net10.0/PolyStream.Cli.dll
work=$(mktemp -d)
sim_pid=""
stream_pid=""
cleanup() {
  [ -n "$stream_pid" ] && kill -TERM "$stream_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Background jobs start with SIGINT ignored; SIGTERM stops them (docs/cli.md).
dotnet "$cli" sim --port 0 --markets "$markets" --rate "$rate" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 600); do
  grep -q '^REST' "$work/sim.out" 2>/dev/null && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator exited: $(cat "$work/sim.err")" >&2; exit 1; }
  sleep 0.1
done
host=$(awk '/^REST/ {print $2}' "$work/sim.out")
echo "simulator: $markets markets at $rate steps/s on $host (pid $sim_pid)"

started=$(date +%s.%N)
dotnet "$cli" stream --all --json --host "$host" >/dev/null 2>"$work/stream.err" &
stream_pid=$!
echo "streamer: pid $stream_pid; waiting for all markets synced (at most $limit s)"
synced_line=""
while [ -z "$synced_line" ]; do
  kill -0 "$stream_pid" 2>/dev/null || { echo "the streamer exited:" >&2; tail -5 "$work/stream.err" >&2; exit 1; }
  if [ "$(echo "$(date +%s.%N) - $started > $limit" | bc)" = 1 ]; then
    echo "not all synced within $limit s; last progress: $(grep 'markets synced' "$work/stream.err" | tail -1)" >&2
    exit 1
  fi
  synced_line=$(grep -m1 'markets synced (.* tokens) after' "$work/stream.err" || true)
  sleep 0.2
done
wall=$(echo "$(date +%s.%N) - $started" | bc)
echo "synced: ${synced_line#polystream stream: }"
# The first progress line with a total: discovery (Gamma pages) is over, placement (connections) begins.
echo "discovered: $(grep -m1 -E '/[1-9][0-9]* markets synced' "$work/stream.err" | sed 's/^polystream stream: //')"
printf 'all synced after %.1f s from the process start (dotnet start-up included)\n' "$wall"

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$stream_pid/stat"; }
before=$(cpu)
sleep "$steady"
after=$(cpu)
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$stream_pid/status")
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$stream_pid/status")
threads=$(awk '/^Threads/ {print $2}' "/proc/$stream_pid/status")
printf 'steady state over %s s: streamer CPU %.0f%% of one core\n' "$steady" "$(echo "($after - $before) * 100 / ($ticks * $steady)" | bc -l)"
printf 'memory: peak resident (VmHWM) %.0f MB, resident now %.0f MB, %s threads\n' "$(echo "$hwm / 1024" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$threads"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
