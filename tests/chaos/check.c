#include "check.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A forwarded signal is owed to the workload once it has lived this long
 * after reaper could read it: sooner, its end may have come first. */
#define FORWARD_WINDOW_US 1000000
/* Lines of one kind of failure, before the rest is counted. */
#define MAX_LINES 3

static void fail(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	int n;

	v->failures++;
	if (v->len + 2 >= sizeof v->text)
		return;
	v->text[v->len++] = ' ';
	v->text[v->len++] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(v->text + v->len, sizeof v->text - v->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		v->len += (size_t)n;
	if (v->len + 1 < sizeof v->text)
		v->text[v->len++] = '\n';
	if (v->len >= sizeof v->text)
		v->len = sizeof v->text - 1;
	v->text[v->len] = '\0';
}

/* Milliseconds since reaper was started, for the reports. */
static long ms(const struct facts *f, uint64_t at)
{
	return at >= f->started ? (long)((at - f->started) / 1000) : 0;
}

/* The workload's runs, one node each; the caller frees. */
static struct node *runs_of(const struct facts *f, size_t *n)
{
	size_t max = f->records->n + 1;
	struct node *v = malloc(max * sizeof *v);

	*n = v != NULL ? records_nodes(f->records, "r", false, v, max) : 0;
	return v;
}

static const struct node *run_at(const struct node *runs, size_t n,
				 uint64_t at)
{
	const struct node *found = NULL;

	for (size_t i = 0; i < n; i++)
		if (runs[i].started <= at)
			found = &runs[i];
	return found;
}

static bool only_forwarding_sends(const struct scenario *s, int sig)
{
	return sig != SIGTERM && sig != SIGINT && sig != SIGHUP && sig != SIGQUIT &&
	       sig != SIGCONT && sig != s->timeout_sig;
}

/* How many of sig the runs were sent, in all, through reaper. */
static int sent_as(const struct scenario *s, const struct facts *f, int y,
		   uint64_t from, uint64_t to)
{
	int n = 0;

	for (size_t i = 0; i < f->nsent; i++)
		if (f->sent[i].kind == EV_SIGNAL && f->sent[i].at >= from &&
		    f->sent[i].at <= to && model_forwarded(s, f->sent[i].sig) == y)
			n += f->sent[i].count;
	return n;
}

static void check_one_forward(const struct scenario *s, const struct facts *f,
			      const struct sent *e, const struct node *run,
			      struct verdict *v)
{
	int y = model_forwarded(s, e->sig);
	bool queued = y >= SIGRTMIN;
	uint64_t from = queued ? run->started : e->at;
	int need = queued ? sent_as(s, f, y, run->started, e->at) : 1;
	int got = records_count(f->records, run, y, from);

	if (got < need) {
		char a[16], b[16];
		fail(v, "forwarding: %s x%d sent to reaper at %ldms (for the workload: "
		     "%s) reached it %d of %d times, though it lived %ldms longer",
		     scenario_signame(e->sig, a, sizeof a), e->count, ms(f, e->at),
		     scenario_signame(y, b, sizeof b), got, need,
		     (long)((model_run_end(f, run) - model_effective(f, e->at)) / 1000));
	}
}

static void check_forwarding(const struct scenario *s, const struct facts *f,
			     struct verdict *v)
{
	size_t n;
	struct node *runs = runs_of(f, &n);

	for (size_t i = 0; runs != NULL && i < f->nsent; i++) {
		const struct sent *e = &f->sent[i];
		const struct node *run = run_at(runs, n, e->at);
		int y = model_forwarded(s, e->sig);
		if (e->kind != EV_SIGNAL || y == 0 || run == NULL ||
		    model_run_end(f, run) < model_effective(f, e->at) + FORWARD_WINDOW_US)
			continue;
		check_one_forward(s, f, e, run, v);
	}
	for (size_t i = 0; runs != NULL && i < n; i++)
		for (int y = 1; y <= 64; y++) {
			int got, most;
			if (!only_forwarding_sends(s, y))
				continue;
			got = records_count(f->records, &runs[i], y, 0);
			most = sent_as(s, f, y, 0, UINT64_MAX);
			if (got > most) {
				char name[16];
				fail(v, "forwarding: the workload received %s %d times, "
				     "but only %d were sent",
				     scenario_signame(y, name, sizeof name), got, most);
			}
		}
	free(runs);
}

static bool is_survivor(const struct observed *o, int pid)
{
	for (size_t i = 0; i < o->nsurvivors; i++)
		if (o->survivors[i].pid == pid)
			return true;
	return false;
}

static uint64_t graceful_mask(const struct scenario *s)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	uint64_t m = 1ULL << (s->timeout_sig - 1);

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		m |= 1ULL << (sigs[i] - 1);
	return m;
}

