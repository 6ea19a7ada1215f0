/* What happens when the workload ends: cleanup of its descendants, the
 * grace, --timeout, --restart, --rewrite. reaper runs as a subreaper. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every pid listed, one a line, is gone from the process table. */
static void all_gone(const char *pids)
{
	for (const char *s = pids; *s != '\0';) {
		char *end;
		long pid = strtol(s, &end, 10);
		if (end == s)
			break;
		ck_assert_msg(kill((pid_t)pid, 0) < 0 && errno == ESRCH,
			      "pid %ld is still there", pid);
		s = end;
	}
}

/* A backgrounded child, a setsid daemon, and a double-forked one. */
static const char leaves_three[] =
	"sleep 600 & echo $!; "
	"setsid sleep 600 & echo $!; "
	"sh -c 'sleep 600 & echo $!'; "
	"exit 3";

START_TEST(descendants_are_ended_when_the_workload_exits)
{
	char out[256];
	/* A grace of ten minutes: reaper returns long before only because
	 * everything obeyed SIGTERM and nothing was left to wait for. */
	ck_assert_int_eq(run(ARGV(REAPER, "--grace", "10m", "--", "/bin/sh",
				  "-c", (char *)leaves_three),
			     out, sizeof out, NULL, 0), 3);
	ck_assert_int_eq(count_lines(out, ""), 3);
	all_gone(out);
}
END_TEST

START_TEST(no_cleanup_leaves_them)
{
	char out[256];
	long pid;

	ck_assert_int_eq(run(ARGV(REAPER, "--no-cleanup", "--", "/bin/sh", "-c",
				  "sleep 600 >/dev/null 2>&1 & echo $!"),
			     out, sizeof out, NULL, 0), 0);
	pid = atol(out);
	ck_assert_int_eq(kill((pid_t)pid, 0), 0);
	/* teardown ends it: it was reparented to this subreaper */
}
END_TEST

START_TEST(term_ignorer_is_killed_after_the_grace)
{
	char out[64], err[1024];
	double start = seconds();

	/* The shell ignores TERM before it forks: sleep inherits that from
	 * its first instant, so no SIGTERM can come too early. */
	ck_assert_int_eq(run(ARGV(REAPER, "-v", "--grace", "1s", "--", "/bin/sh",
				  "-c", "trap '' TERM; sleep 600 & echo $!"),
			     out, sizeof out, err, sizeof err), 0);
	ck_assert_double_ge(seconds() - start, 1.0);
	all_gone(out);
	ck_assert_int_eq(count_lines(err, "reaper: sent SIGTERM to 1 descendants"), 1);
	ck_assert_int_eq(count_lines(err, "reaper: sent SIGKILL to 1 descendants"), 1);
}
END_TEST

START_TEST(timeout_exits_124_with_nothing_left)
{
	char out[64];

	ck_assert_int_eq(run(ARGV(REAPER, "--timeout", "300ms", "--", "/bin/sh",
				  "-c", "sleep 600 & echo $!; exec sleep 600"),
			     out, sizeof out, NULL, 0), 124);
	all_gone(out);
}
END_TEST

START_TEST(restart_on_failure_runs_four_times)
{
	char out[256], err[1024];

	ck_assert_int_eq(run(ARGV(REAPER, "--restart", "on-failure",
				  "--max-restarts", "3", "--backoff", "50ms",
				  "--", "/bin/sh", "-c", "echo run; exit 3"),
			     out, sizeof out, err, sizeof err), 3);
	ck_assert_int_eq(count_lines(out, "run"), 4);
	ck_assert_int_eq(count_lines(err, "reaper: workload ended (exit 3); restart 1 in 50ms"), 1);
	ck_assert_int_eq(count_lines(err, "restart 2 in 100ms"), 1);
	ck_assert_int_eq(count_lines(err, "restart 3 in 200ms"), 1);
	ck_assert_int_eq(count_lines(err, "reaper:"), 3);
}
END_TEST

START_TEST(fails_twice_then_succeeds)
{
	char dir[] = "/tmp/reaper-restart-XXXXXX", script[700], path[300];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/runs", dir);
	snprintf(script, sizeof script,
		 "echo x >> %s; [ $(wc -l < %s) -ge 3 ]", path, path);
	ck_assert_int_eq(run(ARGV(REAPER, "--restart", "on-failure",
				  "--backoff", "10ms", "--", "/bin/sh", "-c",
				  script), NULL, 0, NULL, 0), 0);
	{
		char runs[64];
		FILE *f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		size_t n = fread(runs, 1, sizeof runs - 1, f);
		runs[n] = '\0';
		fclose(f);
		ck_assert_str_eq(runs, "x\nx\nx\n");
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(term_during_backoff_ends_promptly)
{
	struct proc p;
	char line[256];

	proc_start(&p, ARGV(REAPER, "--restart", "always", "--backoff", "10m",
			    "--", "/bin/sh", "-c", "exit 4"), &default_opts);
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaper: workload ended (exit 4); restart 1 in 600000ms");
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 4);
}
END_TEST

START_TEST(rewrite_term_to_quit)
{
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--rewrite", "TERM:QUIT", "--", PROBE,
			     "signals", "3"), &default_opts, NULL);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	expect_signal(&p, SIGQUIT);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

START_TEST(rewrite_to_zero_drops)
{
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--rewrite", "USR1:0", "--", PROBE,
			     "signals"), &default_opts, NULL);
	/* reaper reads them in order: had USR1 gone through, the probe
	 * would print 10 before 12. */
	ck_assert_int_eq(kill(p.pid, SIGUSR1), 0);
	ck_assert_int_eq(kill(p.pid, SIGUSR2), 0);
	expect_signal(&p, SIGUSR2);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	expect_signal(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

START_TEST(pause_exits_0_on_term)
{
	struct start_opts o = default_opts;
	struct proc p;
	char line[128];
	sigset_t term;

	/* Blocked from before reaper starts, TERM waits for its loop. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	o.block = &term;
	proc_start(&p, ARGV(REAPER, "-v", "--pause"), &o);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(strncmp(line, "reaper: exiting 0 after", 23), 0);
}
END_TEST

START_TEST(pause_exits_124_at_its_timeout)
{
	ck_assert_int_eq(run(ARGV(REAPER, "--pause", "--timeout", "200ms"), NULL,
			     0, NULL, 0), 124);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		descendants_are_ended_when_the_workload_exits,
		no_cleanup_leaves_them,
		term_ignorer_is_killed_after_the_grace,
		timeout_exits_124_with_nothing_left,
		restart_on_failure_runs_four_times,
		fails_twice_then_succeeds,
		term_during_backoff_ends_promptly,
		rewrite_term_to_quit,
		rewrite_to_zero_drops,
		pause_exits_0_on_term,
		pause_exits_124_at_its_timeout,
		NULL,
	};

	return harness_main("lifecycle", 60, tests);
}
