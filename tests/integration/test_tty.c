/* reaper under a pseudo-terminal: the workload owns the foreground, and
 * the terminal's Ctrl-C reaches it. */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

static void start_on_terminal(struct proc *p, char *const argv[], int *master)
{
	struct start_opts o = default_opts;
	char slave[64];

	*master = terminal_open(slave, sizeof slave);
	o.tty = slave;
	proc_start(p, argv, &o);
}

static void type(int master, const char *keys)
{
	ck_assert_int_eq(write(master, keys, strlen(keys)), (ssize_t)strlen(keys));
}

START_TEST(workload_owns_the_foreground_and_ctrl_c_reaches_it)
{
	char *const argv[] = {REAPER, "--", PROBE, "signals", NULL};
	struct proc p;
	char line[128];
	long pid, pgid, sid, fg;
	int master;

	start_on_terminal(&p, argv, &master);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld %ld %ld %ld", &pid, &pgid,
				&sid, &fg), 4);
	ck_assert_int_eq(fg, 1);
	ck_assert_int_eq(write(master, "\x03", 1), 1);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "2");
	/* The terminal told the workload alone: reaper, outside the
	 * foreground group, had nothing to forward. */
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "15");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
}
END_TEST

START_TEST(ctrl_c_interrupts_the_workload)
{
	char *const argv[] = {REAPER, "--", "/bin/sh", "-c",
			      "echo ready; exec cat", NULL};
	struct proc p;
	char line[64];
	int master;

	start_on_terminal(&p, argv, &master);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	ck_assert_int_eq(write(master, "\x03", 1), 1);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGINT);
	close(master);
}
END_TEST

START_TEST(ctrl_z_and_fg_stop_and_resume_both)
{
	char *const argv[] = {"/bin/bash", "--norc", "--noprofile", "-i", NULL};
	char *env[] = {"PS1=$ ", "TERM=dumb", NULL};
	struct start_opts o = default_opts;
	char slave[64], command[PATH_MAX + 16];
	struct proc p;
	int master = terminal_open(slave, sizeof slave);

	o.tty = slave;
	o.env = env;
	proc_start(&p, argv, &o);
	/* cat echoes a line: it runs, and owns the terminal. */
	snprintf(command, sizeof command, "%s -- cat\n", REAPER);
	type(master, command);
	type(master, "first\n");
	read_until(master, "first", BOUND_MS);
	/* Ctrl-Z stops cat; the shell reports the job stopped only if
	 * reaper, the process it waits on, stopped too. */
	type(master, "\x1a");
	read_until(master, "Stopped", BOUND_MS);
	/* fg resumes reaper, which hands cat the terminal again. Left in the
	 * background, cat would stop on SIGTTIN, the job would stop again,
	 * and the shell would run "second" as a command (status 127). */
	type(master, "fg\n");
	type(master, "second\n");
	read_until(master, "second", BOUND_MS);
	type(master, "\x04");
	type(master, "echo status=$?\n");
	read_until(master, "status=0", BOUND_MS);
	type(master, "exit\n");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
}
END_TEST

/* reaper as the session leader of a terminal (script -c, tmux, ssh -t):
 * no shell will ever continue it, so a terminal stop of the workload is
 * undone, as the kernel would have ignored it for the workload alone, in
 * an orphaned group. Neither stays stopped. */
START_TEST(as_a_session_leader_ctrl_z_stops_nothing_for_good)
{
	char *const argv[] = {REAPER, "--", "/bin/sh", "-c",
			      "echo ready; exec cat", NULL};
	struct proc p;
	int master;

	start_on_terminal(&p, argv, &master);
	read_until(master, "ready", BOUND_MS);
	type(master, "first\n");
	read_until(master, "first", BOUND_MS);
	type(master, "\x1a");
	type(master, "second\n");
	read_until(master, "second", BOUND_MS);
	type(master, "\x04");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
}
END_TEST

