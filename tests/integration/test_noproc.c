/* reaper without /proc (an empty tmpfs over it, in a mount namespace of
 * its own), where it cannot walk the workload's tree: the cleanup reaches
 * the workload's group, says what it cannot reach and does not wait for
 * it forever, never signals a stranger that takes a number it knew or its
 * own group, and a stopping pause waits out its grace. Needs root (a
 * mount namespace, a chosen pid) and the static build (a sanitizer's
 * runtime needs /proc); skipped with the reason otherwise. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* reaper without /proc; the rest of argv is reaper's. */
#define NO_PROC "/usr/bin/unshare", "--mount", "/bin/sh", "-c", \
	"mount -t tmpfs none /proc && exec \"$0\" \"$@\"", REAPER

/* Starts a daemon in a session of its own, and returns once it is there
 * (once it has said so through a pipe), its pid in $daemon. */
#define DAEMON "daemon=$({ setsid sh -c 'echo $$; exec sleep 600 >/dev/null " \
	"2>&1' & } | { read pid; echo $pid; })"

/* reaper cannot walk the tree, says so at -v, and ends the workload's
 * group, which holds the leftover. */
START_TEST(without_proc_the_group_is_cleaned_up)
{
	char out[64], err[2048];
	long pid;

	ck_assert_int_eq(run(ARGV(NO_PROC, "-v", "--", "/bin/sh", "-c",
				  "sleep 600 >/dev/null & echo $!"),
			     out, sizeof out, err, sizeof err), 0);
	pid = atol(out);
	ck_assert_int_gt(pid, 0);
	ck_assert_msg(kill((pid_t)pid, 0) < 0 && errno == ESRCH,
		      "the leftover %ld lives on", pid);
	ck_assert_int_eq(count_lines(err, "reaper: no usable /proc: signalling "
					  "the workload's group only"), 1);
}
END_TEST

/* Outside the workload's group: reaper cannot reach a setsid daemon, says
 * so, and does not wait for it forever. */
START_TEST(without_proc_a_daemon_outside_the_group_is_given_up_on)
{
	char out[64], err[2048];
	long daemon;

	ck_assert_int_eq(run(ARGV(NO_PROC, "-v", "--grace", "1s", "--", "/bin/sh",
				  "-c", "trap '' TERM; " DAEMON "; echo $daemon; exit 3"),
			     out, sizeof out, err, sizeof err), 3);
	daemon = atol(out);
	ck_assert_int_gt(daemon, 0);
	ck_assert_msg(count_lines(err, "reaper: giving up on descendants out of "
				       "reach without /proc") == 1, "%s", err);
	ck_assert_int_eq(kill((pid_t)daemon, SIGKILL), 0);
}
END_TEST

/* A pod's pause process that cannot see its namespace's processes cannot
 * tell whether the pod's others have ended: it waits out the grace,
 * looking every 100 ms without spinning (the CPU budget), then ends what
 * is left and exits 0. */
START_TEST(a_stopping_pause_without_proc_waits_out_the_grace)
{
	struct start_opts o = default_opts;
	struct timespec t0, t1;
	struct proc p;
	char line[128];

	o.pid1 = true;
	proc_start(&p, ARGV("/bin/sh", "-c", "mount -t tmpfs none /proc && exec "
			    "\"$0\" -v --pause --grace 1s", REAPER), &o);
	read_line(p.err, line, sizeof line, BOUND_MS);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* A lower bound only: a slow machine makes it longer. */
	ck_assert_int_ge((t1.tv_sec - t0.tv_sec) * 1000 +
			 (t1.tv_nsec - t0.tv_nsec) / 1000000, 1000);
}
END_TEST

/* Pause mode has no workload and so no group: its --timeout must not
 * become kill(0), which would end reaper's own group, the shell that
 * started it. A canary shares that group and is no descendant of
 * reaper's. */
START_TEST(pause_without_proc_never_signals_its_own_group)
{
	char out[64];
	long canary;

	ck_assert_int_eq(run(ARGV("/usr/bin/setsid", "/bin/sh", "-c",
				  "(sleep 600 >/dev/null 2>&1 & echo $!); exec "
				  "/usr/bin/unshare --mount /bin/sh -c 'mount -t "
				  "tmpfs none /proc && exec \"$0\" --pause "
				  "--timeout 200ms' \"$0\"", REAPER),
			     out, sizeof out, NULL, 0), 124);
	canary = atol(out);
	ck_assert_int_gt(canary, 0);
	ck_assert_msg(proc_running((pid_t)canary), "the canary in reaper's group was killed");
	ck_assert_int_eq(kill((pid_t)canary, SIGKILL), 0);
}
END_TEST

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls, set_tid, set_tid_size;
};

/* A process with the pid wanted, in a group of its own, which waits. */
static pid_t take_pid(pid_t want)
{
	pid_t tid = want;
	struct clone_args_v2 args = {.exit_signal = SIGCHLD,
				     .set_tid = (uint64_t)(uintptr_t)&tid,
				     .set_tid_size = 1};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);

	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	return pid;
}

/* The cleanup reaches the workload's group alone. Once that group is
 * empty its number is free: a stranger that takes it, as its own group,
 * is never signalled, however long the cleanup goes on. */
START_TEST(a_reused_group_number_is_not_signalled)
{
	struct proc p;
	char line[256];
	pid_t group, stranger;
	int status;

	proc_start(&p, ARGV(NO_PROC, "-v", "--grace", "0", "--", "/bin/sh", "-c",
			    "trap '' TERM; " DAEMON "; echo $$; exit 0"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	group = (pid_t)atol(line);
	/* Said after the workload was reaped, as the cleanup begins. */
	read_until(p.err, "no usable /proc", BOUND_MS);
	stranger = take_pid(group);
	ck_assert_msg(stranger == group, "could not take pid %d: %s", (int)group,
		      strerror(errno));
	proc_wait(&p, BOUND_MS);
	ck_assert_int_eq(waitpid(stranger, &status, WNOHANG), 0);
	ck_assert_int_eq(kill(stranger, SIGKILL), 0);
	ck_assert_int_eq(waitpid(stranger, &status, 0), stranger);
}
END_TEST

int main(void)
{
	const TTest *tests[] = {
		without_proc_the_group_is_cleaned_up,
		without_proc_a_daemon_outside_the_group_is_given_up_on,
		a_stopping_pause_without_proc_waits_out_the_grace,
		pause_without_proc_never_signals_its_own_group,
		a_reused_group_number_is_not_signalled,
		NULL,
	};

	if (!REAPER_IS_STATIC) {
		puts("SKIP: a sanitizer's runtime needs /proc; these cases test "
		     "the static build");
		return 77;
	}
	if (geteuid() != 0) {
		puts("SKIP: hiding /proc needs a mount namespace, and so root");
		return 77;
	}
	return harness_main("noproc", 60, tests);
}
