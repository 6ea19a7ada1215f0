#!/usr/bin/env bash
# Static analysis of src/: cppcheck, and clang-tidy with .clang-tidy (which
# says why each disabled check is). Any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build-lint -DREAPER_MUSL=OFF -DREAPER_TESTS=OFF \
	-DCMAKE_EXPORT_COMPILE_COMMANDS=ON
cppcheck --enable=warning,style,performance,portability --std=c11 \
	--inline-suppr --error-exitcode=1 --quiet -D_GNU_SOURCE -I src src/
echo "cppcheck: clean"
clang-tidy --quiet -p build-lint src/*.c 2>/dev/null
echo "clang-tidy: clean"
