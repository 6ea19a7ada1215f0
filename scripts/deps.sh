#!/usr/bin/env bash
# Installs, with apt-get, whatever the build and the tests need and this
# Debian machine lacks, then builds libcap for musl (scripts/libcap-musl.sh).
# Root runs apt-get itself; anyone else through sudo.
#   scripts/deps.sh           everything: build, tests, containers
#   scripts/deps.sh --build   what building the binary needs (and the demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# Building: the compilers, cmake, libcap's headers and archive, and
# dpkg-dev, whose dpkg-source apt-get source needs to unpack libcap's
# source for the musl build. file and procps: the demo (scripts/demo.sh)
# shows the binary static and, with ps, its leftover gone.
build=(gcc make cmake libcap-dev musl-tools dpkg-dev file procps)
tests=(pkg-config check libseccomp-dev util-linux busybox-static podman runc catatonit
	docker.io clang libclang-rt-dev clang-tidy cppcheck valgrind)
packages=("${build[@]}")
[ "${1:-}" = --build ] || packages+=("${tests[@]}")

# apt-get source needs the sources of the machine's own suite: the same
# URIs, suites and keyring as its deb entries (scripts/deb-src.sh).
. /etc/os-release
src=/etc/apt/sources.list.d/reaper-deb-src.sources
updated=
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	stanzas=$(scripts/deb-src.sh "$VERSION_CODENAME" sources)
	lines=$(scripts/deb-src.sh "$VERSION_CODENAME" list)
	[ -n "$stanzas$lines" ] ||
		{ echo "no deb entry of $VERSION_CODENAME to take deb-src from"; exit 1; }
	[ -z "$stanzas" ] || printf '%s\n' "$stanzas" | as_root tee "$src" >/dev/null
	[ -z "$lines" ] || printf '%s\n' "$lines" | as_root tee "${src%.sources}.list" >/dev/null
	as_root apt-get update -qq
	updated=1
fi
install_missing ${updated:+-n} "${packages[@]}"
scripts/libcap-musl.sh
