#!/usr/bin/env bash
# Builds the static musl reaper for another architecture, checks its size,
# and runs it there under qemu-user.
#   scripts/cross.sh ARCH      ARCH: arm64 armhf i386 ppc64el s390x, or all
# Installs what is missing (Debian multiarch: musl-dev:ARCH, the GNU cross
# compiler, qemu-user-static), builds libcap for musl into
# .deps/libcap-musl-ARCH and reaper into build-ARCH/reaper. Debian 12 has
# no musl-dev for riscv64. qemu-user 7.2 answers EINVAL to
# PR_SET_CHILD_SUBREAPER, so the smoke test runs reaper as PID 1 of a PID
# namespace, which needs root; without it, only the subreaper-free checks
# run, and the script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

all=(arm64 armhf i386 ppc64el s390x)

# ARCH: the GNU triplet, musl's wrapper, qemu's name.
describe() {
	case $1 in
	arm64) echo aarch64-linux-gnu aarch64-linux-musl-gcc aarch64 ;;
	armhf) echo arm-linux-gnueabihf arm-linux-musleabihf-gcc arm ;;
	i386) echo i686-linux-gnu i386-linux-musl-gcc i386 ;;
	ppc64el) echo powerpc64le-linux-gnu powerpc64le-linux-musl-gcc ppc64le ;;
	s390x) echo s390x-linux-gnu s390x-linux-musl-gcc s390x ;;
	*) return 1 ;;
	esac
}

# A foreign architecture's index may fail to download from a mirror (seen
# for bookworm-security): apt-get update's failure is no failure here, as
# long as what is needed can be installed. All at once: one update.
install() {
	local added='' wanted=(qemu-user-static) arch gnu
	for arch in "$@"; do
		read -r gnu _ < <(describe "$arch")
		wanted+=("musl-dev:$arch" "gcc-$gnu")
		dpkg --print-foreign-architectures | grep -qx "$arch" && continue
		as_root dpkg --add-architecture "$arch"
		added=1
	done
	[ -z "$added" ] || as_root apt-get update -qq ||
		echo "cross: apt-get update failed in part; going on"
	install_missing -n "${wanted[@]}" >/dev/null
}

build() {
	local arch=$1 gnu=$2 cc=$3 dir=build-$1
	scripts/libcap-musl.sh "$cc" "$gnu-" "$PWD/.deps/libcap-musl-$arch" >/dev/null
	cmake -S . -B "$dir" -DREAPER_WERROR=ON -DREAPER_TESTS=OFF \
		-DMUSL_GCC="$(command -v "$cc")" \
		-DLIBCAP_MUSL_DIR="$PWD/.deps/libcap-musl-$arch" \
		-DREAPER_OUTPUT_DIR="$PWD/$dir" >/dev/null
	cmake --build "$dir" -j "$(nproc)" >/dev/null
}

# What must hold on every architecture: the exit status, forwarding,
# reaping and the cleanup, with reaper as PID 1 (the workload is this
# machine's own shell).
smoke() {
	local q=qemu-$1-static bin=build-$2/reaper out status=0
	"$q" "$bin" --version | grep -q '^reaper ' || { echo "FAIL: --version"; return 1; }
	"$q" "$bin" -- /bin/sh -c 'exit 3' 2>/dev/null || status=$?
	[ "$status" -eq 3 ] || { echo "FAIL: exit status $status, not 3"; return 1; }
	if ! unshare --pid --fork --mount-proc true 2>/dev/null; then
		echo "$2: smoke test as a subreaper only (PID 1 needs root)"
		return 0
	fi
	status=0
	out=$(timeout 60 unshare --pid --fork --mount-proc "$q" "$bin" -v -w -- \
		/bin/sh -c 'trap "exit 7" TERM; (sh -c "exit 5" &) | cat; sleep 600 & kill -TERM 1; wait' \
		2>&1) || status=$?
	[ "$status" -eq 7 ] || { echo "FAIL: as PID 1, status $status, not 7: $out"; return 1; }
	grep -q 'reaped orphan .* (exit 5)' <<<"$out" ||
		{ echo "FAIL: no orphan reaped: $out"; return 1; }
	# As PID 1 the count is what /proc lists besides reaper, and an
	# orphan not yet reaped is listed too: the number may be 1 or 2.
	grep -qE 'terminating [12] leftovers?: ' <<<"$out" ||
		{ echo "FAIL: no leftover ended: $out"; return 1; }
	echo "$2: under $q, as PID 1: forwarded, reaped, cleaned up"
}

one() {
	local arch=$1 gnu cc qemu
	read -r gnu cc qemu < <(describe "$arch")
	build "$arch" "$gnu" "$cc"
	check_binary "build-$arch/reaper" "$arch"
	smoke "$qemu" "$arch"
}

[ $# -eq 1 ] || { echo "usage: scripts/cross.sh ARCH|all (${all[*]})"; exit 2; }
archs=("$1")
[ "$1" != all ] || archs=("${all[@]}")
for arch in "${archs[@]}"; do
	describe "$arch" >/dev/null ||
		{ echo "cross: unknown architecture '$arch' (${all[*]})"; exit 2; }
done
install "${archs[@]}"
for arch in "${archs[@]}"; do one "$arch"; done
