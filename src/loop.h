/* The supervisor loop: waits on one signalfd and one timerfd, hands each
 * event to the policy and carries out the actions it returns. Exit is its
 * state: once an action says so, the loop finishes the stage it is in
 * and returns. */
#ifndef REAPER_LOOP_H
#define REAPER_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"
#include "reap.h"
#include "spawn.h"
#include "tree.h"

struct loop {
	int sfd;                 /* signalfd for every signal reaper handles */
	int tfd;                 /* timerfd: the policy's deadline, a sweep's */
	uint64_t timer_at;       /* what tfd is set to; 0: not set */
	uint64_t policy_at;      /* the deadline the policy last named */
	pid_t self;
	struct reap reap;
	struct tree tree;
	struct tree_group group; /* the last workload's process group */
	struct spawn_request req; /* how to start the workload, each time */
	struct policy *policy;
	int injected;            /* a signal to act on at once, as if sent */
	uint64_t started_at;
	unsigned long terminated, killed; /* descendants signalled at the end */
	bool exiting;
	int code;                /* the exit code, once exiting */
};

/* Opens the signalfd and the timerfd; every signal is already blocked
 * (main's first act), so none is lost: each waits in the kernel until
 * the loop reads it. */
bool loop_open(struct loop *l, struct policy *p);

/* Starts the workload; false when it could not be started, with the
 * reason logged and the exit code in l->code. */
bool loop_start(struct loop *l);

/* Lets go of the working directory and every inherited descriptor
 * reaper does not need (fds.h). */
void loop_release_inherited(struct loop *l);

/* Runs until the policy says to exit; returns the exit code. */
int loop_run(struct loop *l);

#endif
