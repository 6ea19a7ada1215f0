/* reaper as PID 1 of a PID namespace, through unshare(1). Needs the right
 * to create one (root, in practice); skipped with the reason otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

START_TEST(reaper_is_pid_1)
{
	char *const argv[] = {UNSHARE, REAPER, "--", "/bin/sh", "-c",
			      "echo $$ $PPID", NULL};
	char out[64];

	ck_assert_int_eq(run(argv, out, sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "2 1\n");
}
END_TEST

START_TEST(thousand_orphans_reaped_as_pid_1)
{
	char *const argv[] = {UNSHARE, REAPER, "-w", "--", PROBE, "orphans",
			      "1000", NULL};
	static char err[1 << 17];
	char out[64];

	ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 0);
	ck_assert_str_eq(out, "reaped 1000\n");
	ck_assert_int_eq(count_lines(err, "reaper: reaped orphan "), 1000);
}
END_TEST

START_TEST(readme_example_behaves)
{
	char *const argv[] = {UNSHARE, REAPER, "-w", "--", "/bin/sh", "-c",
			      "sleep 1 & exec sleep 2", NULL};
	char err[1024];

	/* sleep 1 dies a zombie of sleep 2, and comes to PID 1 with it. */
	ck_assert_int_eq(run(argv, NULL, 0, err, sizeof err), 0);
	ck_assert_int_eq(count_lines(err, "reaper: reaped orphan "), 1);
	ck_assert_int_eq(count_lines(err, "reaper:"), 1);
}
END_TEST

START_TEST(pid_1_forwards_signals)
{
	char *const argv[] = {UNSHARE, REAPER, "--", PROBE, "signals", NULL};
	char line[128];
	struct proc p;
	pid_t init;

	proc_start(&p, argv, &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(strncmp(line, "ready 2 2 ", 10), 0);
	init = pid1_of(p.pid);
	ck_assert_int_eq(kill(init, SIGUSR1), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "10");
	ck_assert_int_eq(kill(init, SIGTERM), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "15");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		reaper_is_pid_1,
		thousand_orphans_reaped_as_pid_1,
		readme_example_behaves,
		pid_1_forwards_signals,
		NULL,
	};

	if (!can_unshare())
		return 77;
	return harness_main("pidns", 120, tests);
}
