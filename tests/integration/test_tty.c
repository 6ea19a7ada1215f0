/* reaper under a pseudo-terminal: the workload owns the foreground, and
 * the terminal's Ctrl-C reaches it. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

static int open_terminal(char *slave, size_t len)
{
	struct termios t;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	ck_assert_int_eq(ptsname_r(master, slave, len), 0);
	/* No echo of ^C and no \r, so what the probe writes reads back as
	 * plain lines. */
	ck_assert_int_eq(tcgetattr(master, &t), 0);
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_oflag &= ~(tcflag_t)OPOST;
	ck_assert_int_eq(tcsetattr(master, TCSANOW, &t), 0);
	return master;
}

static void start_on_terminal(struct proc *p, char *const argv[], int *master)
{
	struct start_opts o = default_opts;
	char slave[64];

	*master = open_terminal(slave, sizeof slave);
	o.tty = slave;
	proc_start(p, argv, &o);
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

static void type(int master, const char *keys)
{
	ck_assert_int_eq(write(master, keys, strlen(keys)), (ssize_t)strlen(keys));
}

START_TEST(ctrl_z_and_fg_stop_and_resume_both)
{
	char *const argv[] = {"/bin/bash", "--norc", "--noprofile", "-i", NULL};
	char *env[] = {"PS1=$ ", "TERM=dumb", NULL};
	struct start_opts o = default_opts;
	char slave[64];
	struct proc p;
	int master = open_terminal(slave, sizeof slave);

	o.tty = slave;
	o.env = env;
	proc_start(&p, argv, &o);
	/* cat echoes a line: it runs, and owns the terminal. */
	type(master, REAPER " -- cat\n");
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

int main(void)
{
	const TTest *const tests[] = {
		workload_owns_the_foreground_and_ctrl_c_reaches_it,
		ctrl_c_interrupts_the_workload,
		ctrl_z_and_fg_stop_and_resume_both,
		NULL,
	};

	return harness_main("tty", 60, tests);
}
