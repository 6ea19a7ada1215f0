# shellcheck shell=bash
# What the scripts share, sourced once they are at the top of the tree:
# running as root, installing what is missing, the checks of the static
# binary, and checks that count.

# The command, as root: itself when it is root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_missing [-n] PACKAGE...: installs, with apt-get, those that are
# not; -n when the package lists are fresh (no apt-get update first).
install_missing() {
	local update=1 missing=() p
	[ "${1:-}" != -n ] || { update=; shift; }
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "installing: ${missing[*]}"
	[ -z "$update" ] || as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

is_static() {
	file "$1" | grep -q 'statically linked'
}

# The size limit of ARCH's static binary, from scripts/size-limits; fails
# when it has none.
size_limit() {
	awk -v a="$1" '$1 == a { print $2; found = 1 } END { exit !found }' \
		scripts/size-limits
}

# check_binary BIN ARCH: BIN, ARCH's reaper, is static and within ARCH's
# size limit; says so, or why not.
check_binary() {
	local bin=$1 arch=$2 size limit
	is_static "$bin" || { echo "FAIL: $bin is not statically linked"; return 1; }
	limit=$(size_limit "$arch") ||
		{ echo "FAIL: no size limit for $arch in scripts/size-limits"; return 1; }
	size=$(stat -c %s "$bin")
	[ "$size" -le "$limit" ] ||
		{ echo "FAIL: $bin is $size bytes, over $arch's limit of $limit"; return 1; }
	echo "$bin: static, $size bytes (limit $limit)"
}

# check NAME COMMAND...: runs the command, and counts it passed, or
# failed, saying which.
passed=0 failed=0
check() {
	if "${@:2}"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1"
	fi
}

# Says how the checks went, as NAME; fails when one did.
checks_done() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
