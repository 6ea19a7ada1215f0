#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan and UBSan on) and runs each
# for FUZZ_SECONDS (default 20) from the seed corpus in tests/fuzz/corpus.
# Any crash, leak or sanitizer report fails; the input that caused it is
# left in build-fuzz/ to become a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
CC=clang scripts/build.sh build-fuzz -DREAPER_FUZZ=ON -DREAPER_TESTS=OFF
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in config signals durations caps user policy; do
	work=$(mktemp -d)
	cp tests/fuzz/corpus/$t/* "$work/"
	echo "fuzz_$t: $seconds s"
	(cd build-fuzz && ./tests/fuzz/fuzz_$t -max_total_time="$seconds" \
		-print_final_stats=0 "$work" 2>&1 | tail -3)
	rm -rf "$work"
done
echo "fuzz: every target ran ${seconds}s with no crash, leak or report"
