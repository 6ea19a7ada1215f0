/* Turns SIGCHLDs into reaped statuses, the loop's hottest path.
 *
 * Each SIGCHLD's own child is reaped by its pid; a sweep of waitpid(-1)
 * finds those whose SIGCHLD merged into another's, spaced as sweep.h
 * says. While a sweep waits, SIGCHLD leaves the signalfd and stays
 * pending, and the workload's end is heard through its pidfd instead. */
#ifndef REAPER_REAP_H
#define REAPER_REAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sweep.h"

/* The pids one read of the signalfd named in its SIGCHLDs: some of the
 * children that changed state, not all. 0 when the sender was in an
 * ancestor namespace: no child of reaper's. */
struct reap_batch {
	size_t n;
	pid_t pids[32];
};

struct reap {
	int sfd;               /* the loop's signalfd, whose mask this sets */
	bool chld_watched;     /* whether sfd reports SIGCHLD */
	struct sweep sweep;
	pid_t workload;        /* the running workload, until reaped */
	int workload_fd;       /* its pidfd (the loop's), or -1 */
	/* Where each reaped or stopped child goes, with the time it was
	 * reaped at: the clock is read once a child, here. */
	void (*report)(void *ctx, pid_t pid, int wstatus, uint64_t now);
	void *ctx;
};

void reap_init(struct reap *r, int sfd,
	       void (*report)(void *ctx, pid_t pid, int wstatus, uint64_t now),
	       void *ctx);

/* The workload started as pid; fd is its pidfd, or -1. */
void reap_watch(struct reap *r, pid_t pid, int fd);

/* Reaps the children b names, by pid, and asks for a sweep after. */
void reap_named(struct reap *r, const struct reap_batch *b);

/* The workload's pidfd said it ended: it is reaped now, sweep or not. */
void reap_workload(struct reap *r);

/* A sweep is needed (the policy waits to hear whether children are left). */
void reap_request_sweep(struct reap *r);

/* Sweeps if one is due at *now: reaps until nothing is left, updates *now,
 * and returns true with *children_left set. */
bool reap_sweep_if_due(struct reap *r, uint64_t *now, bool *children_left);

/* Before blocking: SIGCHLD is watched unless a sweep waits, and then the
 * deadline of that sweep is returned (0: none). One reading of the clock
 * must decide both: with a later one, the wait could have ended between,
 * and reaper would block with a sweep needed, SIGCHLD unwatched and no
 * timer, deaf to every child that ends. */
uint64_t reap_prepare(struct reap *r, uint64_t now);

/* The descriptor to poll besides the signalfd and the timer: the
 * workload's pidfd while SIGCHLD is set aside, else -1. */
int reap_poll_fd(const struct reap *r);

#endif
