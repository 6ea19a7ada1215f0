#!/usr/bin/env bash
# Checks the shipped binary's build: static, stripped, RELRO, and reaper's
# code compiled with the stack protector.
#   scripts/check-hardening.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
bin=$dir/reaper
passed=0 failed=0
check() {
	if "${@:2}" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}
check "statically linked" bash -c "file '$bin' | grep -q 'statically linked'"
check "stripped" bash -c "file '$bin' | grep -q ', stripped'"
check "a GNU_RELRO segment" bash -c "readelf -lW '$bin' | grep -q GNU_RELRO"
check "no writable and executable segment" bash -c "! readelf -lW '$bin' | grep -E '^ +LOAD' | grep -q 'RWE'"
check "a non-executable stack" bash -c "readelf -lW '$bin' | grep GNU_STACK | grep -qv 'RWE'"
# Stripped, the binary no longer names __stack_chk_fail; its objects do.
objs=$(find "$dir" -path '*reaper*.dir/src/*.o' | tr '\n' ' ')
check "reaper's objects use the stack protector" \
	bash -c "nm $objs 2>/dev/null | grep -q __stack_chk_fail"
echo "hardening: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
