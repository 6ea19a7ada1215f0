#include "policy_driver.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "clock.h"
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
					     DEADLINE_NEVER - 10};

	config_defaults(cfg);
	cfg->cleanup = next(in, 4) != 0;
	cfg->pause = next(in, 5) == 0;
	cfg->setsid = next(in, 4) == 0;
	cfg->grace_us = durations[next(in, 5)];
	cfg->timeout_us = durations[next(in, 5)];
	cfg->timeout_signal = next(in, 2) ? SIGTERM : SIGINT;
	cfg->restart = (enum restart_mode)next(in, 3);
	cfg->max_restarts = next(in, 2) ? ULONG_MAX : next(in, 4);
	cfg->backoff_max_us = MS(100) << next(in, 8);
	cfg->warn_on_reap = true;
}

struct run {
	const struct config *cfg;
	struct policy p;
	struct actions acts;
	uint64_t now;
	bool done, running, spawning;
	char why[160];
};

/* What the loop does with the actions, as far as the policy can tell:
 * false when it is asked to start a workload while one runs. */
static bool take(struct run *r)
{
	for (size_t i = 0; i < r->acts.n; i++) {
		const struct action *a = &r->acts.list[i];
		if (a->kind == ACT_EXIT)
			r->done = true;
		if (a->kind == ACT_SPAWN && r->running)
			return false;
		if (a->kind == ACT_SPAWN)
			r->spawning = true;
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
		policy_on_reaped(&r->p, W, true, next(in, 2) ? (3 << 8) : SIGKILL,
				 r->now, &r->acts);
	else if (kind == 2)
		policy_on_reaped(&r->p, 555, false, 0, r->now, &r->acts);
	else if (kind == 3)
		policy_on_swept(&r->p, next(in, 2) || r->running, r->now, &r->acts);
	else if (kind == 4 && r->running)
		policy_on_stopped(&r->p, SIGTSTP, next(in, 2), r->now, &r->acts);
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

	if (how == 0 && d != DEADLINE_NEVER)
		r->now = d;
	else if (how == 1 && d < DEADLINE_NEVER - MS(7))
		r->now = d + MS(next(in, 8));
	else
		r->now += MS(next(in, 250)) * 10;
}

static bool step(struct run *r, struct input *in, unsigned i)
{
	uint64_t before = policy_next_deadline(&r->p), after;
	bool timer_due;

	advance(r, in);
	timer_due = r->now >= before;
	if (timer_due)
		policy_on_timer(&r->p, r->now, &r->acts);
	else
		event(r, in);
	if (!take(r))
		return broken(r, "a start while the workload runs", i);
	if (r->spawning && !r->done) {
		r->spawning = false;
		r->running = next(in, 8) != 0;
		if (r->running)
			policy_started(&r->p, r->now, &r->acts);
		else
			policy_on_start_failed(&r->p, 125, r->now, &r->acts);
		if (!take(r))
			return broken(r, "a start while the workload runs", i);
	}
	after = policy_next_deadline(&r->p);
	if (after <= r->now)
		return broken(r, "the next deadline has already passed", i);
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
	policy_started(&r.p, r.now, &r.acts);
	r.running = !cfg.pause;
	if (!take(&r))
		return "signals the tree at start";
	for (unsigned i = 0; in.at < in.n && !r.done; i++)
		if (step(&r, &in, i))
			return r.why;
	return NULL;
}
