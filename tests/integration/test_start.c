/* Starting the workload, again and again: where it starts, what a
 * failed start costs, and starts that end at once. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* dumb-init#102: a command that fails at once, started 10,000 times in a
 * row, never leaves reaper waiting. Each start costs some 5 ms, the
 * spacing of the sweeps that see it gone: 1,000 under a sanitizer or
 * valgrind, whose runs of the suite come on top in CI. */
START_TEST(ten_thousand_starts_that_fail_at_once_never_hang)
{
	bool shipped = REAPER_IS_STATIC && !REAPER_UNDER_VALGRIND;

	ck_assert_int_eq(run_within(120000,
				    ARGV(REAPER, "--restart", "always",
					 "--max-restarts", shipped ? "9999" : "999",
					 "--backoff", "1ms:1ms", "--", "/bin/false"),
				    NULL, 0, NULL, 0), 1);
}
END_TEST

/* bubblewrap#146: an init exec'd by a shell that already has a child.
 * That child ends first and is reaped as an orphan; the workload runs
 * its whole course and gives the status. */
START_TEST(a_child_from_before_exec_is_no_workload)
{
	double start = seconds();

	ck_assert_int_eq(run(ARGV("/bin/bash", "-c",
				  "(exec \"$0\" -- /bin/sh -c 'sleep 1; exit 7') "
				  "< <(sleep 0.3)", REAPER),
			     NULL, 0, NULL, 0), 7);
	ck_assert_double_ge(seconds() - start, 1.0);
}
END_TEST

/* dumb-init's test_working_directories: reaper holds no reference to the
 * caller's directory once the workload runs, with --restart too, and
 * the workload starts there. */
START_TEST(reaper_leaves_the_callers_directory)
{
	char dir[] = "/tmp/reaper-cwd-XXXXXX", out[512], want[600];
	struct start_opts o = default_opts;
	const char *restart[] = {"no", "on-failure"};

	ck_assert_ptr_nonnull(mkdtemp(dir));
	o.cwd = dir;
	snprintf(want, sizeof want, "/\n%s\n", dir);
	for (int run = 0; run < 20; run++) {
		ck_assert_int_eq(run_opts(&o, BOUND_MS,
					  ARGV(REAPER, "--restart",
					       (char *)restart[run % 2], "--",
					       "/bin/sh", "-c",
					       "readlink /proc/$PPID/cwd; pwd"),
					  out, sizeof out, NULL, 0), 0);
		ck_assert_str_eq(out, want);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* HUP means "reload" to a daemon: a reload that crashes is restarted. */
START_TEST(a_reload_that_crashes_is_restarted)
{
	char dir[] = "/tmp/reaper-hup-XXXXXX", marker[64], line[64];
	struct proc p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(marker, sizeof marker, "%s/ran", dir);
	proc_start(&p, ARGV(REAPER, "--restart", "on-failure", "--backoff",
			    "10ms", "--", "/bin/sh", "-c",
			    "test -e \"$0\" && exit 0; : >\"$0\"; "
			    "trap 'exit 9' HUP; echo ready; "
			    "while :; do sleep 0.1; done", marker),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	ck_assert_int_eq(kill(p.pid, SIGHUP), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_int_eq(unlink(marker), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A restart's fork refused for a moment (RLIMIT_NPROC full, as a pids
 * cgroup would be) is a failed start, tried again after the back-off.
 * reaper and its workload run as uid 4242, allowed three processes; once
 * the workload runs, two more of that uid take the third place and one
 * more, until the test sees the refusal. */
START_TEST(a_refused_fork_at_a_restart_is_tried_again)
{
	char dir[] = "/tmp/reaper-nproc-XXXXXX", marker[64], line[64];
	struct proc p, blockers[2];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(marker, sizeof marker, "%s/ran", dir);
	proc_start(&p, ARGV("/usr/bin/prlimit", "--nproc=3", "/usr/bin/setpriv",
			    "--reuid=4242", "--regid=4242", "--clear-groups",
			    REAPER, "--restart", "on-failure", "--backoff", "100ms",
			    "--max-restarts", "20", "--", "/bin/sh", "-c",
			    "test -e \"$0\" && exit 0; : >\"$0\"; echo ready; "
			    "read x; exit 3", marker),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	for (int i = 0; i < 2; i++) {
		proc_start(&blockers[i],
			   ARGV("/usr/bin/setpriv", "--reuid=4242", "--regid=4242",
				"--clear-groups", "/bin/sh", "-c",
				"echo ready; exec sleep 600"),
			   &default_opts);
		read_line(blockers[i].out, line, sizeof line, BOUND_MS);
	}
	write_and_close(p.in, "go\n");
	read_until(p.err, "reaper: fork: ", BOUND_MS);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(kill(blockers[i].pid, SIGKILL), 0);
		proc_wait(&blockers[i], BOUND_MS);
	}
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_int_eq(unlink(marker), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		ten_thousand_starts_that_fail_at_once_never_hang,
		a_child_from_before_exec_is_no_workload,
		reaper_leaves_the_callers_directory,
		a_reload_that_crashes_is_restarted,
		a_refused_fork_at_a_restart_is_tried_again,
		NULL,
	};

	return harness_main("start", 200, tests);
}
