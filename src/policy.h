/* The supervisor's decisions: given one event, the actions to take.
 * Pure: no system calls, so every rule is unit-tested without forking. */
#ifndef REAPER_POLICY_H
#define REAPER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"

enum action_kind {
	ACT_FORWARD,       /* kill(target, sig) */
	ACT_REPORT_ORPHAN, /* log that pid was reaped, with its wait status */
	ACT_EXIT,          /* exit reaper with code */
};

struct action {
	enum action_kind kind;
	int sig;
	pid_t target; /* ACT_FORWARD: pid, or -pgid; ACT_REPORT_ORPHAN: pid */
	int status;   /* ACT_REPORT_ORPHAN: wait status; ACT_EXIT: exit code */
};

#define POLICY_MAX_ACTIONS 4

struct actions {
	size_t n;
	struct action list[POLICY_MAX_ACTIONS];
};

struct policy {
	const struct config *cfg;
	pid_t workload;       /* its pid, which is also its process group */
	bool workload_reaped;
	unsigned long orphans_reaped;
};

void policy_init(struct policy *p, const struct config *cfg, pid_t workload);

/* A signal reaper received, other than SIGCHLD. */
void policy_on_signal(struct policy *p, int sig, struct actions *out);

/* waitpid returned pid with wstatus. */
void policy_on_reaped(struct policy *p, pid_t pid, int wstatus,
		      struct actions *out);

/* The exit code for a workload that ended with wstatus: its code after -e
 * remapping, or 128+N when killed by signal N. */
int policy_exit_code(const struct config *cfg, int wstatus);

/* "exit 3" or "killed by SIGSEGV", for logs. */
const char *policy_describe(int wstatus, char *buf, size_t len);

#endif