/* Under a parent without job control (sh -c, a Python program), the
 * workload's group takes the terminal; once it is over, reaper gives it
 * back to its own group, the parent's, which reads it next. Left at the
 * dead group, the parent's read would fail with EIO. */
START_TEST(the_terminal_comes_back_when_the_workload_ends)
{
	char *const argv[] = {"/bin/sh", "-c", "\"$0\" -- /bin/sh -c 'exit 0'; "
			      "read line; echo got:$line", REAPER, NULL};
	struct proc p;
	char line[64];
	int master;

	start_on_terminal(&p, argv, &master);
	type(master, "hello\n");
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "got:hello");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
}
END_TEST

/* --setsid as the session leader that owns a terminal (docker run -t,
 * dumb-init's way): reaper lets go of the terminal, so that the
 * workload's new session takes it as its controlling one; the SIGHUP and
 * SIGCONT that letting go sends reaper's group are not forwarded. */
START_TEST(setsid_hands_the_terminal_to_the_new_session)
{
	char *const argv[] = {REAPER, "--setsid", "--", PROBE, "signals", NULL};
	struct proc p;
	char line[128];
	long pid, pgid, sid, fg;
	int master;

	start_on_terminal(&p, argv, &master);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld %ld %ld %ld", &pid, &pgid,
				&sid, &fg), 4);
	ck_assert_int_eq(sid, pid);
	ck_assert_msg(fg == 1, "the workload has no controlling terminal: %s", line);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "15");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
}
END_TEST

/* A shell's job: Ctrl-Z, then bg. The restart that follows runs in the
 * background too: had it taken the terminal, the interactive shell could
 * no longer read it. The workload waits on a FIFO, not the terminal. */
static char gate[] = "/tmp/reaper-gate-XXXXXX";

static void open_gate(void)
{
	char path[64];

	snprintf(path, sizeof path, "%s/gate", gate);
	write_and_close(fifo_writer(path), "x\n");
}

START_TEST(a_restart_after_bg_leaves_the_terminal_to_the_shell)
{
	char *const argv[] = {"/bin/bash", "--norc", "--noprofile", "-i", NULL};
	char *env[] = {"PS1=$ ", "TERM=dumb", NULL};
	struct start_opts o = default_opts;
	char slave[64], cmd[512];
	struct proc p;
	int master = terminal_open(slave, sizeof slave);

	fifo_make(gate, "gate", cmd, sizeof cmd);
	o.tty = slave;
	o.env = env;
	proc_start(&p, argv, &o);
	snprintf(cmd, sizeof cmd, "%s --restart on-failure --max-restarts 1 "
		 "--backoff 10ms -- sh -c 'echo run-$$; read x < %s/gate; "
		 "exit 1'\n", REAPER, gate);
	type(master, cmd);
	read_until(master, "run-", BOUND_MS);
	type(master, "\x1a");
	read_until(master, "Stopped", BOUND_MS);
	type(master, "bg\n");
	read_until(master, "&", BOUND_MS);
	open_gate();
	read_until(master, "run-", BOUND_MS);
	type(master, "echo alive\n");
	read_until(master, "alive", BOUND_MS);
	open_gate();
	/* bg set $! to reaper; its one restart failed too. */
	type(master, "wait $!; echo status=$?\n");
	read_until(master, "status=1", BOUND_MS);
	type(master, "exit\n");
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	close(master);
	snprintf(cmd, sizeof cmd, "%s/gate", gate);
	unlink(cmd);
	rmdir(gate);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		workload_owns_the_foreground_and_ctrl_c_reaches_it,
		ctrl_c_interrupts_the_workload,
		ctrl_z_and_fg_stop_and_resume_both,
		as_a_session_leader_ctrl_z_stops_nothing_for_good,
		the_terminal_comes_back_when_the_workload_ends,
		setsid_hands_the_terminal_to_the_new_session,
		a_restart_after_bg_leaves_the_terminal_to_the_shell,
		NULL,
	};

	return harness_main("tty", 60, tests);
}
