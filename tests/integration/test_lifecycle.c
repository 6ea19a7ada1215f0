/* What happens when the workload ends: cleanup of its descendants, the
 * grace, --timeout, --restart, --rewrite, --pause. Run twice: with no
 * argument reaper is a subreaper; with "pid1" it is PID 1 of a new PID
 * namespace, where kill(-1) does the cleanup. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static bool pid1;

/* How this run starts reaper: as it is, or as PID 1 of a namespace of
 * its own, our child either way. */
static const struct start_opts *mode(void)
{
	static struct start_opts o;

	o = default_opts;
	o.pid1 = pid1;
	return &o;
}

static int run_mode(char *const argv[], char *out, size_t outlen, char *err,
		    size_t errlen)
{
	return run_opts(mode(), BOUND_MS, argv, out, outlen, err, errlen);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every pid listed, one a line, is gone from the process table. Pids
 * from inside a namespace mean nothing here, and there the kernel ends
 * everything with PID 1: the logs prove the cleanup instead. */
static void all_gone(const char *pids)
{
	if (pid1)
		return;
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
	char out[256], err[1024];
	/* A grace of ten minutes: reaper returns long before only because
	 * everything obeyed SIGTERM and nothing was left to wait for. */
	ck_assert_int_eq(run_mode(ARGV(REAPER, "-v", "--grace", "10m", "--",
					  "/bin/sh", "-c", (char *)leaves_three),
			     out, sizeof out, err, sizeof err), 3);
	ck_assert_int_eq(count_lines(out, ""), 3);
	ck_assert_int_eq(count_lines(err, "reaper: terminating 3 leftovers: "), 1);
	ck_assert_int_eq(count_lines(err, "reaper: the workload ended (exit 3) after "), 1);
	ck_assert_int_eq(count_lines(err, "; descendants terminated at the end: 3, killed: 0; exiting 3"), 1);
	ck_assert_int_eq(count_lines(err, "SIGKILL"), 0);
	all_gone(out);
}
END_TEST

/* A stopped leftover holds SIGTERM until continued: the cleanup sends
 * SIGCONT after it, so that it ends within the grace (ten minutes: only
 * that ends this early). */
START_TEST(a_stopped_leftover_gets_its_sigterm)
{
	char out[64], err[1024];

	ck_assert_int_eq(run_mode(ARGV(REAPER, "-v", "--grace", "10m", "--",
				       "/bin/sh", "-c", "sleep 600 & kill -STOP $!; "
				       "echo $!; exit 4"),
			     out, sizeof out, err, sizeof err), 4);
	ck_assert_int_eq(count_lines(err, "reaper: terminating 1 leftover: "), 1);
	ck_assert_int_eq(count_lines(err, "SIGKILL"), 0);
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
	ck_assert_int_eq(run_mode(ARGV(REAPER, "-v", "--grace", "1s", "--",
					  "/bin/sh", "-c",
					  "trap '' TERM; sleep 600 & echo $!"),
			     out, sizeof out, err, sizeof err), 0);
	ck_assert_double_ge(seconds() - start, 1.0);
	all_gone(out);
	ck_assert_int_eq(count_lines(err, "reaper: terminating 1 leftover: "), 1);
	ck_assert_int_eq(count_lines(err, "reaper: killing 1 leftover: "), 1);
	ck_assert_int_eq(count_lines(err, "; descendants terminated at the end: 1, killed: 1; exiting 0"), 1);
}
END_TEST

START_TEST(timeout_exits_124_with_nothing_left)
{
	char out[64];

	char err[1024];

	ck_assert_int_eq(run_mode(ARGV(REAPER, "-v", "--timeout", "300ms", "--",
					  "/bin/sh", "-c",
					  "sleep 600 & echo $!; exec sleep 600"),
			     out, sizeof out, err, sizeof err), 124);
	ck_assert_int_eq(count_lines(err, "reaper: terminating 2 leftovers: "), 1);
	all_gone(out);
}
END_TEST

START_TEST(restart_on_failure_runs_four_times)
{
	char out[256], err[1024];

	ck_assert_int_eq(run_mode(ARGV(REAPER, "--restart", "on-failure",
					  "--max-restarts", "3", "--backoff",
					  "50ms", "--", "/bin/sh", "-c",
					  "echo run; exit 3"),
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
	ck_assert_int_eq(run_mode(ARGV(REAPER, "--restart", "on-failure",
					  "--backoff", "10ms", "--", "/bin/sh",
					  "-c", script), NULL, 0, NULL, 0), 0);
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
			    "--", "/bin/sh", "-c", "exit 4"), mode());
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaper: workload ended (exit 4); restart 1 in 600000ms");
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 4);
}
END_TEST

