#!/usr/bin/env bash
# The release tarball: the static reaper of every architecture, built
# before by scripts/test.sh (this machine's, in build/) and
# scripts/cross.sh all (build-ARCH/), with a SHA256SUMS, in
# build/reaper-VERSION-static.tar.gz. Checks the sums after packing.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(build/reaper --version | cut -d' ' -f2)
name=reaper-$version-static
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir "$out/$name"
while read -r arch _; do
	case $arch in '#'*|'') continue ;; esac
	bin=build-$arch/reaper
	[ "$arch" = "$(dpkg --print-architecture)" ] && bin=build/reaper
	[ -f "$bin" ] || { echo "release: no $bin (scripts/cross.sh $arch)"; exit 1; }
	cp "$bin" "$out/$name/reaper-$arch"
done < scripts/size-limits
(cd "$out/$name" && sha256sum reaper-* > SHA256SUMS)
tar -C "$out" -czf "build/$name.tar.gz" "$name"
(cd "$out" && rm -rf "$name" && tar -xzf "$OLDPWD/build/$name.tar.gz" &&
	cd "$name" && sha256sum -c --quiet SHA256SUMS)
echo "built build/$name.tar.gz:"
(cd "$out/$name" && for f in reaper-*; do printf '  %-16s %7d bytes\n' "$f" "$(stat -c %s "$f")"; done)
