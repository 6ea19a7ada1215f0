/* What reaper should do in a scenario, from its options and from what
 * happened: the exit statuses it may end with, and by when it must have
 * exited. Pure: the runner hands it the facts. Where the order of two
 * moments closer than MODEL_WINDOW_US cannot be known, both answers are
 * accepted, never neither. */
#ifndef CHAOS_MODEL_H
#define CHAOS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "records.h"
#include "scenario.h"

#define MODEL_WINDOW_US 300000
/* reaper gives up this long after its first SIGKILL (src/policy.h). */
#define MODEL_KILL_PHASE_US 5000000
/* Time for what the bound does not name: exec, the walk, a loaded machine. */
#define MODEL_SLACK_US 2000000
/* A stopping pause process looks this often whether others are left, and
 * is allowed this much more for the look itself and for the machine. */
#define MODEL_LOOK_US 100000
#define MODEL_LOOK_SLACK_US 700000

/* One event as the runner carried it out. */
struct sent {
	enum event_kind kind;
	int sig, count;
	uint64_t at; /* µs, monotonic */
};

struct facts {
	uint64_t started;  /* just before reaper was forked */
	uint64_t ready;    /* the workload's tree was built; 0 if never */
	uint64_t ended;    /* reaper's exit was seen */
	bool overran;      /* still running at its bound: the runner killed it */
	int code;          /* its exit status, as a shell shows it */
	bool open_exit;    /* the probe's exit takes signals after its last
			    * line (a sanitizer's leak check unblocks them) */
	size_t nsent;
	struct sent sent[MAX_EVENTS];
	const struct records *records;
};

/* The signal the workload receives for sig sent to reaper, or 0. */
int model_forwarded(const struct scenario *s, int sig);

/* When a signal sent at `at` reaches reaper's loop: at once, or when a
 * stopped reaper is continued. */
uint64_t model_effective(const struct facts *f, uint64_t at);

/* By when reaper must have exited, given the facts so far. */
uint64_t model_deadline(const struct scenario *s, const struct facts *f);

/* For a pause process stopped as PID 1 whose pod's others all ended by
 * themselves: by when it must have exited. False when the rule does not
 * apply. */
bool model_look_deadline(const struct scenario *s, const struct facts *f,
			 uint64_t *at);

/* Whether f->code is one the model allows; when not, why says which. */
bool model_exit_ok(const struct scenario *s, const struct facts *f,
		   char *why, size_t len);

/* When a run of the workload was over: its own last line, else the
 * SIGKILL sent to it, else reaper's exit. */
uint64_t model_run_end(const struct facts *f, const struct node *run);

/* The time the scenario's timeout falls, or 0 without one. */
uint64_t model_timeout_at(const struct scenario *s, const struct facts *f);

/* The total time reaper was held stopped. */
uint64_t model_stopped(const struct facts *f);

#endif
