/* reaper when its world fails it: no fork, no descriptor, being
 * stopped while its children exit, a signal racing the workload's exit.
 * The cases that need root say so and are left out without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

START_TEST(fork_failure_at_start_is_125)
{
	/* As an ordinary user whose process limit is the one reaper is. */
	char err[512], out[64];

	ck_assert_int_eq(run(ARGV("/usr/bin/prlimit", "--nproc=1", "/usr/bin/setpriv",
				  "--reuid=1000", "--regid=1000", "--clear-groups",
				  REAPER, "--", "/bin/echo", "started"),
			     out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
	ck_assert_msg(strncmp(err, "reaper: fork: ", 14) == 0, "%s", err);
	ck_assert_int_eq(count_lines(err, "reaper:"), 1);
}
END_TEST

START_TEST(too_few_descriptors_is_125)
{
	char err[512], out[64];

	ck_assert_int_eq(run(ARGV("/usr/bin/prlimit", "--nofile=3", REAPER, "--",
				  "/bin/echo", "started"),
			     out, sizeof out, err, sizeof err), 125);
	ck_assert_str_eq(out, "");
	/* The reason is the libc's wording of EMFILE (musl's differs from
	 * glibc's): one line, after reaper's own words. */
	ck_assert_msg(strncmp(err, "reaper: cannot set up signal handling: ", 39) == 0,
		      "%s", err);
	ck_assert_int_eq(count_lines(err, "reaper:"), 1);
}
END_TEST

START_TEST(stopped_reaper_loses_no_status)
{
	struct proc p;
	char line[64], err[1024];
	int status;
	long workload;

	proc_start(&p, ARGV(REAPER, "-w", "--", "/bin/sh", "-c",
			    "trap '' TERM; echo $$; read go; sh -c 'exit 5' & exit 7"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	workload = atol(line);
	/* Stopped, reaper sees nothing while its children exit. */
	ck_assert_int_eq(kill(p.pid, SIGSTOP), 0);
	ck_assert_int_eq(waitpid(p.pid, &status, WUNTRACED), p.pid);
	ck_assert(WIFSTOPPED(status));
	ck_assert_int_eq(write(p.in, "go\n", 3), 3);
	wait_gone((pid_t)workload);
	ck_assert_int_eq(kill(p.pid, SIGCONT), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 7);
	read_all(p.err, err, sizeof err, BOUND_MS);
	ck_assert_int_eq(count_lines(err, "(exit 5)"), 1);
}
END_TEST

START_TEST(signal_racing_the_exit_loses_nothing)
{
	/* The workload signals reaper and exits at once, 100 times; USR1 is
	 * ignored by the workload, so its status can only be its own. Under
	 * valgrind, whose start-up takes half a second, 20 rounds check the
	 * memory; the other builds hunt the race. */
	int rounds = REAPER_UNDER_VALGRIND ? 20 : 100;

	for (int i = 0; i < rounds; i++) {
		char err[256];
		ck_assert_int_eq(run(ARGV(REAPER, "--", "/bin/sh", "-c",
					  "trap '' USR1; kill -USR1 $PPID; exit 3"),
				     NULL, 0, err, sizeof err), 3);
		ck_assert_str_eq(err, "");
	}
}
END_TEST

int main(void)
{
	const TTest *tests[8];
	size_t n = 0;

	tests[n++] = stopped_reaper_loses_no_status;
	tests[n++] = signal_racing_the_exit_loses_nothing;
	if (!REAPER_IS_STATIC) {
		/* A sanitizer's runtime needs, before main, the descriptors,
		 * processes and /proc these take away. */
		puts("note: the starved cases test the static build; this one "
		     "has a sanitizer runtime; left out");
	} else if (geteuid() != 0) {
		tests[n++] = too_few_descriptors_is_125;
		puts("note: the fork-failure case needs root; left out");
	} else {
		tests[n++] = too_few_descriptors_is_125;
		tests[n++] = fork_failure_at_start_is_125;
	}
	tests[n] = NULL;
	return harness_main("faults", 60, tests);
}
