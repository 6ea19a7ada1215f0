/* reaper's one unit of time: microseconds on the monotonic clock. A
 * deadline of 0 is none; DEADLINE_NEVER is the end of time, which a
 * huge duration reaches rather than wrapping round to "at once". */
#ifndef REAPER_CLOCK_H
#define REAPER_CLOCK_H

#include <stdint.h>

#define DEADLINE_NEVER UINT64_MAX

/* Now. The only function here that asks the kernel. */
uint64_t clock_now(void);

/* now + us, held at DEADLINE_NEVER. */
uint64_t deadline_after(uint64_t now, uint64_t us);

/* The earlier of two deadlines, where 0 is none. */
uint64_t deadline_earliest(uint64_t a, uint64_t b);

#endif
