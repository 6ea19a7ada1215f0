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
# A name means one thing: no two files of src/ define a static function
# of the same name (at -O0 each is in its object as a local symbol).
scripts/build.sh build-names -DREAPER_MUSL=OFF -DREAPER_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=Debug >/dev/null
dups=$(for o in build-names/CMakeFiles/*.dir/src/*.o; do
	nm --defined-only "$o" | awk '$2 == "t" { print $3 }'
done | sort | uniq -d)
[ -z "$dups" ] || { echo "static functions defined in two files: $dups"; exit 1; }
echo "names: each static function defined in one file"
