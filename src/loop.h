/* The supervisor loop: owns reaper's signals, timer and descriptors, turns
 * what the kernel reports into policy events, and carries out the
 * actions. */
#ifndef REAPER_LOOP_H
#define REAPER_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy.h"
#include "signals.h"
#include "sweep.h"
#include "spawn.h"

struct loop {
	int sfd;                /* signalfd for every signal reaper handles */
	int tfd;                /* timerfd for deadlines: the policy's, a sweep's */
	uint64_t timer_at;      /* what tfd is set to, in µs; 0: not set */
	struct sweep sweep;     /* when to sweep for merged SIGCHLDs */
	bool chld_watched;      /* whether sfd reports SIGCHLD */
	int pidfd;              /* the running workload's, or -1 */
	pid_t pidfd_pid;        /* whose pidfd is */
	kernel_sigset inherited_mask; /* what the workload gets back */
	struct spawn_request req; /* how to start the workload, each time */
	struct policy *policy;
	uint64_t started_at;
	unsigned long terminated, killed; /* descendants signalled at the end */
};

/* Blocks every signal but the faults and opens the signalfd and timerfd.
 * From here on no signal is lost: each waits in the kernel until the loop
 * reads it. Completes l->req with what the workload must get back. */
bool loop_open(struct loop *l, struct policy *p);

/* Starts the workload; returns -1 when it runs, with its pid in *pid, or
 * reaper's exit code when it could not be started (the reason is
 * logged). */
int loop_start(struct loop *l, pid_t *pid);

/* Lets go of what reaper inherited and no longer needs: its working
 * directory and every descriptor but stderr (and a terminal on stdin,
 * which job control needs). */
void loop_release_inherited(struct loop *l);

/* Runs until policy says to exit; returns the exit code. workload is the
 * pid loop_start gave, or 0 in pause mode. */
int loop_run(struct loop *l, pid_t workload);

#endif
