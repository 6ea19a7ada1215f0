#include "sweep.h"

void sweep_owe(struct sweep *s)
{
	s->owed = true;
}

bool sweep_due(const struct sweep *s, uint64_t now)
{
	return s->owed && now >= s->next;
}

uint64_t sweep_deadline(const struct sweep *s, uint64_t now)
{
	return s->owed && now < s->next ? s->next : 0;
}

void sweep_done(struct sweep *s, uint64_t walk_us, uint64_t now)
{
	uint64_t wait = walk_us * SWEEP_SHARE;

	s->owed = false;
	if (wait < SWEEP_MIN_WAIT_US)
		wait = SWEEP_MIN_WAIT_US;
	if (wait > SWEEP_MAX_WAIT_US)
		wait = SWEEP_MAX_WAIT_US;
	s->next = now + wait;
}
