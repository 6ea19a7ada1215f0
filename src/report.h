/* What reaper tells of its work: each line at the verbosity it needs, and
 * formatted only when it is printed, for the paths every signal and every
 * orphan take. */
#ifndef REAPER_REPORT_H
#define REAPER_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"

/* What the summary line at exit tells; the loop keeps it. */
struct summary {
	bool paused;                /* no workload ever ran */
	int last_status;            /* the last run's wait status */
	unsigned long orphans_reaped;
	unsigned long restarts;
	unsigned long terminated;   /* ULONG_MAX: unknown */
	unsigned long killed;       /* ULONG_MAX: unknown */
	uint64_t started_at;
};

/* Adds n to a count, where ULONG_MAX is "unknown". */
void report_count(unsigned long *count, unsigned long n);

/* A signal forwarded to target (-vv), or what stopped it (always). */
void report_forward(int sig, pid_t target, int err);

/* ACT_REPORT_ORPHAN and ACT_REPORT_RESTART. */
void report_action(const struct action *a);

/* The last line at -v: how the run ended, how long it took, what was
 * reaped and ended. */
void report_summary(const struct summary *s, uint64_t now, int code);

/* "4711 (redis-server), 4713 (sleep)", and how many more did not fit. */
struct report_names {
	char text[384];
	size_t len;
	unsigned long listed, more;
};

/* Adds one process to names, at -v, where its line is printed. */
void report_name(struct report_names *names, pid_t pid, const char *name);

/* A round of the cleanup sent sig to reached descendants (ULONG_MAX:
 * not known), named in names, or else described by scope ("the
 * workload's group"). */
void report_round(int sig, unsigned long reached,
		  const struct report_names *names, const char *scope);

/* The cleanup gives up on pid: err, or 0 when it outlived SIGKILL. index
 * counts those given up on before it. */
void report_left(pid_t pid, const char *name, int err, unsigned long index);

/* How many were given up on in all. */
void report_left_total(unsigned long n);

#endif
