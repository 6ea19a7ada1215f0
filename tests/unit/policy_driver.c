#include "policy_driver.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "policy.h"

#define W 100
#define MS(t) ((uint64_t)(t) * 1000)

struct input {
	const uint8_t *data;
	size_t n, at;
};

static unsigned next(struct input *in, unsigned range)
{
	return in->at < in->n ? in->data[in->at++] % range : 0;
}

static void configure(struct config *cfg, struct input *in)
{
	static const uint64_t durations[] = {0, MS(1), MS(1000), MS(5000),
					     UINT64_MAX - 10};

	*cfg = (struct config){
		.cleanup = next(in, 4) != 0,
		.pause = next(in, 5) == 0,
		.setsid = next(in, 4) == 0,
		.grace_us = durations[next(in, 5)],
		.timeout_us = durations[next(in, 5)],
		.timeout_signal = next(in, 2) ? SIGTERM : SIGINT,
		.restart = (enum restart_mode)next(in, 3),
		.max_restarts = next(in, 2) ? ULONG_MAX : next(in, 4),
		.backoff_min_us = MS(100),
		.backoff_max_us = MS(100) << next(in, 8),
		.warn_on_reap = true,
	};
	for (int sig = 1; sig < CONFIG_NSIG; sig++)
		cfg->rewrite[sig] = (uint8_t)sig;
}

struct run {
	const struct config *cfg;
	struct policy p;
	struct actions acts;
	uint64_t now, armed;
	bool done, running;
	char why[160];
};

/* What the loop does with the actions, as far as the policy can tell. */
static bool take(struct run *r)
{
	for (size_t i = 0; i < r->acts.n; i++) {
		const struct action *a = &r->acts.list[i];
		if (a->kind == ACT_ARM_TIMER)
			r->armed = a->at;
		if (a->kind == ACT_EXIT)
			r->done = true;
		if (a->kind == ACT_SPAWN)
			r->running = true;
		if (a->kind == ACT_SIGNAL_TREE && a->target == 0 && !r->cfg->pause)
			return false;
	}
	return true;
}

static bool broken(struct run *r, const char *rule, unsigned step)
{
	snprintf(r->why, sizeof r->why, "step %u at %llu us: %s (deadline %llu)",
		 step, (unsigned long long)r->now, rule,
		 (unsigned long long)policy_next_deadline(&r->p));
	return true;
}

static void event(struct run *r, struct input *in)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCONT,
				   SIGPIPE};
	unsigned kind = next(in, 8);

	if (kind == 0)
		policy_on_signal(&r->p, sigs[next(in, 6)], next(in, 4) == 0,
				 r->now, &r->acts);
	else if (kind == 1 && r->running && !r->cfg->pause)
		policy_on_reaped(&r->p, W, next(in, 2) ? (3 << 8) : SIGKILL,
				 r->now, &r->acts);
	else if (kind == 2)
		policy_on_reaped(&r->p, 555, 0, r->now, &r->acts);
	else if (kind == 3)
		policy_on_drained(&r->p, next(in, 2), r->now, &r->acts);
	else if (kind == 4)
		policy_on_stopped(&r->p, W, SIGTSTP, next(in, 2), r->now, &r->acts);
	else if (kind == 5)
		policy_on_others(&r->p, next(in, 2), r->now, &r->acts);
	else
		policy_on_timer(&r->p, r->now, &r->acts);
	if (kind == 1 && !r->cfg->pause)
		r->running = false;
}

/* Time goes on by a little, or to the deadline itself, or past it. */
static void advance(struct run *r, struct input *in)
{
	uint64_t d = policy_next_deadline(&r->p);
	unsigned how = next(in, 4);

	if (how == 0 && d != 0 && d != UINT64_MAX)
		r->now = d;
	else if (how == 1 && d != 0 && d < UINT64_MAX - MS(7))
		r->now = d + MS(next(in, 8));
	else
		r->now += MS(next(in, 250)) * 10;
}

static bool step(struct run *r, struct input *in, unsigned i)
{
	uint64_t before = policy_next_deadline(&r->p), after;
	bool timer_due, was_running = r->running;

	advance(r, in);
	timer_due = before != 0 && r->now >= before;
	if (timer_due)
		policy_on_timer(&r->p, r->now, &r->acts);
	else
		event(r, in);
	if (!take(r))
		return broken(r, "signals the tree with no group to fall back on", i);
	if (r->running && !was_running && !r->done) {
		policy_started(&r->p, W, r->now, &r->acts);
		(void)take(r);
	}
	after = policy_next_deadline(&r->p);
	if (after != 0 && after <= r->now)
		return broken(r, "the next deadline has already passed", i);
	if (after != r->armed)
		return broken(r, "the timer was not told of the deadline", i);
	if (timer_due && after == before)
		return broken(r, "a timer at the deadline changed nothing", i);
	return false;
}

const char *policy_drive(const uint8_t *data, size_t n)
{
	static struct run r;
	struct input in = {data, n, 0};
	struct config cfg;

	configure(&cfg, &in);
	r = (struct run){.cfg = &cfg, .now = MS(1000)};
	policy_init(&r.p, &cfg, next(&in, 2) == 0);
	policy_started(&r.p, cfg.pause ? 0 : W, r.now, &r.acts);
	r.running = !cfg.pause;
	if (!take(&r))
		return "signals the tree at start";
	for (unsigned i = 0; in.at < in.n && !r.done; i++)
		if (step(&r, &in, i))
			return r.why;
	return NULL;
}
