/* Runs one scenario for real: the canary, reaper in the environment
 * drawn, the joiners, the events on time; samples reaper's children while
 * it runs, and afterwards collects what the invariants are checked
 * against, and ends, by pid, every process the scenario left. */
#ifndef CHAOS_RUN_H
#define CHAOS_RUN_H

#include <stddef.h>

#include "check.h"
#include "scenario.h"

struct programs {
	const char *reaper, *probe, *restrict_bin;
};

/* Fills o; its records and its directory (o->dir, where the tree's report
 * is) stay until run_release, which keeps the directory when asked. tail
 * gets the end of
 * what reaper wrote to stderr, where the runner could read it. Returns
 * false when the scenario could not be set up (a fault of the runner's,
 * said on stderr). */
bool run_scenario(const struct scenario *s, const struct programs *p,
		  struct observed *o, char *tail, size_t len);

void run_release(struct observed *o, bool keep);

#endif
