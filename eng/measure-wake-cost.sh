#!/usr/bin/env bash
# What one wake-up of a thread costs this machine, with nothing of PolyStream in it: the floor under the CPU
# per line of `stream` at low rates, where each burst of frames wakes the connection's reader (from the socket)
# and the printer (from its gather timer). Two waits, each repeated COUNT times at each interval:
#   timer   - the thread sleeps the interval (as the printer between writes);
#   socket  - the thread blocks in recv() until another process sends a byte, once per interval (as a
#             connection's reader between frames).
# CPU is the waiting thread's own (CLOCK_THREAD_CPUTIME_ID): what the kernel charges for putting it to sleep,
# waking it and switching it back in, plus a few Python bytecodes (well under a microsecond). On bare metal a
# wake costs a few microseconds; in a virtual machine a vCPU that went idle exits to the hypervisor, and the
# wake-up costs more the longer it idled.
#
# Usage: eng/measure-wake-cost.sh [count]     (default 1000; ~25 s)
#   INTERVALS="10 1"   milliseconds between wake-ups, each above 0 and at most 1000
set -euo pipefail

COUNT=${1:-1000}
INTERVALS=${INTERVALS:-"10 1"}
[[ "$COUNT" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "measure-wake-cost: count is a whole number from 1 to 999999 (got '$COUNT')" >&2; exit 2; }
for ms in $INTERVALS; do
    [[ "$ms" =~ ^([1-9][0-9]{0,2}|0\.[0-9]*[1-9][0-9]*|1000)$ ]] ||
        { echo "measure-wake-cost: an interval is a number of milliseconds above 0 and at most 1000 (got '$ms')" >&2; exit 2; }
done

python3 - "$COUNT" $INTERVALS <<'EOF'
import os, socket, sys, time

count, intervals = int(sys.argv[1]), [float(ms) / 1000 for ms in sys.argv[2:]]

def per_wake(wait):
    start = time.clock_gettime(time.CLOCK_THREAD_CPUTIME_ID)
    for _ in range(count):
        wait()
    return (time.clock_gettime(time.CLOCK_THREAD_CPUTIME_ID) - start) / count * 1e6

for interval in intervals:
    timer = per_wake(lambda: time.sleep(interval))
    reader, writer = socket.socketpair()
    sender = os.fork()
    if sender == 0:
        # The sender keeps its own period; a byte per interval, then the end of the stream.
        for _ in range(count):
            time.sleep(interval)
            writer.send(b"x")
        os._exit(0)
    writer.close()
    received = per_wake(lambda: reader.recv(1))
    os.waitpid(sender, 0)
    reader.close()
    print(f"every {interval * 1000:g} ms: timer {timer:.1f} us, socket {received:.1f} us of CPU per wake-up ({count} each)")
EOF
