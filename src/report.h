/* What reaper tells of its work: each line at the verbosity it needs, and
 * formatted only when it is printed, for the paths every signal and every
 * orphan take. */
#ifndef REAPER_REPORT_H
#define REAPER_REPORT_H

#include <stdint.h>
#include <sys/types.h>

#include "policy.h"

/* A signal forwarded to target (-vv), or what stopped it (always). */
void report_forward(int sig, pid_t target, int err);

/* ACT_REPORT_ORPHAN and ACT_REPORT_RESTART. */
void report_action(const struct action *a);

/* The last line at -v: how the run ended, how long it took, what was
 * reaped and ended. */
void report_summary(const struct policy_summary *s, uint64_t ran_us,
		    unsigned long terminated, unsigned long killed, int code);

#endif
