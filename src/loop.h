/* The supervisor loop: owns reaper's signals and descriptors, turns what
 * the kernel reports into policy events, and carries out the actions. */
#ifndef REAPER_LOOP_H
#define REAPER_LOOP_H

#include <signal.h>
#include <stdbool.h>

#include "policy.h"

struct loop {
	int sfd;                /* signalfd for every signal reaper handles */
	sigset_t inherited_mask; /* what the workload gets back */
	bool chld_ignored;      /* SIGCHLD was inherited ignored */
};

/* Blocks every signal but the faults and opens the signalfd. From here on
 * no signal is lost: each waits in the kernel until the loop reads it. */
bool loop_open(struct loop *l);

/* Lets go of what reaper inherited and no longer needs: its working
 * directory and every descriptor but stderr (and a terminal on stdin,
 * which job control needs). */
void loop_release_inherited(struct loop *l);

/* Runs until policy says to exit; returns the exit code. */
int loop_run(struct loop *l, struct policy *p);

#endif
