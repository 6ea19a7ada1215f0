#include "clock.h"

#include <time.h>

uint64_t clock_now(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t deadline_after(uint64_t now, uint64_t us)
{
	return us > DEADLINE_NEVER - now ? DEADLINE_NEVER : now + us;
}

uint64_t deadline_earliest(uint64_t a, uint64_t b)
{
	return b < a ? b : a;
}
