/* reaper at the edges of its environment: a descendant it may not signal,
 * no /proc, its own stderr a closed pipe, a deadline that falls in
 * another phase, a group number reused, a SIGCHLD from outside its
 * namespace, signals in its first instants, a fault that is really one.
 * Each case bounds its wait: the bug it guards against was a hang, a
 * spin (the harness's CPU budget fails it) or a signal to a stranger.
 * Most need root (another user, a mount or PID namespace, a chosen pid);
 * without it they are left out, saying so. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* reaper without /proc: an empty tmpfs over it, in a mount namespace of
 * its own; the rest of argv is reaper's. */
#define NO_PROC "/usr/bin/unshare", "--mount", "/bin/sh", "-c", \
	"mount -t tmpfs none /proc && exec \"$0\" \"$@\"", REAPER

/* The span over which something must not happen; not synchronisation. */
static void span(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* A pidfd and poll: a wait for any process's end, our child or not. */
static void wait_gone(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	if (fd < 0 && errno == ESRCH)
		return;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(poll(&pfd, 1, BOUND_MS), 1);
	close(fd);
}

/* The setuid-root copy of the probe, made once; empty when this
 * filesystem ignores the setuid bit. */
static char setuid_probe[256];

static void make_setuid_probe(void)
{
	char cmd[1200];

	snprintf(setuid_probe, sizeof setuid_probe, "%s/probe-setuid", EDGES_DIR);
	snprintf(cmd, sizeof cmd, "cp %s %s && chown 0:0 %s && chmod 4755 %s",
		 PROBE, setuid_probe, setuid_probe, setuid_probe);
	if (system(cmd) != 0)
		setuid_probe[0] = '\0';
}

/* reaper runs as an ordinary user, its workload a setuid-root program that
 * ignores SIGTERM (sudo, su): reaper may not signal it. --timeout is still
 * a limit: after the grace, SIGKILL for at most 5 s, then reaper names
 * what it could not end and why, and exits 124. */
START_TEST(a_descendant_it_may_not_signal_is_given_up_on)
{
	struct proc p;
	char line[128], why[128];
	long leftover;

	ck_assert_msg(setuid_probe[0] != '\0', "no setuid copy of the probe");
	proc_start(&p, ARGV("/usr/bin/setpriv", "--reuid=4242", "--regid=4242",
			    "--clear-groups", REAPER, "-v", "--timeout", "1s",
			    "--grace", "1s", "--", setuid_probe, "setuid"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld", &leftover), 1);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 124);
	snprintf(why, sizeof why, "reaper: giving up on %ld (probe-setuid): "
		 "Operation not permitted", leftover);
	read_until(p.err, why, BOUND_MS);
	ck_assert(proc_running((pid_t)leftover));
	ck_assert_int_eq(kill((pid_t)leftover, SIGKILL), 0);
}
END_TEST

/* Starts a daemon in a session of its own, and returns once it is there
 * (once it has said so through a pipe), its pid in $daemon. */
#define DAEMON "daemon=$({ setsid sh -c 'echo $$; exec sleep 600 >/dev/null " \
	"2>&1' & } | { read pid; echo $pid; })"

/* No /proc to find it, and outside the workload's group: reaper cannot
 * reach a setsid daemon, says so, and does not wait for it forever. */
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

/* The --timeout deadline passes during the grace of a leftover that
 * ignores SIGTERM: reaper waits, off the CPU (the harness's budget), for
 * the grace to end. */
START_TEST(a_timeout_that_falls_in_the_grace_does_not_spin)
{
	char out[64];

	ck_assert_int_eq(run(ARGV(REAPER, "--timeout", "300ms", "--grace", "2s",
				  "--", "/bin/sh", "-c",
				  "trap '' TERM; sleep 600 & echo $!; exit 5"),
			     out, sizeof out, NULL, 0), 5);
	wait_gone((pid_t)atol(out));
}
END_TEST

/* A pod's pause process that cannot see its namespace's processes (no
 * /proc) cannot tell whether the pod's others have ended: it waits out
 * the grace, looking every 100 ms without spinning (the CPU budget),
 * then ends what is left and exits 0. */
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

/* Which of pid's descriptors is its timerfd, and its flags. */
static long timerfd_flags(pid_t pid)
{
	char path[64], link[64], info[256];
	long flags = -1;

	for (int fd = 0; fd < 16 && flags < 0; fd++) {
		ssize_t n;
		FILE *f;
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
		if ((n = readlink(path, link, sizeof link - 1)) < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:[timerfd]") != 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
		ck_assert_ptr_nonnull(f = fopen(path, "re"));
		while (fgets(info, sizeof info, f) != NULL)
			if (sscanf(info, "flags: %lo", &flags) == 1)
				break;
		fclose(f);
	}
	return flags;
}

/* A timer set again after poll saw it fire has nothing to read: a
 * blocking read would hold the loop, reaping and forwarding nothing,
 * until the timer's new time. */
START_TEST(the_timer_never_blocks_the_loop)
{
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--timeout", "10m", "--", PROBE, "signals"),
		    &default_opts, NULL);
	ck_assert_int_eq(timerfd_flags(p.pid) & O_NONBLOCK, O_NONBLOCK);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

/* reaper -w -- job 2>&1 | head: the reader of reaper's stderr is gone.
 * Its own failed write raises SIGPIPE on itself, which is no signal for
 * the workload. */
START_TEST(sigpipe_reaper_raises_is_not_forwarded)
{
	struct proc p;
	char line[128];

	proc_start(&p, ARGV(REAPER, "-w", "--", "/bin/sh", "-c",
			    "read go; (sh -c 'exit 0' &); exec " PROBE " signals"),
		   &default_opts);
	close(p.err);
	ck_assert_int_eq(write(p.in, "go\n", 3), 3);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(strncmp(line, "ready ", 6), 0);
	/* The orphan was reaped and its warning failed, before or after the
	 * probe was ready; a forwarded SIGPIPE would have killed the probe
	 * or come before this USR1. */
	signal_and_expect(&p, SIGUSR1);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

/* At -vv each forwarded signal is logged: with stderr a closed pipe and a
 * workload that ignores SIGPIPE, a forwarded SIGPIPE must not log, fail,
 * raise another and go round (the CPU budget). */
START_TEST(a_closed_stderr_at_vv_does_not_go_round)
{
	struct proc p;
	char line[16];

	proc_start(&p, ARGV(REAPER, "-vv", "--", "/bin/sh", "-c",
			    "trap '' PIPE USR1; echo ready; exec sleep 600"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	close(p.err);
	ck_assert_int_eq(kill(p.pid, SIGUSR1), 0);
	span(1000);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}
END_TEST

/* Pause mode has no workload and so no group: without /proc, its
 * --timeout must not become kill(0), which would end reaper's own group,
 * the shell that started it. A canary shares that group and is no
 * descendant of reaper's. */
START_TEST(pause_without_proc_never_signals_its_own_group)
{
	char out[64];
	long canary;

	ck_assert_int_eq(run(ARGV("/usr/bin/setsid", "/bin/sh", "-c",
				  "(sleep 600 >/dev/null 2>&1 & echo $!); exec "
				  "/usr/bin/unshare --mount /bin/sh -c 'mount -t "
				  "tmpfs none /proc && exec " REAPER " --pause "
				  "--timeout 200ms'"),
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

/* Without /proc the cleanup reaches the workload's group alone. Once that
 * group is empty its number is free: a stranger that takes it, as its own
 * group, is never signalled, however long the cleanup goes on. */
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

/* The one child reaper has: its pid as seen here. */
static pid_t only_child_of(pid_t pid)
{
	char path[64], buf[64];
	FILE *f;
	long child = 0;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "re"));
	if (fgets(buf, sizeof buf, f) != NULL)
		child = atol(buf);
	fclose(f);
	return (pid_t)child;
}

/* A SIGCHLD sent from outside reaper's PID namespace names pid 0. Were
 * that reaped by pid, waitpid(0) would reap any child in reaper's group
 * and drop its status: the orphan below shares the group, and its end
 * must still be reported. */
START_TEST(a_sigchld_from_outside_the_namespace_reaps_nothing_unseen)
{
	struct start_opts o = default_opts;
	struct proc p;
	char line[256], target[16];
	pid_t orphan;
	int status;

	o.pid1 = true;
	proc_start(&p, ARGV(REAPER, "-v", "-w", "--pause"), &o);
	/* Its signals are blocked once it says so. */
	read_line(p.err, line, sizeof line, BOUND_MS);
	snprintf(target, sizeof target, "%d", (int)p.pid);
	ck_assert_int_eq(run(ARGV("/usr/bin/nsenter", "-t", target, "-p", "--",
				  "/bin/sh", "-c", "sleep 600 >/dev/null 2>&1 &"),
			     NULL, 0, NULL, 0), 0);
	orphan = only_child_of(p.pid);
	ck_assert_int_gt(orphan, 0);
	/* Stopped, reaper reads nothing: the SIGCHLD from here comes first,
	 * and the orphan's own merges into it. */
	ck_assert_int_eq(kill(p.pid, SIGSTOP), 0);
	ck_assert_int_eq(waitpid(p.pid, &status, WUNTRACED), p.pid);
	ck_assert_int_eq(kill(p.pid, SIGCHLD), 0);
	ck_assert_int_eq(kill(orphan, SIGKILL), 0);
	wait_gone(orphan);
	ck_assert_int_eq(kill(p.pid, SIGCONT), 0);
	read_line(p.err, line, sizeof line, BOUND_MS);
	ck_assert_msg(strstr(line, "reaper: reaped orphan ") == line &&
		      strstr(line, "(killed by SIGKILL)") != NULL, "%s", line);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

/* reaper blocked in its first instants: --user with a group read from
 * /etc/group, which is a FIFO here, in a mount namespace of its own, so
 * that reaper waits in the middle of its set-up until the test writes
 * the file. */
static char fifo[] = "/tmp/reaper-group-XXXXXX";

/* Opens the FIFO for writing: returns once reaper has opened it, and so
 * waits in the middle of its set-up. */
static int group_file_opened(void)
{
	char path[64];

	snprintf(path, sizeof path, "%s/group", fifo);
	return fifo_writer(path);
}

/* Lets reaper read on, and go on. */
static void serve_group_file(int fd)
{
	write_and_close(fd, "grp:x:4321:\n");
}

#define BLOCKED_ON_GROUP(...) "/bin/sh", "-c", \
	"mount --bind \"$0\"/group /etc/group && exec \"$@\"", fifo, \
	REAPER, "--user", "12345:grp", __VA_ARGS__

/* A SIGTERM that comes while reaper sets up is forwarded once the
 * workload exists: as PID 1 it would otherwise be dropped by the kernel,
 * elsewhere it would kill reaper before the workload started. The sleep
 * ends of it, and reaper exits, as itself, with 128+15. */
static void signal_during_set_up(bool pid1)
{
	struct start_opts o = default_opts;
	char *const plain[] = {"/usr/bin/unshare", "--mount",
			       BLOCKED_ON_GROUP("-v", "--", "/bin/sleep", "600"),
			       NULL};
	char *const ns[] = {BLOCKED_ON_GROUP("-v", "--", "/bin/sleep", "600"),
			    NULL};
	char err[1024];
	struct proc p;
	int status, fd;

	o.pid1 = pid1;
	proc_start(&p, pid1 ? ns : plain, &o);
	fd = group_file_opened();
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	serve_group_file(fd);
	read_all(p.err, err, sizeof err, BOUND_MS);
	status = proc_wait(&p, BOUND_MS);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM,
		      "status %#x: %s", status, err);
	ck_assert_msg(count_lines(err, "reaper: the workload ended (killed by "
				       "SIGTERM)") == 1, "%s", err);
}

START_TEST(a_signal_during_set_up_reaches_the_workload)
{
	signal_during_set_up(false);
}
END_TEST

START_TEST(a_signal_during_set_up_reaches_the_workload_as_pid_1)
{
	signal_during_set_up(true);
}
END_TEST

/* -p: the parent is gone before reaper has set its parent-death signal;
 * reaper acts as if the signal had come, and the sleep ends of it. */
START_TEST(a_parent_gone_before_p_is_set_is_noticed)
{
	struct proc p;
	char line[32];
	pid_t reaper;
	int status;

	int fd;

	proc_start(&p, ARGV("/usr/bin/unshare", "--mount", "/bin/sh", "-c",
			    "mount --bind \"$0\"/group /etc/group && "
			    "{ \"$@\" & } && echo $! && read go", fifo, REAPER,
			    "-p", "USR2", "--user", "12345:grp", "--",
			    "/bin/sleep", "600"),
		   &default_opts);
	read_line(p.out, line, sizeof line, BOUND_MS);
	reaper = (pid_t)atol(line);
	/* reaper is in its set-up, its parent seen; the parent goes now. */
	fd = group_file_opened();
	ck_assert_int_eq(write(p.in, "go\n", 3), 3);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	serve_group_file(fd);
	wait_gone(reaper);
	ck_assert_int_eq(waitpid(reaper, &status, 0), reaper);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGUSR2,
		      "status %#x", status);
}
END_TEST

/* Blocking every signal, the faults included, does not keep a fault the
 * kernel raises in reaper from killing it: here a seccomp trap on wait4,
 * the first call reaper makes once the workload ends. */
START_TEST(a_real_fault_still_kills_reaper)
{
	ck_assert_int_eq(run(ARGV(RESTRICT, "trap", "wait4", "--", REAPER, "--",
				  "/bin/true"), NULL, 0, NULL, 0), 128 + SIGSYS);
}
END_TEST

static bool make_group_fifo(void)
{
	char path[64];

	snprintf(path, sizeof path, "%s/group", fifo);
	return mkfifo(path, 0600) == 0;
}

static void remove_fifo(void)
{
	char path[64];

	snprintf(path, sizeof path, "%s/group", fifo);
	unlink(path);
	rmdir(fifo);
}

int main(void)
{
	const TTest *tests[16];
	size_t n = 0;
	int rc;

	tests[n++] = a_timeout_that_falls_in_the_grace_does_not_spin;
	tests[n++] = the_timer_never_blocks_the_loop;
	tests[n++] = sigpipe_reaper_raises_is_not_forwarded;
	tests[n++] = a_closed_stderr_at_vv_does_not_go_round;
	if (REAPER_UNDER_VALGRIND)
		puts("note: under valgrind a fault is valgrind's to report; "
		     "a_real_fault_still_kills_reaper left out");
	else
		tests[n++] = a_real_fault_still_kills_reaper;
	if (geteuid() != 0) {
		puts("note: the cases that need another user, a mount or PID "
		     "namespace or a chosen pid need root; left out");
		tests[n] = NULL;
		return harness_main("edges", 60, tests);
	}
	make_setuid_probe();
	if (mkdtemp(fifo) == NULL || !make_group_fifo())
		return 1;
	tests[n++] = a_descendant_it_may_not_signal_is_given_up_on;
	tests[n++] = a_sigchld_from_outside_the_namespace_reaps_nothing_unseen;
	if (REAPER_IS_STATIC) {
		tests[n++] = a_signal_during_set_up_reaches_the_workload;
		tests[n++] = a_signal_during_set_up_reaches_the_workload_as_pid_1;
		tests[n++] = a_parent_gone_before_p_is_set_is_noticed;
		tests[n++] = without_proc_a_daemon_outside_the_group_is_given_up_on;
		tests[n++] = pause_without_proc_never_signals_its_own_group;
		tests[n++] = a_reused_group_number_is_not_signalled;
		tests[n++] = a_stopping_pause_without_proc_waits_out_the_grace;
	} else {
		/* glibc's fgetgrent takes the file's position with fgetpos,
		 * which a FIFO refuses; musl's reads on. */
		puts("note: the set-up cases test the static (musl) build: "
		     "glibc's fgetgrent cannot read the FIFO they block reaper "
		     "on; the cases without /proc too: a sanitizer runtime "
		     "needs /proc; left out");
	}
	tests[n] = NULL;
	rc = harness_main("edges", 60, tests);
	remove_fifo();
	return rc;
}
