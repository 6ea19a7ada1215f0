#!/usr/bin/env bash
# How much one row of the benchmark moves from run to run: WHAT (orphans,
# burst or trickle) with N children, ROUNDS rounds, every init in turn in
# each round, as PID 1 of a new PID namespace; prints each init's init CPU
# per child, every run sorted, and the median. As root, after bench/run.sh
# has built reaper and the helpers.
#
#   bench/spread.sh burst 10000 15
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: bench/spread.sh orphans|burst|trickle N ROUNDS" >&2; exit 2; }
what=$1 n=$2 rounds=$3
helpers=$PWD/build/bench-helpers
names=(reaper tini-static tini dumb-init catatonit floor)
inits=("$PWD/build/reaper --" "/usr/bin/tini-static -s --" "/usr/bin/tini -s --"
	"/usr/bin/dumb-init" "/usr/bin/catatonit --" "$helpers launcher")
runs=()
for ((r = 0; r < rounds; r++)); do
	for i in "${!inits[@]}"; do
		read -ra init <<<"${inits[i]}"
		# The helper prints the wall time, then PID 1's CPU time, in ns.
		read -r _ cpu _ < <(unshare --pid --fork --mount-proc "${init[@]}" "$helpers" "$what" "$n")
		runs[i]+="$(awk -v c="$cpu" -v n="$n" 'BEGIN {printf "%.2f", c / 1e3 / n}') "
	done
done
echo "$what $n, init CPU µs per child, $rounds runs each:"
for i in "${!inits[@]}"; do
	sorted=$(tr ' ' '\n' <<<"${runs[i]}" | grep . | sort -g | tr '\n' ' ')
	median=$(awk '{print $(int((NF + 1) / 2))}' <<<"$sorted")
	printf '%-12s median %6s  runs: %s\n' "${names[i]}" "$median" "$sorted"
done
