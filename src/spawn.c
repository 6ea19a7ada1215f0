#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "parse.h"

bool spawn_listen_pid_names(const char *value, pid_t pid)
{
	unsigned long n;

	return value != NULL && parse_ulong(value, &n) && n == (unsigned long)pid;
}

int spawn_exec_failure_code(int exec_errno)
{
	return exec_errno == ENOENT || exec_errno == ENOTDIR ? 127 : 126;
}

static void take_terminal(const struct spawn_request *req)
{
	/* SIGTTOU is still blocked here, so a background group may take the
	 * foreground; failure leaves the workload where reaper was. */
	if (req->setsid) {
		if (setsid() >= 0 && isatty(STDIN_FILENO))
			(void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
		return;
	}
	(void)setpgid(0, 0);
	if (req->foreground)
		(void)tcsetpgrp(STDIN_FILENO, getpid());
}

static void rewrite_listen_pid(void)
{
	char pid[24];

	if (!spawn_listen_pid_names(getenv("LISTEN_PID"), getppid()))
		return;
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	(void)setenv("LISTEN_PID", pid, 1);
}

/* What the child tells the parent through the close-on-exec pipe when it
 * does not reach exec. step points into the binary, the same in both. */
struct report {
	int err;
	const char *step;
};

static __attribute__((noreturn)) void
fail_child(int pipe, int err, const char *step, int code)
{
	struct report r;

	/* Whole, padding included: the bytes go through a pipe. */
	memset(&r, 0, sizeof r);
	r.err = err;
	r.step = step;
	/* A short write still ends in _exit: the parent reads a partial
	 * report as an unknown failure. */
	(void)!write(pipe, &r, sizeof r);
	_exit(code);
}

static __attribute__((noreturn)) void
exec_child(const struct spawn_request *req, int report)
{
	const char *step;
	int err;

	take_terminal(req);
	rewrite_listen_pid();
	if (req->creds->home[0] != '\0' &&
	    setenv("HOME", req->creds->home, 1) < 0)
		fail_child(report, errno, "setting HOME", 125);
	if ((err = creds_apply(req->creds, &step)) != 0)
		fail_child(report, err, step, 125);
	if (req->chld_ignored)
		(void)signal(SIGCHLD, SIG_IGN);
	(void)syscall(SYS_rt_sigprocmask, SIG_SETMASK, req->mask, NULL,
		      sizeof *req->mask);
	execvp(req->argv[0], req->argv);
	err = errno;
	fail_child(report, err, NULL, spawn_exec_failure_code(err));
}

static void read_report(int fd, struct spawn_result *res)
{
	struct report r = {0, NULL};
	ssize_t n;

	do
		n = read(fd, &r, sizeof r);
	while (n < 0 && errno == EINTR);
	if (n != 0 && n != (ssize_t)sizeof r)
		r = (struct report){EIO, "reporting back"};
	res->err = r.err;
	res->step = r.step;
}

bool spawn_workload(const struct spawn_request *req, struct spawn_result *res)
{
	int report[2];
	int saved;

	if (pipe2(report, O_CLOEXEC) < 0)
		return false;
	res->pid = fork();
	if (res->pid == 0) {
		close(report[0]);
		exec_child(req, report[1]);
	}
	saved = errno;
	close(report[1]);
	if (res->pid > 0)
		read_report(report[0], res);
	close(report[0]);
	errno = saved;
	return res->pid > 0;
}
