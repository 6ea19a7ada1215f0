#include "scenario.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

/* splitmix64: small, pure, and the same on every machine. */
struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int between(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static bool chance(struct rng *r, int percent)
{
	return between(r, 0, 99) < percent;
}

/* One of n choices, each with its weight. */
static int weighted(struct rng *r, const int *weights, int n)
{
	int total = 0, pick;

	for (int i = 0; i < n; i++)
		total += weights[i];
	pick = between(r, 0, total - 1);
	for (int i = 0; i < n; i++)
		if ((pick -= weights[i]) < 0)
			return i;
	return n - 1;
}

uint64_t scenario_seed(uint64_t base, uint64_t i)
{
	struct rng r = {base ^ (i * 0xd1b54a32d192ed03ULL)};

	return i == 0 ? base : next(&r);
}

static void draw_environment(struct rng *r, struct scenario *s)
{
	static const int errs[] = {35, 15, 15, 15, 20};

	s->pid1 = chance(r, s->family == FAMILY_PAUSE ? 70 : 35);
	s->hide_proc = chance(r, 12);
	s->restricted = chance(r, 15);
	s->nofile = chance(r, 15) ? between(r, 8, 12) : 0;
	s->err = (enum stderr_kind)weighted(r, errs, 5);
	s->pin_cpu = chance(r, 30);
}

static const int rewrites[][2] = {
	{SIGUSR1, SIGUSR2}, {SIGTERM, SIGQUIT}, {SIGHUP, 0}, {SIGINT, SIGTERM},
	{0, 0}, /* RTMIN+1 to RTMIN+2, filled in at run time */
};

static void draw_options(struct rng *r, struct scenario *s)
{
	static const int verbosity[] = {50, 35, 15};
	static const int timeout_sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	bool long_grace = s->family == FAMILY_PAUSE && s->pid1;

	s->verbose = weighted(r, verbosity, 3);
	s->warn = chance(r, 30);
	s->grace_ms = chance(r, 12) ? 0 : long_grace ? between(r, 1500, 4000)
						      : between(r, 200, 1000);
	s->timeout_ms = chance(r, 35) ? between(r, 100, 1000) : 0;
	s->timeout_sig = chance(r, 75) ? SIGTERM : timeout_sigs[between(r, 1, 3)];
	s->group = chance(r, 25);
	s->setsid = chance(r, 15);
	s->no_cleanup = chance(r, 8);
	s->remap = -1;
	s->max_restarts = -1;
	for (int i = 0; i < MAX_REWRITES && chance(r, 15); i++) {
		int k = between(r, 0, 4);
		s->rewrite[i][0] = k == 4 ? SIGRTMIN + 1 : rewrites[k][0];
		s->rewrite[i][1] = k == 4 ? SIGRTMIN + 2 : rewrites[k][1];
		s->nrewrites = i + 1;
		if (i == 1 && s->rewrite[1][0] == s->rewrite[0][0])
			s->nrewrites = 1;
	}
	if (s->family == FAMILY_RESTART) {
		s->restart = chance(r, 50) ? RESTART_ON_FAILURE : RESTART_ALWAYS;
		s->max_restarts = chance(r, 80) ? between(r, 0, 3) : -1;
		s->backoff_ms = between(r, 10, 100);
	}
}

static enum kind draw_kind(struct rng *r, int *ms)
{
	static const int kinds[] = {0, 45, 15, 20, 10, 10};
	enum kind k = (enum kind)weighted(r, kinds, 6);

	*ms = k == KIND_SLOW ? between(r, 50, 600) : k == KIND_LIFE ? between(r, 50, 800) : 0;
	return k;
}

static void draw_group(struct rng *r, struct group *g, bool small)
{
	static const int shapes[] = {25, 25, 15, 15, 20};

	g->shape = (enum shape)weighted(r, shapes, 5);
	g->kind = draw_kind(r, &g->ms);
	switch (g->shape) {
	case SHAPE_FLAT: g->count = between(r, 1, 8); break;
	case SHAPE_CHAIN: g->count = chance(r, 50) ? between(r, 2, 20) : between(r, 50, 200); break;
	case SHAPE_DAEMON:
	case SHAPE_SETSID: g->count = between(r, 1, 4); break;
	case SHAPE_ORPHANS: g->count = chance(r, 50) ? between(r, 10, 100) : between(r, 200, 400); break;
	}
	if (small && g->count > 3)
		g->count = 3;
}

static void draw_tree(struct rng *r, struct tree *t, int max_groups, bool small)
{
	static const int codes[] = {0, 0, 0, 1, 2, 3, 7, 42, 100};

	t->code = codes[between(r, 0, 8)];
	t->ngroups = between(r, 0, max_groups);
	for (int i = 0; i < t->ngroups; i++)
		draw_group(r, &t->groups[i], small);
}

static void draw_workload(struct rng *r, struct scenario *s)
{
	static const int roots[] = {0, 50, 20, 30};

	if (s->family == FAMILY_PAUSE) {
		s->njoiners = s->pid1 ? between(r, 0, MAX_JOINERS) : 0;
		for (int i = 0; i < s->njoiners; i++) {
			struct tree *j = &s->joiners[i];
			draw_tree(r, j, 1, true);
			j->kind = (enum kind)weighted(r, roots, 4);
			j->ms = between(r, 100, 1000);
			if (chance(r, 25)) {
				j->kind = KIND_LIFE;
				j->ms = between(r, 200, 1500);
			}
		}
		return;
	}
	draw_tree(r, &s->workload, MAX_GROUPS, false);
	if (s->family == FAMILY_RESTART) {
		s->workload.kind = KIND_EXIT;
	} else {
		s->workload.kind = (enum kind)weighted(r, roots, 4);
		s->workload.ms = between(r, 50, 600);
	}
	if (chance(r, 15))
		s->remap = chance(r, 50) ? s->workload.code : 128 + SIGTERM;
}

static void add_event(struct scenario *s, enum event_kind kind, int at_ms,
		      int sig)
{
	struct event *e;
	int i;

	if (s->nevents == MAX_EVENTS)
		return;
	/* Kept in time order; an equal time goes after. */
	for (i = s->nevents; i > 0 && s->events[i - 1].at_ms > at_ms; i--)
		s->events[i] = s->events[i - 1];
	e = &s->events[i];
	*e = (struct event){.kind = kind, .at_ms = at_ms, .sig = sig, .count = 1};
	s->nevents++;
}

static void draw_signal(struct rng *r, struct scenario *s, int at)
{
	static const int weights[] = {20, 10, 10, 20, 5, 20, 5};
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, 0, SIGQUIT};
	int k = weighted(r, weights, 7);

	add_event(s, EV_SIGNAL, at, sigs[k]);
	if (sigs[k] == 0) { /* a real-time signal, sent a few times */
		int last = s->nevents - 1;
		while (last > 0 && s->events[last].sig != 0)
			last--;
		s->events[last].sig = SIGRTMIN + between(r, 1, 4);
		s->events[last].count = between(r, 1, 5);
	}
}

