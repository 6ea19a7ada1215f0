#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "syscalls.h"
#include "tty.h"

struct spawn_result {
	pid_t pid;
	int err;          /* 0 when exec succeeded */
	const char *step; /* what failed before exec, or NULL: exec did */
};

/* Whether LISTEN_PID's value names pid (socket activation handed its
 * sockets to reaper, so the workload must see its own pid there). */
static bool listen_pid_names(const char *value, pid_t pid)
{
	unsigned long n;

	return value != NULL && parse_ulong(value, &n) && n == (unsigned long)pid;
}

static int exec_failure_code(int exec_errno)
{
	return exec_errno == ENOENT || exec_errno == ENOTDIR ? 127 : 126;
}

/* A path (not a name looked up in PATH) to a directory, which exec
 * refuses as EACCES: shells say "Is a directory", and so does reaper. */
static bool is_directory(const char *command)
{
	struct stat st;

	return strchr(command, '/') != NULL && stat(command, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static void rewrite_listen_pid(void)
{
	char pid[24];

	if (!listen_pid_names(getenv("LISTEN_PID"), getppid()))
		return;
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	(void)setenv("LISTEN_PID", pid, 1);
}

/* What the child tells the parent through the close-on-exec pipe when it
 * does not reach exec. step points into the binary, the same in both. */
struct failure {
	int err;
	const char *step;
};

static __attribute__((noreturn)) void
fail_child(int pipe, int err, const char *step, int code)
{
	struct failure r;

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
exec_child(const struct spawn_request *req, int failures)
{
	const char *step;
	int err;

	if (req->cwd >= 0 && fchdir(req->cwd) < 0)
		fail_child(failures, errno, "returning to the working directory", 125);
	tty_take(req->setsid);
	rewrite_listen_pid();
	for (const char *const *name = req->unset; name && *name; name++)
		(void)unsetenv(*name);
	if (req->creds->home[0] != '\0' &&
	    setenv("HOME", req->creds->home, 1) < 0)
		fail_child(failures, errno, "setting HOME", 125);
	if ((err = creds_apply(req->creds, &step)) != 0)
		fail_child(failures, err, step, 125);
	if (req->chld_ignored)
		(void)signal(SIGCHLD, SIG_IGN);
	(void)sys_sigprocmask(SIG_SETMASK, &req->mask, NULL);
	execvp(req->argv[0], req->argv);
	err = errno;
	if (err == EACCES && is_directory(req->argv[0]))
		err = EISDIR;
	fail_child(failures, err, NULL, exec_failure_code(err));
}

static void read_failure(int fd, struct spawn_result *res)
{
	struct failure r = {0, NULL};
	ssize_t n;

	do
		n = read(fd, &r, sizeof r);
	while (n < 0 && errno == EINTR);
	if (n != 0 && n != (ssize_t)sizeof r)
		r = (struct failure){EIO, "reporting back"};
	res->err = r.err;
	res->step = r.step;
}

/* Returns false with errno set when fork failed; otherwise the child
 * exists, and res says whether it reached exec, or what stopped it. */
static bool fork_workload(struct spawn_request *req, struct spawn_result *res)
{
	int failures[2];
	int saved;

	if (pipe2(failures, O_CLOEXEC) < 0)
		return false;
	res->pid = fork();
	if (res->pid == 0) {
		close(failures[0]);
		exec_child(req, failures[1]);
	}
	saved = errno;
	/* The child has its own: reaper lets the caller's directory go
	 * before the workload can run, unless another run will need it. */
	if (res->pid > 0 && req->start_once && req->cwd >= 0) {
		close(req->cwd);
		req->cwd = -1;
	}
	close(failures[1]);
	if (res->pid > 0)
		read_failure(failures[0], res);
	close(failures[0]);
	errno = saved;
	return res->pid > 0;
}

/* The workload's end is heard through its pidfd while SIGCHLD is set
 * aside (reap.h), and its group is reached by reference without /proc. */
static void take_workload(struct workload *w, pid_t pid)
{
	if (w->fd >= 0)
		close(w->fd);
	*w = (struct workload){.pid = pid, .fd = sys_pidfd_open(pid),
			       .running = true};
	if (w->fd < 0)
		log_debug("pidfd_open: %m; the workload's end may wait for a sweep");
}

int spawn_start(struct spawn_request *req, struct workload *w)
{
	struct spawn_result child;

	if (!fork_workload(req, &child)) {
		log_error("fork: %m");
		return 125;
	}
	if (child.err != 0) {
		(void)waitpid(child.pid, NULL, 0);
		if (child.step != NULL) {
			log_error("%s: %s", child.step, strerror(child.err));
			return 125;
		}
		log_error("%s: %s", req->argv[0], strerror(child.err));
		return exec_failure_code(child.err);
	}
	log_info("started %s as %d", req->argv[0], (int)child.pid);
	take_workload(w, child.pid);
	return 0;
}
