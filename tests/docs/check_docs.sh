#!/usr/bin/env bash
# reaper --help, the man page and the README name the same options and
# environment variables, and the man page the same version; every test
# docs/guarantees.md names exists.
#   check_docs.sh REAPER MANPAGE README GUARANTEES TESTS_DIR
set -u
reaper=$1 man=$2 readme=$3 guarantees=$4 tests=$5
. "$(dirname "$0")/../../scripts/lib.sh"

options() { grep -oE -- '--[a-z][a-z-]+' | sort -u; }
variables() { grep -oE '(REAPER|TINI)_[A-Z_]+' | sort -u; }
same() { # two lists, named
	local diff
	diff=$(diff <(echo "$2") <(echo "$4"))
	[ -z "$diff" ] || { echo "$1 and $3 differ:"; echo "$diff"; return 1; }
}

help_opts=$("$reaper" --help | options)
# The man page's OPTIONS section: elsewhere it quotes other commands.
man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$man" | sed 's/\\-/-/g' | options)
readme_opts=$(options < "$readme" | grep -Fx -f <(echo "$help_opts"))
check "--help and the man page name the same options" \
	same "--help" "$help_opts" "reaper.1" "$man_opts"
check "the README names every option" \
	same "--help" "$help_opts" "README.md" "$readme_opts"

help_vars=$("$reaper" --help | variables)
man_vars=$(variables < "$man")
check "--help and the man page name the same variables" \
	same "--help" "$help_vars" "reaper.1" "$man_vars"

version=$("$reaper" --version | cut -d' ' -f2)
check "the man page is for version $version" \
	grep -q "^\.TH REAPER 1 .* \"reaper $version\"" "$man"

# The names in the guarantees' tables: first column of each row.
named_tests() {
	grep '^| `' "$guarantees" | cut -d'|' -f2 | grep -oE '`[a-z0-9_]+`' | tr -d '`' | sort -u
}
missing_tests() {
	local missing=0
	for t in $(named_tests); do
		grep -rqF "START_TEST($t)" "$tests" || { echo "no test $t"; missing=1; }
	done
	return $missing
}
check "every test docs/guarantees.md names exists" missing_tests

checks_done docs
