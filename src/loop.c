#include "loop.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

bool loop_open(struct loop *l)
{
	struct sigaction old;
	sigset_t all;

	l->sfd = -1;
	sigfillset(&all);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (signal_is_fault(sig))
			sigdelset(&all, sig);
	if (sigprocmask(SIG_BLOCK, &all, &l->inherited_mask) < 0)
		return false;
	/* An ignored SIGCHLD would have the kernel reap for reaper and leave
	 * waitpid nothing to report. */
	if (sigaction(SIGCHLD, NULL, &old) < 0)
		return false;
	l->chld_ignored = old.sa_handler == SIG_IGN;
	if (l->chld_ignored && signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return false;
	l->sfd = signalfd(-1, &all, SFD_CLOEXEC);
	return l->sfd >= 0;
}

static bool kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

/* Fallback for kernels before 5.9, which lack close_range. */
static void close_listed(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL) {
		log_debug("cannot list /proc/self/fd; inherited descriptors stay open");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != dirfd(d) && !kept(fd, keep, n))
			close(fd);
	}
	closedir(d);
}

/* keep is sorted ascending. */
static void close_all_but(const int *keep, size_t n)
{
	unsigned lo = 0;

	for (size_t i = 0; i <= n; i++) {
		unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
		if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) < 0) {
			close_listed(keep, n);
			return;
		}
		lo = hi + 1;
	}
}

void loop_release_inherited(struct loop *l)
{
	int keep[3];
	size_t n = 0;

	if (chdir("/") < 0)
		log_warn("chdir /: %m");
	if (isatty(STDIN_FILENO))
		keep[n++] = STDIN_FILENO;
	keep[n++] = STDERR_FILENO;
	keep[n++] = l->sfd;
	close_all_but(keep, n);
}

/* Returns true when the policy asked to exit, with the code in *code. */
static bool execute(const struct actions *acts, int *code)
{
	char name[32];
	bool done = false;

	for (size_t i = 0; i < acts->n; i++) {
		const struct action *a = &acts->list[i];
		switch (a->kind) {
		case ACT_FORWARD:
			log_debug("forwarding %s to %d",
				  signal_name(a->sig, name, sizeof name),
				  (int)a->target);
			if (kill(a->target, a->sig) < 0 && errno != ESRCH)
				log_warn("forwarding %s to %d: %m",
					 signal_name(a->sig, name, sizeof name),
					 (int)a->target);
			break;
		case ACT_REPORT_ORPHAN:
			log_warn("reaped orphan %d (%s)", (int)a->target,
				 policy_describe(a->status, name, sizeof name));
			break;
		case ACT_EXIT:
			*code = a->status;
			done = true;
			break;
		}
	}
	return done;
}

/* Reaps until nothing is left, so that one SIGCHLD, which the kernel
 * merges, covers every child that exited before it was read. */
static bool reap_all(struct policy *p, int *code)
{
	struct actions acts;
	bool done = false;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		policy_on_reaped(p, pid, status, &acts);
		done |= execute(&acts, code);
	}
	if (pid < 0 && errno != ECHILD)
		log_warn("waitpid: %m");
	return done;
}

int loop_run(struct loop *l, struct policy *p)
{
	struct signalfd_siginfo si[32];
	struct actions acts;
	int code = 0;

	for (;;) {
		ssize_t n = read(l->sfd, si, sizeof si);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("reading signals: %m");
			return 125;
		}
		for (size_t i = 0; i < (size_t)n / sizeof si[0]; i++) {
			int sig = (int)si[i].ssi_signo;
			bool done;
			if (sig == SIGCHLD) {
				done = reap_all(p, &code);
			} else {
				policy_on_signal(p, sig, &acts);
				done = execute(&acts, &code);
			}
			if (done)
				return code;
		}
	}
}
