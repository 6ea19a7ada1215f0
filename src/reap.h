/* Turns SIGCHLDs into reaped children, the loop's hottest path, and
 * returns them to the loop as a batch: reap never calls back up.
 *
 * Each SIGCHLD's own child is reaped by its pid; a sweep of waitpid(-1)
 * finds those whose SIGCHLD merged into another's, spaced as sweep.h
 * says. While a sweep waits, SIGCHLD leaves the signalfd and stays
 * pending, and the workload's end is heard through its pidfd instead.
 *
 * What the loop must keep to: before each wait it calls reap_before_wait,
 * and waits on what that names, until the earlier of its answer and the
 * policy's deadline. A needed sweep always names its moment, passed or
 * not: a sweep that fell due between the last reaping and the wait then
 * wakes the loop at once, where "nothing to wait for" would have left
 * reaper blocked, deaf to the children that ended. */
#ifndef REAPER_REAP_H
#define REAPER_REAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sweep.h"

/* One child that ended or stopped, and when it was reaped. */
struct reaped {
	pid_t pid;
	int wstatus;
	uint64_t at;
};

#define REAP_BATCH 64

struct reap_batch {
	size_t n;
	struct reaped list[REAP_BATCH];
	bool swept;          /* a sweep ended: nothing more to reap now */
	bool children_left;  /* if swept: whether any child is alive */
};

struct reap {
	int sfd;             /* the loop's signalfd, whose mask this sets */
	bool chld_watched;   /* whether sfd reports SIGCHLD */
	bool sweeping;       /* a sweep filled a batch and goes on */
	struct sweep sweep;
	size_t named;        /* pids a SIGCHLD named, to reap by pid */
	pid_t names[64];
};

void reap_init(struct reap *r, int sfd);

/* A SIGCHLD read from the signalfd, from pid (0 when the sender was in an
 * ancestor namespace: no child of reaper's); or the workload's pidfd
 * turned readable, for its pid. */
void reap_note(struct reap *r, pid_t pid);

/* A sweep is needed: the policy waits to hear whether children are left. */
void reap_request_sweep(struct reap *r);

/* Reaps what is due into b: the noted pids, then, when one is due, a
 * sweep. False when nothing was due. *now is the clock after it. */
bool reap_collect(struct reap *r, uint64_t *now, struct reap_batch *b);

/* Before the loop waits: SIGCHLD stays on the signalfd unless a sweep is
 * needed. Returns when reaping must wake (DEADLINE_NEVER: it need not)
 * and, in *fd, the descriptor to wait on besides the signalfd (the
 * workload's pidfd while SIGCHLD is set aside), or -1. */
uint64_t reap_before_wait(struct reap *r, int workload_fd, int *fd);

#endif
