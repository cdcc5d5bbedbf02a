#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK, when it is missing:
#   tmux  — the TUI test drives `polystream demo` in a real terminal.
#   node  — the official TypeScript client runs against the simulator (npm installs tests/ts-client's pinned
#           packages beside the test binaries).
#   nats-server — the scale-out tests start a real JetStream server on loopback (Debian ships 2.9).
#   jq    — the help examples pipe NDJSON into it (HelpExamplesTests runs every example).
# eng/test.sh runs it before the tests; the tests never install anything themselves.
# Safe to run repeatedly; does nothing when everything is present. Needs root (or sudo) to install.
set -euo pipefail
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
command -v jq >/dev/null 2>&1 || missing+=(jq)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