START_TEST(restart_ends_the_last_run_first)
{
	char dir[] = "/tmp/reaper-leftover-XXXXXX", script[700], out[64];

	/* The first run leaves a sleep and fails; the second finds it gone. */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(script, sizeof script,
		 "f=%s/pid; if [ -f $f ]; then "
		 "kill -0 $(cat $f) 2>/dev/null && echo alive || echo gone; "
		 "exit 0; fi; sleep 600 >/dev/null & echo $! > $f; exit 3", dir);
	ck_assert_int_eq(run_mode(ARGV(REAPER, "--restart", "on-failure",
					  "--backoff", "10ms", "--", "/bin/sh",
					  "-c", script),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "gone\n");
	snprintf(script, sizeof script, "%s/pid", dir);
	unlink(script);
	rmdir(dir);
}
END_TEST

START_TEST(restart_keeps_cwd_and_descriptors)
{
	struct start_opts o = *mode();
	char out[128];
	int pipefd[2];
	struct proc p;

	/* Every run starts as the first did: in the same directory, with
	 * the same descriptor 3 (a socket-activated daemon's LISTEN_FDS).
	 * valgrind would add its own log descriptor to the count. */
	if (REAPER_UNDER_VALGRIND)
		return;
	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	o.fd3 = pipefd[1];
	o.cwd = "/tmp";
	proc_start(&p, ARGV(REAPER, "--restart", "always", "--max-restarts",
			    "1", "--backoff", "10ms", "--", "/bin/sh", "-c",
			    "pwd; \"$0\" fds", PROBE), &o);
	close(pipefd[1]);
	read_all(p.out, out, sizeof out, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_str_eq(out, "/tmp\n0 1 2 3\n/tmp\n0 1 2 3\n");
	close(pipefd[0]);
}
END_TEST

START_TEST(interrupt_during_the_grace_kills_at_once)
{
	struct proc p;

	proc_start(&p, ARGV(REAPER, "-v", "--grace", "10m", "--", "/bin/sh",
			    "-c", "trap '' TERM; sleep 600 &"), mode());
	read_until(p.err, "reaper: terminating 1 leftover: ", BOUND_MS);
	/* The sleep ignores TERM: only SIGINT's skipping the grace ends
	 * this before ten minutes. */
	ck_assert_int_eq(kill(p.pid, SIGINT), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	read_until(p.err, "reaper: killing 1 leftover: ", BOUND_MS);
}
END_TEST

START_TEST(rewrite_term_to_quit)
{
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--rewrite", "TERM:QUIT", "--", PROBE,
			     "signals", "3"), mode(), NULL);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	expect_signal(&p, SIGQUIT);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

START_TEST(rewrite_to_zero_drops)
{
	struct proc p;
	pid_t reaper;

	start_probe(&p, ARGV(REAPER, "--rewrite", "USR1:0", "--", PROBE,
			     "signals"), mode(), NULL);
	reaper = p.pid;
	/* reaper reads them in order: had USR1 gone through, the probe
	 * would print 10 before 12. */
	ck_assert_int_eq(kill(reaper, SIGUSR1), 0);
	ck_assert_int_eq(kill(reaper, SIGUSR2), 0);
	expect_signal(&p, SIGUSR2);
	ck_assert_int_eq(kill(reaper, SIGTERM), 0);
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
	ck_assert_str_eq(line, "reaper: pausing: reaping orphans until SIGTERM or SIGINT");
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(strncmp(line, "reaper: paused after ", 21), 0);
	ck_assert_ptr_nonnull(strstr(line, "; exiting 0"));
}
END_TEST

START_TEST(pause_exits_124_at_its_timeout)
{
	ck_assert_int_eq(run_mode(ARGV(REAPER, "--pause", "--timeout", "200ms"),
			     NULL, 0, NULL, 0), 124);
}
END_TEST

START_TEST(pause_reaps_orphans_entering_its_namespace)
{
	struct proc p;
	char line[256], target[16];
	pid_t init;

	/* The orphan's parent, entered into the namespace by nsenter, exits
	 * at once: the orphan comes to the namespace's PID 1. */
	proc_start(&p, ARGV(REAPER, "-v", "-w", "--pause"), mode());
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaper: pausing: reaping orphans until SIGTERM or SIGINT");
	init = p.pid;
	snprintf(target, sizeof target, "%d", (int)init);
	ck_assert_int_eq(run(ARGV("/usr/bin/nsenter", "-t", target, "-p", "--",
				  "/bin/sh", "-c", "sh -c 'exit 6' &"),
			     NULL, 0, NULL, 0), 0);
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_ptr_nonnull(strstr(line, "reaper: reaped orphan "));
	ck_assert_ptr_nonnull(strstr(line, " (exit 6)"));
	ck_assert_int_eq(kill(init, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

/* A pod's pause process: podman pod stop sends SIGTERM to every
 * container. reaper, PID 1 of the shared namespace, lets the others end
 * their own way (this one needs a second) before it exits, since its exit
 * would SIGKILL them all. */
START_TEST(a_stopping_pause_lets_the_others_end_their_own_way)
{
	struct proc p, other;
	char line[256], target[16];
	pid_t sh;

	proc_start(&p, ARGV(REAPER, "-v", "--pause"), mode());
	read_line(p.err, line, sizeof line, BOUND_MS);
	snprintf(target, sizeof target, "%d", (int)p.pid);
	proc_start(&other, ARGV("/usr/bin/nsenter", "-t", target, "-p", "--",
				"/bin/sh", "-c", "trap 'sleep 1; exit 7' TERM; "
				"echo ready; while :; do sleep 0.1; done"),
		   &default_opts);
	read_line(other.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	sh = pid1_of(other.pid); /* nsenter's one child */
	ck_assert_int_eq(kill(sh, SIGTERM), 0);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&other, BOUND_MS)), 7);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

int main(int argc, char **argv)
{
	const TTest *const both[] = {
		descendants_are_ended_when_the_workload_exits,
		term_ignorer_is_killed_after_the_grace,
		a_stopped_leftover_gets_its_sigterm,
		timeout_exits_124_with_nothing_left,
		restart_on_failure_runs_four_times,
		fails_twice_then_succeeds,
		term_during_backoff_ends_promptly,
		restart_ends_the_last_run_first,
		restart_keeps_cwd_and_descriptors,
		interrupt_during_the_grace_kills_at_once,
		rewrite_term_to_quit,
		rewrite_to_zero_drops,
		pause_exits_124_at_its_timeout,
		NULL,
	};
	const TTest *const subreaper_only[] = {
		no_cleanup_leaves_them,
		pause_exits_0_on_term,
		NULL,
	};
	const TTest *const pid1_only[] = {
		pause_reaps_orphans_entering_its_namespace,
		a_stopping_pause_lets_the_others_end_their_own_way,
		NULL,
	};

	pid1 = argc > 1 && strcmp(argv[1], "pid1") == 0;
	if (pid1 && !can_unshare())
		return 77;
	return harness_main_modes(pid1 ? "lifecycle-pid1" : "lifecycle", 60,
				  pid1, both, subreaper_only, pid1_only);
}
