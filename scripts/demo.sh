#!/usr/bin/env bash
# Installs what building needs and is missing (scripts/deps.sh --build),
# builds, and runs reaper on a workload that exits leaving a process
# behind: reaper ends that leftover, says so, and exits with the
# workload's status; ps then shows nothing left. Fails if anything is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --build
echo "building build/reaper (scripts/build.sh build)"
scripts/build.sh build >/dev/null
file build/reaper

# The command runs in a shell as it is printed, so that it can be pasted.
# The workload's second gives its child the time to become sleep, so that
# reaper's line names it so.
cmd='build/reaper -v -- sh -c '\''sleep 300 & echo "workload: pid $$, leaves sleep $! behind"; sleep 1; exit 3'\'
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo
echo "+ $cmd"
status=0
bash -c "$cmd" >"$log" 2>&1 || status=$?
cat "$log"
echo "reaper exited with $status, the workload's status"
grep -q '^reaper: terminating 1 leftover: ' "$log" ||
	{ echo "FAIL: reaper did not say it ended the leftover"; exit 1; }
leftover=$(sed -n 's/.*leaves sleep \([0-9]*\) behind.*/\1/p' "$log")
echo "+ ps -o pid,args -p $leftover"
if ps -o pid,args -p "$leftover"; then
	echo "FAIL: the leftover $leftover is still running"
	kill "$leftover"
	exit 1
fi
echo "(nothing: reaper ended it before exiting)"
cat <<'EOF'

The binary is build/reaper: static, it runs anywhere as it is. To have
`reaper` on PATH, as the README's examples write it, with its man page:
    sudo cmake --install build    # /usr/local/bin/reaper, /usr/local/share/man/man1/reaper.1
EOF
