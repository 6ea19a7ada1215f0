#!/usr/bin/env bash
# The integration suites once more, with reaper (a dynamic glibc build)
# under valgrind memcheck: any error or definite leak makes reaper exit 99
# and fails the test that ran it. The stress suite is left out (50,000
# forks under valgrind take many minutes), and the few cases that valgrind
# itself cannot host say so in their code.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build-valgrind -DREAPER_MUSL=OFF -DREAPER_STATIC=OFF \
	-DREAPER_VALGRIND=ON
rm -f /tmp/reaper-valgrind.*.log
status=0
ctest --test-dir build-valgrind -L integration -E stress --output-on-failure -j 2 || status=$?
if grep -lE 'ERROR SUMMARY: [1-9]|definitely lost' /tmp/reaper-valgrind.*.log 2>/dev/null; then
	cat $(grep -lE 'ERROR SUMMARY: [1-9]|definitely lost' /tmp/reaper-valgrind.*.log)
	status=1
fi
rm -f /tmp/reaper-valgrind.*.log
exit "$status"
