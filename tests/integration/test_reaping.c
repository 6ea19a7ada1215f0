/* Orphans reaped by reaper as a subreaper, outside any PID namespace. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

START_TEST(thousand_orphans_reaped_as_subreaper)
{
	char *const argv[] = {REAPER, "-w", "--", PROBE, "orphans", "1000", NULL};
	static char err[1 << 17];
	char out[64];
	pid_t leftover;

	/* probe returns only once every orphan is gone from the process
	 * table, which only their reaper can do; -w names each one. */
	ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "reaped 1000\n");
	ck_assert_int_eq(count_lines(err, "reaper: reaped orphan "), 1000);
	/* Anything reaper left would now be this subreaper's. */
	leftover = waitpid(-1, NULL, WNOHANG);
	ck_assert_int_eq(leftover, -1);
}
END_TEST

START_TEST(orphan_of_the_workload_comes_to_reaper)
{
	char *const reaped[] = {REAPER, "-w", "--", "/bin/sh", "-c",
				"sh -c 'exit 5' & wait; exit 3", NULL};
	char *const orphaned[] = {REAPER, "-w", "--", "/bin/sh", "-c",
				  "trap '' TERM; (sh -c 'exit 5' &)", NULL};
	char err[1024];

	/* A child the workload reaps itself is none of reaper's business. */
	ck_assert_int_eq(run(reaped, NULL, 0, err, sizeof err), 3);
	ck_assert_str_eq(err, "");
	/* A subshell's child, left behind, is: reaper waits for it before it
	 * exits, and names it with its status. It ignores TERM from birth, so
	 * the cleanup cannot end it before it exits 5 on its own. */
	ck_assert_int_eq(run(orphaned, NULL, 0, err, sizeof err), 0);
	ck_assert_int_eq(count_lines(err, "reaper: reaped orphan "), 1);
	ck_assert_int_eq(count_lines(err, " (exit 5)"), 1);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		thousand_orphans_reaped_as_subreaper,
		orphan_of_the_workload_comes_to_reaper,
		NULL,
	};

	return harness_main("reaping", 120, tests);
}
