#!/usr/bin/env bash
# The benchmark's two floors are inits too: each hands on its workload's
# exit code and a forwarded signal, and, as PID 1 of a new PID namespace,
# reaps every orphan the orphans helper leaves (without root, that part
# skips, saying why).
#   check_floors.sh HELPERS
set -u
helpers=$1
failed=0 skipped=0

expect() { # name, wanted code, command
	local name=$1 want=$2 got
	shift 2
	timeout 60 "$@"
	got=$?
	[ "$got" -eq "$want" ] || { echo "FAIL: $name: exit $got, wanted $want"; failed=1; }
}

for floor in launcher sigfloor; do
	expect "$floor passes the exit code on" 3 "$helpers" "$floor" sh -c 'exit 3'
	# The floor is the shell's parent: the shell signals it, the floor
	# forwards, and the shell's trap answers with 7.
	expect "$floor forwards SIGTERM" 7 "$helpers" "$floor" \
		sh -c 'trap "exit 7" TERM; kill -TERM $PPID; while :; do sleep 1; done'
	if [ "$(id -u)" -ne 0 ] || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
		skipped=1
		continue
	fi
	expect "$floor reaps 500 orphans as PID 1" 0 \
		unshare --pid --fork --mount-proc "$helpers" "$floor" "$helpers" orphans 500
done
[ "$skipped" -eq 0 ] || echo "SKIP: the orphan runs need root for a PID namespace"
exit "$failed"
