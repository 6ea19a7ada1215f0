#!/usr/bin/env bash
# Builds the .deb and .tar.gz with cpack. With --check (as root, as CI
# runs it), installs with cmake --install into a temporary prefix, as the
# README says, then the .deb with dpkg; runs each installed reaper, looks
# for its man page, and removes both again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/deps.sh --build
scripts/build.sh build
(cd build && cpack -G "DEB;TGZ" >/dev/null)
deb=$(ls build/reaper_*.deb)
tgz=$(ls build/reaper-*.tar.gz)
echo "built $deb and $tgz"
[ "${1:-}" = --check ] || exit 0

# An installed binary: static, and it runs a workload and passes its status.
works() {
	is_static "$1" || { echo "$1 is not static"; return 1; }
	"$1" -- sh -c 'exit 3'
	[ $? -eq 3 ]
}
check "the tarball holds the static binary and the man page" \
	bash -c "tar -tzf '$tgz' | grep -q '/bin/reaper\$' && tar -tzf '$tgz' | grep -q '/man1/reaper.1'"

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build --prefix "$prefix" >/dev/null
check "cmake --install put PREFIX/bin/reaper" test -x "$prefix/bin/reaper"
check "cmake --install put PREFIX/share/man/man1/reaper.1" test -f "$prefix/share/man/man1/reaper.1"
check "the reaper cmake installed works" works "$prefix/bin/reaper"

dpkg -i "$deb" >/dev/null
check "dpkg installed /usr/bin/reaper" test -x /usr/bin/reaper
check "the reaper dpkg installed works" works /usr/bin/reaper
check "the man page is installed" test -f /usr/share/man/man1/reaper.1.gz -o -f /usr/share/man/man1/reaper.1
dpkg -r reaper >/dev/null
check "dpkg removed it" test ! -e /usr/bin/reaper
checks_done package