static int last_at(const struct scenario *s)
{
	return s->nevents > 0 ? s->events[s->nevents - 1].at_ms : 0;
}

static void draw_events(struct rng *r, struct scenario *s)
{
	static const int weights[] = {75, 12, 13};
	int n = between(r, 0, 5);

	for (int i = 0; i < n; i++) {
		int at = between(r, 0, 800);
		switch (weighted(r, weights, 3)) {
		case 0: draw_signal(r, s, at); break;
		case 1:
			add_event(s, EV_STOP, at, SIGSTOP);
			add_event(s, EV_CONT, at + between(r, 50, 400), SIGCONT);
			break;
		default:
			if (s->family != FAMILY_PAUSE)
				add_event(s, EV_KILL, at, SIGKILL);
			break;
		}
	}
	/* Every scenario ends: the workload is told to exit, restarts are
	 * stopped, a pause is told to stop. */
	if (s->family == FAMILY_WORKLOAD) {
		add_event(s, EV_EXIT, last_at(s) + between(r, 50, 500), 0);
		s->events[s->nevents - 1].code = s->workload.code;
	} else if (s->family == FAMILY_RESTART && s->max_restarts < 0) {
		add_event(s, EV_SIGNAL, last_at(s) + between(r, 50, 500), SIGTERM);
	} else if (s->family == FAMILY_PAUSE && (s->timeout_ms == 0 || chance(r, 70))) {
		int at = last_at(s) + between(r, 50, 300);
		if (s->njoiners > 0 && chance(r, 80))
			add_event(s, EV_JOINERS, at, SIGTERM);
		add_event(s, EV_SIGNAL, at + between(r, 0, 50), chance(r, 80) ? SIGTERM : SIGINT);
	}
}

void scenario_draw(struct scenario *s, uint64_t seed)
{
	static const int families[] = {55, 20, 25};
	struct rng r = {seed};

	*s = (struct scenario){.seed = seed};
	s->family = (enum family)weighted(&r, families, 3);
	draw_environment(&r, s);
	draw_options(&r, s);
	draw_workload(&r, s);
	draw_events(&r, s);
}

