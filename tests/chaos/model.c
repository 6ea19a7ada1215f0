#include "model.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* Time for one run to build its tree, beyond what the bound names. */
#define BUILD_US 3000000

static uint64_t later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

int model_forwarded(const struct scenario *s, int sig)
{
	if (s->family == FAMILY_PAUSE)
		return 0;
	for (int i = 0; i < s->nrewrites; i++)
		if (s->rewrite[i][0] == sig)
			return s->rewrite[i][1];
	return sig;
}

uint64_t model_effective(const struct facts *f, uint64_t at)
{
	uint64_t stopped = 0;

	for (size_t i = 0; i < f->nsent; i++) {
		const struct sent *e = &f->sent[i];
		if (e->kind == EV_STOP && e->at <= at)
			stopped = e->at;
		if (e->kind == EV_CONT && stopped != 0 && e->at > at)
			return e->at;
		if (e->kind == EV_CONT)
			stopped = 0;
	}
	return at;
}

uint64_t model_stopped(const struct facts *f)
{
	uint64_t total = 0, since = 0;

	for (size_t i = 0; i < f->nsent; i++) {
		const struct sent *e = &f->sent[i];
		if (e->kind == EV_STOP && since == 0)
			since = e->at;
		if (e->kind == EV_CONT && since != 0) {
			total += e->at - since;
			since = 0;
		}
	}
	return total;
}

uint64_t model_timeout_at(const struct scenario *s, const struct facts *f)
{
	return s->timeout_ms > 0 ? f->started + (uint64_t)s->timeout_ms * 1000u : 0;
}

uint64_t model_deadline(const struct scenario *s, const struct facts *f)
{
	uint64_t grace = (uint64_t)s->grace_ms * 1000u, stopped = model_stopped(f);
	uint64_t anchor = later(f->ready, f->started), timeout = model_timeout_at(s, f);

	for (size_t i = 0; i < f->nsent; i++)
		anchor = later(anchor, f->sent[i].at);
	if (f->ready == 0)
		anchor += BUILD_US;
	if (s->family == FAMILY_RESTART && s->max_restarts > 0) {
		uint64_t backoff = (uint64_t)s->backoff_ms * 1000u;
		for (int i = 0; i < s->max_restarts; i++, backoff *= 2)
			anchor += backoff + grace + MODEL_KILL_PHASE_US + BUILD_US;
	}
	if (timeout != 0 && timeout + stopped < anchor)
		anchor = timeout + stopped;
	return anchor + grace + MODEL_KILL_PHASE_US + stopped + MODEL_SLACK_US;
}

/* When the first TERM or INT reached reaper's loop, or 0. */
static uint64_t told_to_stop(const struct facts *f)
{
	for (size_t i = 0; i < f->nsent; i++)
		if (f->sent[i].kind == EV_SIGNAL &&
		    (f->sent[i].sig == SIGTERM || f->sent[i].sig == SIGINT))
			return model_effective(f, f->sent[i].at);
	return 0;
}

bool model_look_deadline(const struct scenario *s, const struct facts *f,
			 uint64_t *at)
{
	struct node nodes[64];
	uint64_t stop = told_to_stop(f), timeout = model_timeout_at(s, f), last;
	size_t n;

	if (s->family != FAMILY_PAUSE || !s->pid1 || s->no_cleanup ||
	    s->grace_ms == 0 || s->hide_proc || stop == 0 ||
	    (timeout != 0 && timeout < stop + MODEL_WINDOW_US))
		return false;
	n = records_nodes(f->records, "j", true, nodes, 64);
	if (n == 64)
		return false;
	last = stop;
	for (size_t i = 0; i < n; i++) {
		if (nodes[i].end == 0)
			return false; /* killed at the grace, or still there */
		last = later(last, nodes[i].ended);
	}
	if (last + MODEL_LOOK_SLACK_US > stop + (uint64_t)s->grace_ms * 1000u)
		return false; /* too near the grace to tell the two apart */
	*at = last + MODEL_LOOK_US + MODEL_LOOK_SLACK_US + model_stopped(f);
	return true;
}

/* The set of exit statuses allowed, a bit for each. */
struct codes {
	uint64_t bits[4];
};

static void allow(struct codes *c, const struct scenario *s, int code)
{
	if (s->remap == code)
		code = 0;
	if (code >= 0 && code < 256)
		c->bits[code / 64] |= 1ULL << (code % 64);
}

static bool allowed(const struct codes *c, int code)
{
	return code >= 0 && code < 256 && (c->bits[code / 64] >> (code % 64) & 1);
}

static bool kills_by_default(int sig)
{
	return sig != SIGCHLD && sig != SIGCONT && sig != SIGURG &&
	       sig != SIGWINCH && sig != SIGSTOP && sig != SIGTSTP &&
	       sig != SIGTTIN && sig != SIGTTOU;
}

