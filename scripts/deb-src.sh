#!/usr/bin/env bash
# Prints, for each of this machine's own deb entries of its Debian suite
# (deb822 .sources files and one-line sources.list alike), the deb-src
# entry with the same URIs, suites, components and keyring, so that
# apt-get source works behind the same mirror or proxy the machine uses.
# Entries of other suites (third-party repositories) are left out: most
# have no sources, and apt-get update would fail on them.
#   scripts/deb-src.sh CODENAME sources   deb822 stanzas, from *.sources
#   scripts/deb-src.sh CODENAME list      one-line entries, from *.list
set -euo pipefail
codename=$1 format=$2

# deb822: stanzas apart by blank lines; keys as they are, Types and
# Suites rewritten.
[ "$format" = sources ] && for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk -v codename="$codename" '
	function flush() {
		if (types ~ /(^| )deb( |$)/ && suites != "") {
			print "Types: deb-src"
			print "Suites:" suites
			for (i = 1; i <= n; i++) print kept[i]
			print ""
		}
		types = ""; suites = ""; n = 0
	}
	/^[ \t]*$/ { flush(); next }
	/^#/ { next }
	/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0; next }
	/^Suites:/ {
		for (i = 2; i <= NF; i++)
			if ($i == codename || index($i, codename "-") == 1)
				suites = suites " " $i
		next
	}
	/^Enabled:[ \t]*no/ { types = ""; next }
	{ kept[++n] = $0 }
	END { flush() }
	' "$f"
done
# One-line format: "deb [options] URI SUITE COMPONENTS".
[ "$format" = list ] && for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	awk -v codename="$codename" '
	$1 == "deb" {
		# the suite follows the URI, which follows any [options]
		j = 2
		if ($j ~ /^\[/) while ($j !~ /\]$/ && j < NF) j++
		if ($2 ~ /^\[/) j++
		suite = $(j + 1)
		if (suite == codename || index(suite, codename "-") == 1) {
			line = $0
			sub(/^deb[ \t]+/, "deb-src ", line)
			print line
		}
	}' "$f"
done
exit 0
