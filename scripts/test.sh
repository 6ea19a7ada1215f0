#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite.
#   scripts/test.sh              the static build, as shipped
#   scripts/test.sh --sanitize   a dynamic build under ASan and UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
if [ "${1:-}" = --sanitize ]; then
	dir=build-sanitize
	scripts/build.sh "$dir" -DREAPER_SANITIZE=address,undefined
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
	dir=build
	scripts/build.sh "$dir"
	file "$dir/reaper" | grep -q 'statically linked' ||
		{ echo "FAIL: $dir/reaper is not statically linked"; exit 1; }
	arch=$(dpkg --print-architecture)
	size=$(stat -c %s "$dir/reaper")
	limit=$(awk -v a="$arch" '$1 == a { print $2 }' scripts/size-limits)
	[ -n "$limit" ] || { echo "FAIL: no size limit for $arch in scripts/size-limits"; exit 1; }
	[ "$size" -le "$limit" ] ||
		{ echo "FAIL: $dir/reaper is $size bytes, over $arch's limit of $limit"; exit 1; }
	echo "$dir/reaper: static, $size bytes (limit $limit)"
	scripts/check-hardening.sh "$dir"
fi
# With REQUIRE_EVERY_SUITE set (CI's static run), a skipped suite fails.
ctest --test-dir "$dir" --output-on-failure -j 2 | tee "$dir/ctest.log"
if [ -n "${REQUIRE_EVERY_SUITE:-}" ] && grep -q '\*\*\*Skipped' "$dir/ctest.log"; then
	echo "FAIL: suites were skipped where CI has everything they need:"
	grep '\*\*\*Skipped' "$dir/ctest.log"
	exit 1
fi
