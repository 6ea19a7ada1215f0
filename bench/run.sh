#!/usr/bin/env bash
# The benchmark, from a fresh Debian machine, as root (PID namespaces):
# installs tini, dumb-init, catatonit, valgrind and gnuplot where missing,
# builds reaper and the helpers, measures all of them interleaved in one
# run (a few minutes), and writes bench/results/latest.{md,json,dat,png}
# and docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "bench/run.sh: run as root (PID namespaces, for the PID 1 rows)"; exit 1; }

scripts/deps.sh --build
install_missing tini dumb-init catatonit valgrind gnuplot-nox util-linux gcc
scripts/build.sh build
gcc -O2 -Wall -Wextra -static -pthread -Itests/helpers bench/helpers.c \
	tests/helpers/orphan.c -o build/bench-helpers
gcc -O2 -Wall -Wextra bench/bench.c -o build/bench

out=bench/results
mkdir -p "$out"
build/bench "$PWD/build/reaper" "$PWD/build/bench-helpers" "$out/latest" | tee "$out/latest.md"
gnuplot -e "dat='$out/latest.dat'; png='$out/latest.png'" bench/chart.gp
cp "$out/latest.png" docs/benchmarks.png

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
{
	cat bench/README.md
	echo
	echo "## Latest run"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) CPUs ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB,"
	echo "Linux $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME");"
	echo "reaper $(build/reaper --version | cut -d' ' -f2) (musl, static);"
	echo "$(dpkg-query -W -f='tini ${Version}, ' tini)$(dpkg-query -W -f='dumb-init ${Version}, ' dumb-init)$(dpkg-query -W -f='catatonit ${Version}' catatonit) from Debian."
	echo
	cat "$out/latest.md"
	echo
	echo "![each init against the best of the four](benchmarks.png)"
} > docs/benchmarks.md
echo "wrote $out/latest.{md,json,dat,png} and docs/benchmarks.md"
