/* The supervisor loop. It owns the signalfd, the timerfd and the one
 * workload; it waits, turns what woke it into events, hands each event
 * to the policy, and carries out the actions the policy returns from one
 * flat queue. Every event takes the same path: source -> loop -> policy
 * -> loop -> kernel. Exit is its state: once an action says so, the loop
 * finishes the queue and returns. */
#ifndef REAPER_LOOP_H
#define REAPER_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "cleanup.h"
#include "policy.h"
#include "reap.h"
#include "report.h"
#include "spawn.h"

/* Actions waiting to be carried out: one event's, and those of the
 * events its actions give rise to (a start, a count of the others). */
struct action_queue {
	size_t head, n;
	struct action list[2 * POLICY_MAX_ACTIONS];
};

struct loop {
	int sfd;                  /* signalfd for every signal reaper handles */
	int tfd;                  /* timerfd: the policy's deadline, a sweep's */
	uint64_t timer_at;        /* what tfd is set to, or DEADLINE_NEVER */
	pid_t self;
	struct workload workload;
	struct spawn_request req; /* how to start the workload, each time */
	struct policy *policy;
	struct reap reap;
	struct cleanup cleanup;
	struct action_queue queue;
	struct summary summary;
	bool reaping;             /* children are being reaped: a start waits */
	bool start_waits;         /* for the last batch to be handed over */
	int parent_gone_signal;   /* -p: the parent died before the kernel
				   * could be asked to say so; acted on at
				   * once, as if sent */
	bool exiting;
	int code;                 /* the exit code, once exiting */
};

/* Opens the signalfd and the timerfd; every signal is already blocked
 * (main's first act), so none is lost: each waits in the kernel until
 * the loop reads it. */
bool loop_open(struct loop *l, struct policy *p);

/* Starts the workload the first time; false when it could not be
 * started, with the reason logged and the exit code in l->code. */
bool loop_start(struct loop *l);

/* Lets go of every inherited descriptor reaper does not need (fds.h). */
void loop_release_inherited(struct loop *l);

/* Runs until the policy says to exit; returns the exit code. */
int loop_run(struct loop *l);

#endif
