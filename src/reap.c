#include "reap.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/wait.h>

#include "clock.h"
#include "log.h"
#include "signals.h"

/* Stops are reported too: the policy decides what a stopped workload
 * means for reaper. */
#define WAIT_FLAGS (WNOHANG | WUNTRACED)

void reap_init(struct reap *r, int sfd,
	       void (*report)(void *ctx, pid_t pid, int wstatus, uint64_t now),
	       void *ctx)
{
	*r = (struct reap){.sfd = sfd, .chld_watched = true, .workload_fd = -1,
			   .report = report, .ctx = ctx};
}

void reap_watch(struct reap *r, pid_t pid, int fd)
{
	r->workload = pid;
	r->workload_fd = fd;
}

static void hand_on(struct reap *r, pid_t pid, int status, uint64_t now)
{
	if (pid == r->workload && !WIFSTOPPED(status)) {
		r->workload = 0;
		r->workload_fd = -1;
	}
	r->report(r->ctx, pid, status, now);
}

/* One child by its pid: on kernels since 6.1 that finds it at once,
 * where waitpid(-1) walks the list of children, long in a burst. Only a
 * positive pid: waitpid(0) would reap any child in reaper's own group. */
static void reap_one(struct reap *r, pid_t pid)
{
	int status;

	if (pid > 0 && waitpid(pid, &status, WAIT_FLAGS) == pid)
		hand_on(r, pid, status, clock_now());
}

void reap_named(struct reap *r, const struct reap_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		reap_one(r, b->pids[i]);
	/* The merged SIGCHLDs: some children ended unnamed. */
	if (b->n > 0)
		sweep_request(&r->sweep);
}

void reap_workload(struct reap *r)
{
	reap_one(r, r->workload);
}

void reap_request_sweep(struct reap *r)
{
	sweep_request(&r->sweep);
}

/* Reaps until nothing is left, so that the merged SIGCHLDs are covered.
 * The last call found nothing and so walked every child left: its time
 * spaces the sweeps. The clock read before each call is also the time
 * the child it returns was reaped at: one reading a child, in a burst of
 * thousands. */
bool reap_sweep_if_due(struct reap *r, uint64_t *now, bool *children_left)
{
	uint64_t began;
	int status;
	pid_t pid;

	if (!sweep_due(&r->sweep, *now))
		return false;
	for (;;) {
		began = clock_now();
		if ((pid = waitpid(-1, &status, WAIT_FLAGS)) <= 0)
			break;
		hand_on(r, pid, status, began);
	}
	*now = clock_now();
	if (pid < 0 && errno != ECHILD)
		log_warn("waitpid: %m");
	sweep_done(&r->sweep, *now - began, *now);
	*children_left = pid == 0;
	return true;
}

/* While a sweep waits, SIGCHLD leaves the signalfd: it stays blocked and
 * pending, merged into one, and the sweep reaps every child it stands
 * for. Otherwise each child that ends in a burst would wake reaper for
 * one reap by pid. */
static void watch_sigchld(struct reap *r, bool on)
{
	kernel_sigset set = signal_handled_set();

	if (on == r->chld_watched)
		return;
	if (!on)
		set &= ~((kernel_sigset)1 << (SIGCHLD - 1));
	/* Only a bad descriptor or mask makes this fail, and both are
	 * reaper's own. */
	if (syscall(SYS_signalfd4, r->sfd, &set, sizeof set, 0) < 0) {
		log_warn("%s SIGCHLD on the signalfd: %m",
			 on ? "watching" : "setting aside");
		return;
	}
	r->chld_watched = on;
}

uint64_t reap_prepare(struct reap *r, uint64_t now)
{
	uint64_t wait = sweep_deadline(&r->sweep, now);

	watch_sigchld(r, wait == 0);
	return wait;
}

int reap_poll_fd(const struct reap *r)
{
	return r->chld_watched ? -1 : r->workload_fd;
}
