#!/usr/bin/env bash
# Installs, with apt-get, whatever the build and the tests need and this
# Debian machine lacks, then builds libcap for musl (scripts/libcap-musl.sh).
# Root runs apt-get itself; anyone else through sudo.
#   scripts/deps.sh           everything: build, tests, containers
#   scripts/deps.sh --build   what building the binary needs
set -euo pipefail
cd "$(dirname "$0")/.."

build=(gcc make cmake pkg-config libcap-dev musl-tools dpkg-dev file)
tests=(check libseccomp-dev util-linux procps busybox-static podman runc clang libclang-rt-dev
	clang-tidy cppcheck valgrind)
packages=("${build[@]}")
[ "${1:-}" = --build ] || packages+=("${tests[@]}")

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# apt-get source needs the sources of the machine's own suite.
. /etc/os-release
src=/etc/apt/sources.list.d/reaper-deb-src.sources
updated=
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$VERSION_CODENAME" | "${sudo[@]}" tee "$src" >/dev/null
	"${sudo[@]}" apt-get update -qq
	updated=1
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	[ -n "$updated" ] || "${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi
scripts/libcap-musl.sh