const char *scenario_signame(int sig, char *buf, size_t len)
{
	static const char *const names[] = {
		[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT",
		[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGUSR2] = "USR2",
		[SIGTERM] = "TERM", [SIGCONT] = "CONT", [SIGSTOP] = "STOP"};

	if (sig >= SIGRTMIN)
		snprintf(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
		snprintf(buf, len, "%s", names[sig]);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}

/* Strings laid one after another in a buffer. */
struct arena {
	char **argv;
	size_t n, max;
	char *buf;
	size_t used, len;
};

static void add(struct arena *a, const char *text)
{
	size_t n = strlen(text) + 1;

	if (a->n + 1 >= a->max || a->used + n > a->len)
		return;
	memcpy(a->buf + a->used, text, n);
	a->argv[a->n++] = a->buf + a->used;
	a->used += n;
}

/* OPTION VALUE, the value a number with a unit ("300ms", "2"). */
static void add_number(struct arena *a, const char *option, int v,
		       const char *unit)
{
	char text[24];

	snprintf(text, sizeof text, "%d%s", v, unit);
	add(a, option);
	add(a, text);
}

static void add_signal(struct arena *a, const char *option, int sig)
{
	char name[16];

	add(a, option);
	add(a, scenario_signame(sig, name, sizeof name));
}

static void add_rewrite(struct arena *a, const int pair[2])
{
	char from[16], to[16], text[40];

	scenario_signame(pair[0], from, sizeof from);
	if (pair[1] == 0)
		snprintf(to, sizeof to, "0");
	else
		scenario_signame(pair[1], to, sizeof to);
	snprintf(text, sizeof text, "%s:%s", from, to);
	add(a, "--rewrite");
	add(a, text);
}

size_t scenario_options(const struct scenario *s, char **argv, size_t max,
			char *buf, size_t len)
{
	static const char *const verbosity[] = {NULL, "-v", "-vv"};
	static const char *const policies[] = {NULL, "on-failure", "always"};
	struct arena a = {argv, 0, max, buf, 0, len};

	if (verbosity[s->verbose] != NULL)
		add(&a, verbosity[s->verbose]);
	if (s->warn)
		add(&a, "-w");
	if (s->group)
		add(&a, "-g");
	if (s->setsid)
		add(&a, "--setsid");
	if (s->no_cleanup)
		add(&a, "--no-cleanup");
	if (s->family == FAMILY_PAUSE)
		add(&a, "--pause");
	add_number(&a, "--grace", s->grace_ms, "ms");
	if (s->timeout_ms > 0) {
		add_number(&a, "--timeout", s->timeout_ms, "ms");
		add_signal(&a, "--timeout-signal", s->timeout_sig);
	}
	if (s->restart != RESTART_NO) {
		add(&a, "--restart");
		add(&a, policies[s->restart]);
		add_number(&a, "--backoff", s->backoff_ms, "ms");
	}
	if (s->max_restarts >= 0)
		add_number(&a, "--max-restarts", s->max_restarts, "");
	for (int i = 0; i < s->nrewrites; i++)
		add_rewrite(&a, s->rewrite[i]);
	if (s->remap >= 0)
		add_number(&a, "-e", s->remap, "");
	argv[a.n] = NULL;
	return a.n;
}

static const char *kind_text(enum kind k, int ms, char *buf, size_t len)
{
	static const char *const names[] = {"exit", "die", "ignore", "slow",
					    "stop", "life"};

	if (k == KIND_SLOW || k == KIND_LIFE)
		snprintf(buf, len, "%s%d", names[k], ms);
	else
		snprintf(buf, len, "%s", names[k]);
	return buf;
}

size_t scenario_tree_args(const struct tree *t, char **argv, size_t max,
			  char *buf, size_t len)
{
	static const char *const shapes[] = {"flat", "chain", "daemon", "setsid",
					     "orphans"};
	struct arena a = {argv, 0, max, buf, 0, len};
	char kind[24], text[64];

	add(&a, kind_text(t->kind, t->ms, kind, sizeof kind));
	snprintf(text, sizeof text, "%d", t->code);
	add(&a, text);
	for (int i = 0; i < t->ngroups; i++) {
		const struct group *g = &t->groups[i];
		snprintf(text, sizeof text, "%s:%d:%s", shapes[g->shape], g->count,
			 kind_text(g->kind, g->ms, kind, sizeof kind));
		add(&a, text);
	}
	argv[a.n] = NULL;
	return a.n;
}

static size_t append(char *buf, size_t len, size_t at, const char *fmt,
		     const char *a, int b)
{
	int n;

	if (at >= len)
		return at;
	n = snprintf(buf + at, len - at, fmt, a, b);
	return n < 0 ? at : at + (size_t)n;
}

void scenario_describe(const struct scenario *s, char *buf, size_t len)
{
	static const char *const errs[] = {"read", "full", "closed", "pty", "null"};
	static const char *const what[] = {"", "STOP", "CONT", "kill workload",
					   "exit", "TERM joiners"};
	size_t at = 0;
	char name[16];

	buf[0] = '\0';
	at = append(buf, len, at, "%s", s->pid1 ? "pid1" : "subreaper", 0);
	if (s->nofile > 0)
		at = append(buf, len, at, " nofile=%s%d", "", s->nofile);
	at = append(buf, len, at, "%s", s->hide_proc ? " no-proc" : "", 0);
	at = append(buf, len, at, " stderr=%s", errs[s->err], 0);
	at = append(buf, len, at, "%s", s->restricted ? " restricted" : "", 0);
	at = append(buf, len, at, "%s", s->pin_cpu ? " cpu0" : "", 0);
	for (int i = 0; i < s->nevents; i++) {
		const struct event *e = &s->events[i];
		at = append(buf, len, at, "%s +%dms", i == 0 ? ";" : ",", e->at_ms);
		if (e->kind == EV_SIGNAL)
			at = append(buf, len, at, " %s x%d",
				    scenario_signame(e->sig, name, sizeof name), e->count);
		else if (e->kind == EV_EXIT)
			at = append(buf, len, at, " %s %d", what[e->kind], e->code);
		else
			at = append(buf, len, at, " %s", what[e->kind], 0);
	}
}
