#include "reap.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "clock.h"
#include "log.h"
#include "signals.h"
#include "syscalls.h"

/* Stops are reported too: the policy decides what a stopped workload
 * means for reaper. */
#define WAIT_FLAGS (WNOHANG | WUNTRACED)

void reap_init(struct reap *r, int sfd)
{
	*r = (struct reap){.sfd = sfd, .chld_watched = true};
}

/* A full list of names is no loss: the sweep after finds the rest. */
void reap_note(struct reap *r, pid_t pid)
{
	if (pid > 0 && r->named < sizeof r->names / sizeof r->names[0])
		r->names[r->named++] = pid;
	sweep_request(&r->sweep);
}

void reap_request_sweep(struct reap *r)
{
	sweep_request(&r->sweep);
}

static void add(struct reap_batch *b, pid_t pid, int status, uint64_t at)
{
	b->list[b->n++] = (struct reaped){pid, status, at};
}

/* One child by its pid: on kernels since 6.1 that finds it at once,
 * where waitpid(-1) walks the list of children, long in a burst. Only a
 * positive pid: waitpid(0) would reap any child in reaper's own group. */
static void reap_named(struct reap *r, struct reap_batch *b)
{
	int status;

	for (size_t i = 0; i < r->named; i++)
		if (waitpid(r->names[i], &status, WAIT_FLAGS) == r->names[i])
			add(b, r->names[i], status, clock_now());
	r->named = 0;
}

/* Reaps until nothing is left or the batch is full, so that the merged
 * SIGCHLDs are covered. The last call found nothing and so walked every
 * child left: its time spaces the sweeps. The clock read before each
 * call is also the time the child it returns was reaped at: one reading
 * a child, in a burst of thousands. */
static void sweep_into(struct reap *r, uint64_t *now, struct reap_batch *b)
{
	uint64_t began = *now;
	int status;
	pid_t pid = 0;

	while (b->n < REAP_BATCH) {
		began = clock_now();
		if ((pid = waitpid(-1, &status, WAIT_FLAGS)) <= 0)
			break;
		add(b, pid, status, began);
	}
	*now = clock_now();
	if ((r->sweeping = b->n == REAP_BATCH))
		return;
	if (pid < 0 && errno != ECHILD)
		log_warn("waitpid: %m");
	sweep_done(&r->sweep, *now - began, *now);
	b->swept = true;
	b->children_left = pid == 0;
}

bool reap_collect(struct reap *r, uint64_t *now, struct reap_batch *b)
{
	b->n = 0;
	b->swept = false;
	reap_named(r, b);
	if (r->sweeping || sweep_due(&r->sweep, *now))
		sweep_into(r, now, b);
	return b->n > 0 || b->swept;
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
	if (sys_signalfd(r->sfd, &set, 0) < 0) {
		log_warn("%s SIGCHLD on the signalfd: %m",
			 on ? "watching" : "setting aside");
		return;
	}
	r->chld_watched = on;
}

uint64_t reap_before_wait(struct reap *r, int workload_fd, int *fd)
{
	uint64_t wake = sweep_deadline(&r->sweep);

	watch_sigchld(r, wake == DEADLINE_NEVER);
	*fd = r->chld_watched ? -1 : workload_fd;
	return wake;
}
