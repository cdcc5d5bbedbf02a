# Sourced by the measuring scripts with a name: WORK, a scratch directory, and PIDS, for the background
# processes they start. On exit every process in PIDS is stopped, the script's own `on_exit` runs when it
# defines one, and WORK is removed.
WORK=$(mktemp -d -t "${1:?a name for the scratch directory}-XXXXXX")
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if declare -F on_exit >/dev/null; then on_exit; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
