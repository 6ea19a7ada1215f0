#include "sweep.h"

#include "clock.h"

void sweep_request(struct sweep *s)
{
	s->pending = true;
}

bool sweep_due(const struct sweep *s, uint64_t now)
{
	return s->pending && now >= s->not_before;
}

uint64_t sweep_deadline(const struct sweep *s)
{
	return s->pending ? s->not_before : DEADLINE_NEVER;
}

void sweep_done(struct sweep *s, uint64_t walk_us, uint64_t now)
{
	uint64_t wait = walk_us * SWEEP_SHARE;

	s->pending = false;
	if (wait < SWEEP_MIN_WAIT_US)
		wait = SWEEP_MIN_WAIT_US;
	if (wait > SWEEP_MAX_WAIT_US)
		wait = SWEEP_MAX_WAIT_US;
	s->not_before = now + wait;
}