/* When the cleanup after run began: the run's end, or the timeout. */
static uint64_t cleanup_began(const struct scenario *s, const struct facts *f,
			      const struct node *run)
{
	uint64_t end = model_run_end(f, run), timeout = model_timeout_at(s, f);

	return timeout != 0 && timeout < end ? timeout : end;
}

/* A TERM or INT that reached reaper once the cleanup may have begun: it
 * skips the grace, and SIGKILL follows the graceful signal at once. */
static bool impatient_since(const struct facts *f, uint64_t began)
{
	for (size_t i = 0; i < f->nsent; i++) {
		const struct sent *e = &f->sent[i];
		if (e->kind == EV_SIGNAL && (e->sig == SIGTERM || e->sig == SIGINT) &&
		    model_effective(f, e->at) + MODEL_WINDOW_US >= began)
			return true;
	}
	return false;
}

/* Whether x was alive before the cleanup began: born well before it, or
 * part of a tree built before it. */
static bool alive_before(const struct node *x, const struct node *run,
			 uint64_t began)
{
	return x->started + MODEL_WINDOW_US <= began ||
	       (run->ready != 0 && run->ready < began && x->started <= run->ready);
}

/* No descendant alive when the cleanup began is killed without the
 * graceful signal first (it would have said so, or ended by itself). */
static void check_graceful(const struct scenario *s, const struct observed *o,
			   struct verdict *v)
{
	const struct facts *f = &o->facts;
	size_t nruns, n, bad = 0;
	struct node *runs = runs_of(f, &nruns);
	struct node *nodes = malloc((f->records->n + 1) * sizeof *nodes);

	/* No graceful signal is promised without a cleanup or a grace. */
	if (s->no_cleanup || s->grace_ms == 0)
		n = 0;
	else if (nodes != NULL)
		n = records_nodes(f->records, "r", true, nodes, f->records->n + 1);
	else
		n = 0;
	for (size_t i = 0; runs != NULL && i < n; i++) {
		const struct node *x = &nodes[i];
		const struct node *run = run_at(runs, nruns, x->started);
		uint64_t began;
		if (strcmp(x->id, "r") == 0 || x->end != 0 ||
		    (x->signals & graceful_mask(s)) || is_survivor(o, x->pid) ||
		    run == NULL)
			continue;
		began = cleanup_began(s, f, run);
		if (!alive_before(x, run, began) || impatient_since(f, began))
			continue; /* born as the cleanup began, or its grace cut short */
		if (++bad <= MAX_LINES)
			fail(v, "cleanup: %s (pid %d), alive when the cleanup began at "
			     "%ldms, was killed with no SIGTERM first", x->id, x->pid,
			     ms(f, began));
	}
	if (bad > MAX_LINES)
		fail(v, "cleanup: and %zu more killed with no SIGTERM first",
		     bad - MAX_LINES);
	free(nodes);
	free(runs);
}

/* Without /proc, reaper as a subreaper reaches the workload's group
 * alone, and says so (docs/guarantees.md). */
