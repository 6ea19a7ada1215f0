/* The invariants, checked after each scenario against what the runner
 * saw: each failure is one line of the verdict. */
#ifndef CHAOS_CHECK_H
#define CHAOS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model.h"
#include "scenario.h"

/* reaper's CPU: this share of the wall time it ran, plus a floor for its
 * start-up (the harness's rule), larger for a dynamic binary (a
 * sanitizer's start-up). */
#define CHECK_CPU_SHARE 0.10
#define CHECK_CPU_FLOOR_MS 100
#define CHECK_CPU_FLOOR_DYNAMIC_MS 400

#define MAX_SURVIVORS 32

struct survivor {
	pid_t pid, pgid;
	char comm[16];
};

/* Everything the runner saw. */
struct observed {
	struct facts facts;
	char dir[32];         /* the scenario's, with the tree's report */
	long cpu_ms;          /* reaper's, -1 when unknown */
	long cpu_floor_ms;    /* its budget's floor */
	char zombie[200];     /* the first zombie seen left too long, or "" */
	int canary_signals;   /* signals the canary received */
	bool canary_dead;
	size_t nsurvivors;
	struct survivor survivors[MAX_SURVIVORS];
};

struct verdict {
	char text[4096];
	size_t len;
	int failures;
};

void check_all(const struct scenario *s, const struct observed *o,
	       struct verdict *v);

#endif
