#!/bin/sh
# reaper under memcheck: any error or definite leak exits 99. valgrind's
# own words go to a log of its own, so that reaper's stderr stays what the
# tests read. The harness copies this beside its copy of reaper, which
# it runs; found without a command substitution, whose fork would take
# pid 2 of a new namespace, the workload's.
exec valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--log-file=/tmp/reaper-valgrind.%p.log "${0%/*}/reaper" "$@"