/* A run with no D or X line was killed by SIGKILL, or, in the instant
 * between its exec and its first act, by a signal forwarded to it. */
static void unrecorded_end(struct codes *c, const struct scenario *s,
			   const struct facts *f)
{
	allow(c, s, 128 + SIGKILL);
	for (size_t i = 0; i < f->nsent; i++) {
		int y = model_forwarded(s, f->sent[i].sig);
		if (f->sent[i].kind == EV_SIGNAL && y != 0 && kills_by_default(y))
			allow(c, s, 128 + y);
	}
}

uint64_t model_run_end(const struct facts *f, const struct node *run)
{
	if (run->end != 0)
		return run->ended;
	for (size_t i = 0; i < f->nsent; i++)
		if (f->sent[i].kind == EV_KILL && f->sent[i].at >= run->started)
			return f->sent[i].at;
	return f->ended;
}

/* What the last run ended with; returns when, or 0 if none ran. */
static uint64_t last_run(struct codes *c, const struct scenario *s,
			 const struct facts *f)
{
	struct node runs[64];
	size_t n = records_nodes(f->records, "r", false, runs, 64);
	const struct node *last;

	if (n == 0)
		return 0;
	last = &runs[n - 1];
	if (last->end == 'X')
		allow(c, s, (int)last->end_arg);
	else if (last->end == 'D')
		allow(c, s, 128 + (int)last->end_arg);
	else
		unrecorded_end(c, s, f);
	/* Between its last line and its end, SIGKILL may still come first,
	 * and, where its exit takes them, a forwarded signal. */
	for (size_t i = 0; i < f->nsent; i++) {
		int y = model_forwarded(s, f->sent[i].sig);
		if (f->sent[i].at < last->started)
			continue;
		if (f->sent[i].kind == EV_KILL)
			allow(c, s, 128 + SIGKILL);
		if (f->sent[i].kind == EV_SIGNAL && f->open_exit && y != 0 &&
		    kills_by_default(y))
			allow(c, s, 128 + y);
	}
	return model_run_end(f, last);
}

/* A forwarded signal a run dies of ends the restarts there, whichever
 * run it reached: one just started may die of it before it says
 * anything. */
static void restarts_stopped_by_signals(struct codes *c,
					const struct scenario *s,
					const struct facts *f)
{
	if (s->restart == RESTART_NO)
		return;
	for (size_t i = 0; i < f->nsent; i++) {
		int y = model_forwarded(s, f->sent[i].sig);
		if (f->sent[i].kind == EV_SIGNAL && y != 0 && kills_by_default(y))
			allow(c, s, 128 + y);
	}
}

static void pause_codes(struct codes *c, const struct scenario *s,
			const struct facts *f, uint64_t window)
{
	uint64_t stop = told_to_stop(f), timeout = model_timeout_at(s, f);

	if (timeout == 0 || (stop != 0 && stop <= timeout + window))
		allow(c, s, 0);
	if (timeout != 0 && f->ended >= timeout &&
	    (stop == 0 || stop + window >= timeout))
		allow(c, s, 124);
}

static void describe(const struct codes *c, int code, char *why, size_t len)
{
	size_t at = (size_t)snprintf(why, len, "exit %d, expected one of {", code);

	for (int i = 0; i < 256 && at < len; i++)
		if (allowed(c, i))
			at += (size_t)snprintf(why + at, len - at, "%s%d",
					       why[at - 1] == '{' ? "" : ", ", i);
	if (at < len)
		snprintf(why + at, len - at, "}");
}

bool model_exit_ok(const struct scenario *s, const struct facts *f,
		   char *why, size_t len)
{
	uint64_t window = MODEL_WINDOW_US + model_stopped(f);
	uint64_t timeout = model_timeout_at(s, f);
	struct codes c = {{0}};

	if (s->family == FAMILY_PAUSE) {
		pause_codes(&c, s, f, window);
	} else {
		uint64_t end = last_run(&c, s, f);
		if (timeout != 0 && (end == 0 || end > timeout + window))
			c = (struct codes){{0}};
		/* Under a descriptor limit it cannot start a run in (its
		 * signalfd, timer and log, the caller's directory, the start's
		 * pipe, besides what it inherited), a start fails, and reaper,
		 * out of restarts, exits 125. */
		if (s->nofile > 0)
			c.bits[125 / 64] |= 1ULL << (125 % 64);
		restarts_stopped_by_signals(&c, s, f);
		if (timeout != 0 && f->ended >= timeout &&
		    (end == 0 || end + window >= timeout || s->restart != RESTART_NO))
			c.bits[124 / 64] |= 1ULL << (124 % 64);
	}
	if (allowed(&c, f->code))
		return true;
	describe(&c, f->code, why, len);
	return false;
}
