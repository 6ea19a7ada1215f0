/* reaper's one unit of time: microseconds on the monotonic clock. A
 * deadline is a moment on that clock; DEADLINE_NEVER, the end of time,
 * is the one way to say "none", and what a huge duration reaches rather
 * than wrapping round to "at once". */
#ifndef REAPER_CLOCK_H
#define REAPER_CLOCK_H

#include <stdint.h>

#define DEADLINE_NEVER UINT64_MAX

/* Now. The only function here that asks the kernel. */
uint64_t clock_now(void);

/* now + us, held at DEADLINE_NEVER. */
uint64_t deadline_after(uint64_t now, uint64_t us);

/* The earlier of two deadlines. */
uint64_t deadline_earliest(uint64_t a, uint64_t b);

#endif
