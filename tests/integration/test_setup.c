/* reaper in its set-up, before the workload exists: a signal that comes
 * then, its parent's death then. reaper is held there on a FIFO: --user
 * with a group read from /etc/group, which is that FIFO, in a mount
 * namespace of its own, until the test writes the file. Needs root (the
 * mount namespace) and the static build (glibc's fgetgrent takes the
 * file's position with fgetpos, which a FIFO refuses; musl's reads on);
 * skipped with the reason otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

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
	int status, fd;

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

static bool make_group_fifo(void)
{
	char path[64];

	if (mkdtemp(fifo) == NULL)
		return false;
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
	const TTest *tests[] = {
		a_signal_during_set_up_reaches_the_workload,
		a_signal_during_set_up_reaches_the_workload_as_pid_1,
		a_parent_gone_before_p_is_set_is_noticed,
		NULL,
	};
	int rc;

	if (!REAPER_IS_STATIC) {
		puts("SKIP: glibc's fgetgrent cannot read the FIFO these cases "
		     "hold reaper on; they test the static (musl) build");
		return 77;
	}
	if (geteuid() != 0) {
		puts("SKIP: the FIFO over /etc/group needs a mount namespace, "
		     "and so root");
		return 77;
	}
	if (!make_group_fifo()) {
		perror(fifo);
		return 1;
	}
	rc = harness_main("setup", 60, tests);
	remove_fifo();
	return rc;
}