static bool survivor_allowed(const struct scenario *s, const struct facts *f,
			     const struct survivor *x)
{
	struct node runs[64];
	size_t n;

	if (s->no_cleanup)
		return true;
	if (!s->hide_proc || s->pid1)
		return false;
	n = records_nodes(f->records, "r", false, runs, 64);
	for (size_t i = 0; i < n; i++)
		if (runs[i].pid == x->pgid)
			return false;
	return true;
}

static void check_survivors(const struct scenario *s, const struct observed *o,
			    struct verdict *v)
{
	size_t bad = 0;

	for (size_t i = 0; i < o->nsurvivors; i++) {
		const struct survivor *x = &o->survivors[i];
		if (survivor_allowed(s, &o->facts, x) || ++bad > MAX_LINES)
			continue;
		fail(v, "left behind: %d (%s), group %d, outlived reaper", (int)x->pid,
		     x->comm, (int)x->pgid);
	}
	if (bad > MAX_LINES)
		fail(v, "left behind: and %zu more", bad - MAX_LINES);
}

static void check_runs(const struct scenario *s, const struct facts *f,
		       struct verdict *v)
{
	struct node runs[64];
	size_t n = records_nodes(f->records, "r", false, runs, 64), expect = 0;
	bool left_alone = s->timeout_ms == 0;

	for (size_t i = 0; i < f->nsent; i++)
		left_alone = left_alone && (f->sent[i].kind == EV_STOP ||
					    f->sent[i].kind == EV_CONT);
	if (s->family == FAMILY_PAUSE)
		return;
	if (s->restart == RESTART_NO || s->max_restarts >= 0) {
		size_t most = s->restart == RESTART_NO ? 1 : (size_t)s->max_restarts + 1;
		if (n > most)
			fail(v, "restarts: %zu runs, at most %zu allowed", n, most);
	}
	if (left_alone && s->max_restarts >= 0)
		expect = s->restart == RESTART_ALWAYS || s->workload.code != 0
				 ? (size_t)s->max_restarts + 1 : 1;
	/* A start that failed for want of descriptors ends the runs early. */
	if (s->nofile > 0 && f->code == 125)
		expect = 0;
	if (expect != 0 && n != expect && !f->overran)
		fail(v, "restarts: %zu runs, expected %zu", n, expect);
}

static void check_time(const struct scenario *s, const struct observed *o,
		       struct verdict *v)
{
	const struct facts *f = &o->facts;
	uint64_t look;
	long wall = ms(f, f->ended);
	long budget = (long)(CHECK_CPU_SHARE * (double)wall) + o->cpu_floor_ms;

	if (f->overran)
		fail(v, "bound: reaper was still running at %ldms, past its bound "
		     "(timeout + grace + 5 s kill phase + slack)", wall);
	if (!f->overran && model_look_deadline(s, f, &look) && f->ended > look)
		fail(v, "pause: exited at %ldms, though the pod's others had all "
		     "ended by %ldms (it looks every 100 ms)", wall,
		     ms(f, look - MODEL_LOOK_US - MODEL_LOOK_SLACK_US - model_stopped(f)));
	if (o->cpu_ms > budget)
		fail(v, "cpu: reaper used %ldms of CPU in %ldms, over its budget of "
		     "%ldms", o->cpu_ms, wall, budget);
	if (o->zombie[0] != '\0')
		fail(v, "zombie: %s", o->zombie);
}

void check_all(const struct scenario *s, const struct observed *o,
	       struct verdict *v)
{
	const struct facts *f = &o->facts;
	char why[256];

	v->len = 0;
	v->failures = 0;
	v->text[0] = '\0';
	check_time(s, o, v);
	if (!f->overran && !model_exit_ok(s, f, why, sizeof why))
		fail(v, "status: %s", why);
	if (o->canary_dead || o->canary_signals > 0)
		fail(v, "canary: the process outside the tree was %s",
		     o->canary_dead ? "killed" : "signalled");
	if (!f->overran)
		check_survivors(s, o, v);
	check_runs(s, f, v);
	check_forwarding(s, f, v);
	if (!f->overran)
		check_graceful(s, o, v);
}
