#!/usr/bin/env bash
# libcap built with musl-gcc, for the small static reaper: Debian's own
# source package of libcap2, fetched with apt-get source, built into
# .deps/libcap-musl/{include,lib}. Needs musl-tools and dpkg-dev, and a
# deb-src entry for the machine's suite (scripts/deps.sh sees to all
# three). Does nothing when the library is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/.deps/libcap-musl
[ -f "$out/lib/libcap.a" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq libcap2 >/dev/null 2>&1) ||
	{ echo "apt-get source libcap2 failed: is there a deb-src entry? (scripts/deps.sh)"; exit 1; }
src=$(ls -d "$work"/libcap2-*/)
# Each function in a section of its own, so that the link keeps only what
# reaper calls.
make -s -C "$src/libcap" CC=musl-gcc BUILD_CC=gcc \
	COPTS="-Os -ffunction-sections -fdata-sections" libcap.a
mkdir -p "$out/lib" "$out/include/sys" "$out/include/linux"
cp "$src/libcap/libcap.a" "$out/lib/"
cp "$src/libcap/include/sys/capability.h" "$out/include/sys/"
cp "$src/libcap/include/uapi/linux/"*.h "$out/include/linux/"
echo "built $out/lib/libcap.a from $(basename "$src")"
