#!/usr/bin/env bash
# Checks the shipped binary's build: static, stripped, RELRO, and reaper's
# code compiled with the stack protector.
#   scripts/check-hardening.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
dir=${1:-build}
bin=$dir/reaper
check "statically linked" is_static "$bin"
check "stripped" bash -c "file '$bin' | grep -q ', stripped'"
check "a GNU_RELRO segment" bash -c "readelf -lW '$bin' | grep -q GNU_RELRO"
check "no writable and executable segment" bash -c "! readelf -lW '$bin' | grep -E '^ +LOAD' | grep -q 'RWE'"
check "a non-executable stack" bash -c "readelf -lW '$bin' | grep GNU_STACK | grep -qv 'RWE'"
# Stripped, the binary no longer names __stack_chk_fail; its objects do.
objs=$(find "$dir" -path '*reaper*.dir/src/*.o' | tr '\n' ' ')
check "reaper's objects use the stack protector" \
	bash -c "nm $objs 2>/dev/null | grep -q __stack_chk_fail"
checks_done hardening
