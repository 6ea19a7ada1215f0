#!/usr/bin/env bash
# The random system test for longer than CI's fixed seeds: scenarios drawn
# from a base seed (the clock's when none is given) until N seconds have
# passed, against build/reaper or the binary named; builds first. Every
# failure prints its seed and the line that replays it; the last line is
# "N passed, M failed".
#   scripts/chaos.sh --seconds N [--seed S] [--reaper PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
usage() {
	echo "usage: scripts/chaos.sh --seconds N [--seed S] [--reaper PATH]" >&2
	exit 125
}
seconds= seed= reaper=build/reaper
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--seconds) seconds=$2 ;;
	--seed) seed=$2 ;;
	--reaper) reaper=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ -n "$seconds" ] || usage
scripts/build.sh build >/dev/null
args=(--reaper "$(realpath "$reaper")" --seconds "$seconds")
[ -z "$seed" ] || args+=(--seed "$seed")
exec build/tests/chaos "${args[@]}"
