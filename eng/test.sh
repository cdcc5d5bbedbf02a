#!/usr/bin/env bash
# The README's test command. Installs the tools some tests drive (tmux, Node.js with npm, nats-server;
# see eng/install-test-deps.sh), then runs every test project. Extra arguments go to `dotnet test`
# (e.g. --filter, --logger); the exit code is dotnet test's.
set -uo pipefail
cd "$(dirname "$0")/.."

# If the tools cannot be installed (no root, no network), the other tests still run; the tool tests
# then fail, each with one line naming this script.
bash eng/install-test-deps.sh || echo "warning: eng/install-test-deps.sh failed; the tests in tests/PolyStream.ToolTests will fail" >&2

exec dotnet test PolyStream.slnx "$@"
