#!/usr/bin/env bash
# Installs what is missing, builds, and runs reaper on a workload that
# leaves an orphan behind: reaper reaps it and exits with the status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh build
file build/reaper
workload=(sh -c 'echo "workload: pid $$, parent $PPID"; sleep 1 & exec sleep 2')
if unshare --pid --fork --mount-proc true 2>/dev/null; then
	echo "+ unshare --pid --fork --mount-proc build/reaper -v -w -- ${workload[*]}"
	status=0
	unshare --pid --fork --mount-proc build/reaper -v -w -- "${workload[@]}" || status=$?
else
	echo "+ build/reaper -v -w -- ${workload[*]}   (no PID namespace without root)"
	status=0
	build/reaper -v -w -- "${workload[@]}" || status=$?
fi
echo "reaper exited with $status"
