#!/usr/bin/env bash
# libcap built with musl-gcc, for the small static reaper: Debian's own
# source package of libcap2, fetched with apt-get source, built into
# .deps/libcap-musl/{include,lib}. Needs musl-tools and dpkg-dev, and a
# deb-src entry for the machine's suite (scripts/deps.sh sees to all
# three). Does nothing when the library is already there.
#   scripts/libcap-musl.sh                 for this machine
#   scripts/libcap-musl.sh CC CROSS OUT    another architecture's: its
#       musl-gcc wrapper (aarch64-linux-musl-gcc), its GNU tools' prefix
#       (aarch64-linux-gnu-), into OUT (scripts/cross.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
cc=${1:-musl-gcc} cross=${2:-} out=${3:-$PWD/.deps/libcap-musl}
[ -f "$out/lib/libcap.a" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq libcap2 >/dev/null 2>&1) ||
	{ echo "apt-get source libcap2 failed: is there a deb-src entry? (scripts/deps.sh)"; exit 1; }
src=$(ls -d "$work"/libcap2-*/)
# Each function in a section of its own, so that the link keeps only what
# reaper calls. BUILD_CC builds the tool that generates libcap's name
# table, which runs here.
make -s -C "$src/libcap" CC="$cc" BUILD_CC=gcc ${cross:+CROSS_COMPILE=$cross} \
	COPTS="-Os -ffunction-sections -fdata-sections" libcap.a
mkdir -p "$out/lib" "$out/include/sys" "$out/include/linux"
cp "$src/libcap/libcap.a" "$out/lib/"
cp "$src/libcap/include/sys/capability.h" "$out/include/sys/"
cp "$src/libcap/include/uapi/linux/"*.h "$out/include/linux/"
echo "built $out/lib/libcap.a from $(basename "$src")"
