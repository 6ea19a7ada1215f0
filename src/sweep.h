/* When to sweep for the children whose SIGCHLD was merged into another's.
 *
 * A SIGCHLD that arrives while another is pending is lost, so after the
 * children the signalfd names are reaped by pid, a sweep of waitpid(-1)
 * must find the rest. But every waitpid(-1) walks the whole list of
 * children: with thousands alive and ending one at a time, a sweep after
 * each SIGCHLD costs in proportion to their number for every one that
 * ends, which is quadratic. So a sweep that took long holds off the next
 * until walking has taken at most 1/SWEEP_SHARE of the time; cheap sweeps,
 * the usual case, never wait. Pure: the loop gives it the clock. Times are
 * microseconds on a monotonic clock. */
#ifndef REAPER_SWEEP_H
#define REAPER_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

/* A last walk shorter than this (a few hundred children) holds nothing
 * off. */
#define SWEEP_CHEAP_US 20
/* At most this share of the time goes to walking, once walks are long. */
#define SWEEP_SHARE 50
/* However long the last walk (a preempted one looks long), a lost SIGCHLD
 * waits no longer than this. */
#define SWEEP_MAX_WAIT_US 50000

struct sweep {
	bool owed;     /* something may be left to reap since the last */
	uint64_t next; /* no sweep before this */
};

/* A SIGCHLD came, or the policy waits to hear whether children are left. */
void sweep_owe(struct sweep *s);

/* Whether to sweep now. */
bool sweep_due(const struct sweep *s, uint64_t now);

/* When an owed sweep is held off until, for the timer; 0: none. */
uint64_t sweep_deadline(const struct sweep *s, uint64_t now);

/* A sweep ended at now; its last call, the one that found nothing more,
 * took walk_us: a walk over every child still alive. */
void sweep_done(struct sweep *s, uint64_t walk_us, uint64_t now);

#endif
