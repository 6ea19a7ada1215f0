#!/usr/bin/env bash
# Builds the .deb and .tar.gz with cpack. With --check (as root, as CI
# runs it), installs the .deb with dpkg, runs the installed reaper and reads
# its man page, then removes the package again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
scripts/deps.sh
scripts/build.sh build
(cd build && cpack -G "DEB;TGZ" >/dev/null)
deb=$(ls build/reaper_*.deb)
tgz=$(ls build/reaper-*.tar.gz)
echo "built $deb and $tgz"
[ "${1:-}" = --check ] || exit 0

check "the tarball holds the static binary and the man page" \
	bash -c "tar -tzf '$tgz' | grep -q '/bin/reaper\$' && tar -tzf '$tgz' | grep -q '/man1/reaper.1'"
dpkg -i "$deb" >/dev/null
check "dpkg installed /usr/bin/reaper" test -x /usr/bin/reaper
check "the installed reaper is statically linked" is_static /usr/bin/reaper
check "the installed reaper runs a workload and passes its status" \
	bash -c "/usr/bin/reaper -- sh -c 'exit 3'; [ \$? -eq 3 ]"
check "the man page is installed" test -f /usr/share/man/man1/reaper.1.gz -o -f /usr/share/man/man1/reaper.1
dpkg -r reaper >/dev/null
check "dpkg removed it" test ! -e /usr/bin/reaper
checks_done package
