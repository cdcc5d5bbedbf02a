#!/usr/bin/env bash
# The README's test command. Installs the tools some tests drive (tmux, Node.js with npm, nats-server;
# see eng/install-test-deps.sh), builds everything, then runs the test projects one after another. Extra
# arguments go to `dotnet test` (e.g. --filter, --logger); the exit code is the build's or dotnet test's.
set -uo pipefail
cd "$(dirname "$0")/.."

# If the tools cannot be installed (no root, no network), the other tests still run; the tool tests
# then fail, each with one line naming this script.
bash eng/install-test-deps.sh || echo "warning: eng/install-test-deps.sh failed; the tests in tests/PolyStream.ToolTests will fail" >&2

dotnet build PolyStream.slnx || exit

# One test project at a time (-m:1). Each already runs its own tests two at a time, and several of them
# hold the venue to its latencies (a listing's books within 2 s, a swap caught, a silent connection
# split): three projects at once on a 2-core machine put six such tests on two cores, and on CI they
# missed those deadlines by stalls of seconds. Run one after another, the suite takes about as long.
exec dotnet test PolyStream.slnx --no-build -m:1 "$@"
