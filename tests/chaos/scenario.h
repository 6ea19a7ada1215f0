/* A scenario of the random system test: reaper's environment, its
 * options, the process tree it runs and the events from outside, all
 * drawn from one seed by a pure generator, so that a seed replays exactly
 * the same scenario. */
#ifndef CHAOS_SCENARIO_H
#define CHAOS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum family {
	FAMILY_WORKLOAD, /* one run, ended by the events or an order to exit */
	FAMILY_RESTART,  /* runs that exit at once, under --restart */
	FAMILY_PAUSE,    /* --pause; as PID 1, with processes joining by nsenter */
};

enum stderr_kind { ERR_READ, ERR_FULL, ERR_CLOSED, ERR_PTY, ERR_NULL };

enum restart_kind { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS };

/* How a node takes TERM, INT, HUP and QUIT (tests/helpers/nodes.h). */
enum kind { KIND_EXIT, KIND_DIE, KIND_IGNORE, KIND_SLOW, KIND_STOP, KIND_LIFE };

enum shape { SHAPE_FLAT, SHAPE_CHAIN, SHAPE_DAEMON, SHAPE_SETSID, SHAPE_ORPHANS };

struct group {
	enum shape shape;
	int count;
	enum kind kind;
	int ms;
};

#define MAX_GROUPS 3

/* A root and the groups it makes: the workload, or a joiner. */
struct tree {
	enum kind kind;
	int ms;
	int code; /* what it exits with, by itself */
	int ngroups;
	struct group groups[MAX_GROUPS];
};

enum event_kind {
	EV_SIGNAL,   /* sig to reaper, count times */
	EV_STOP,     /* SIGSTOP to reaper */
	EV_CONT,     /* SIGCONT to reaper */
	EV_KILL,     /* SIGKILL to the workload */
	EV_EXIT,     /* the workload is told to exit with code */
	EV_JOINERS,  /* TERM to each joiner, as an engine stops a pod's containers */
};

struct event {
	enum event_kind kind;
	int at_ms; /* after the tree is built */
	int sig, count, code;
};

#define MAX_EVENTS 12
#define MAX_JOINERS 3
#define MAX_REWRITES 2

struct scenario {
	uint64_t seed;
	enum family family;
	/* the environment */
	bool pid1, hide_proc, restricted, pin_cpu;
	int nofile; /* reaper's soft RLIMIT_NOFILE; 0: as inherited */
	enum stderr_kind err;
	/* reaper's options */
	int verbose; /* -v count */
	bool warn, group, setsid, no_cleanup;
	int grace_ms, timeout_ms, timeout_sig;
	enum restart_kind restart;
	int max_restarts; /* -1: unlimited */
	int backoff_ms;
	int nrewrites, rewrite[MAX_REWRITES][2];
	int remap; /* -e CODE, or -1 */
	/* the processes and what happens to them */
	struct tree workload;
	int njoiners;
	struct tree joiners[MAX_JOINERS];
	int nevents;
	struct event events[MAX_EVENTS];
};

void scenario_draw(struct scenario *s, uint64_t seed);

/* The seed of scenario i of a run that began at base. */
uint64_t scenario_seed(uint64_t base, uint64_t i);

/* reaper's options, one a string, into argv (at most max); returns how
 * many. The strings live in buf. */
size_t scenario_options(const struct scenario *s, char **argv, size_t max,
			char *buf, size_t len);

/* The tree's arguments for `probe tree REPORT ID`, as scenario_options. */
size_t scenario_tree_args(const struct tree *t, char **argv, size_t max,
			  char *buf, size_t len);

/* One line: the environment and the events. */
void scenario_describe(const struct scenario *s, char *buf, size_t len);

/* "TERM", "RTMIN+2": for reaper's options and the reports. */
const char *scenario_signame(int sig, char *buf, size_t len);

#endif
