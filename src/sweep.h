/* When to sweep for the children whose SIGCHLD was merged into another's.
 *
 * A SIGCHLD that arrives while another is pending is lost, so after the
 * children the signalfd names are reaped by pid, a sweep of waitpid(-1)
 * must find the rest. Sweeps are spaced: the next waits SWEEP_SHARE times
 * as long as the last sweep's walk, within the bounds below. While one
 * waits, the loop sets SIGCHLD aside, so that the children ending
 * meanwhile cost no wake-up each: the sweep reaps them together.
 *
 * - The floor: in an orphan storm, waking up for each orphan costs more
 *   than reaping it. Spaced sweeps reap them in batches, 200 times a
 *   second at most however fast they come, while the first child to end
 *   after a quiet spell is reaped at once.
 * - The share: every waitpid(-1) walks the whole list of children. With
 *   thousands alive and ending one at a time, a sweep after each SIGCHLD
 *   would cost time quadratic in their number.
 * - The ceiling: a walk that was preempted looks long; however long, no
 *   merged SIGCHLD waits longer than this.
 *
 * Pure: the loop gives it the clock. Times are microseconds on a
 * monotonic clock. */
#ifndef REAPER_SWEEP_H
#define REAPER_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#define SWEEP_MIN_WAIT_US 5000
#define SWEEP_SHARE 50
#define SWEEP_MAX_WAIT_US 50000

struct sweep {
	bool pending;  /* something may be left to reap since the last */
	uint64_t not_before; /* no sweep until then */
};

/* A sweep is needed: a SIGCHLD came, or the policy waits to hear
 * whether children are left. */
void sweep_request(struct sweep *s);

/* Whether to sweep now. */
bool sweep_due(const struct sweep *s, uint64_t now);

/* When a needed sweep is due, for the timer: a moment that may have
 * passed already, since the loop reads the clock again before it waits,
 * and a due sweep must wake it at once rather than be forgotten;
 * DEADLINE_NEVER when none is needed. */
uint64_t sweep_deadline(const struct sweep *s);

/* A sweep ended at now; its last call, the one that found nothing more,
 * took walk_us: a walk over every child still alive. */
void sweep_done(struct sweep *s, uint64_t walk_us, uint64_t now);

#endif
