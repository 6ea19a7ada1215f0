/* Forks and execs the workload. */
#ifndef REAPER_SPAWN_H
#define REAPER_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "creds.h"
#include "signals.h"

struct spawn_request {
	char **argv;
	bool setsid;         /* a new session rather than a new group */
	kernel_sigset mask;  /* the signal mask reaper inherited */
	bool chld_ignored;   /* reaper inherited SIGCHLD ignored */
	const struct creds *creds; /* who the workload runs as */
	const char *const *unset; /* variables the workload must not see */
};

struct spawn_result {
	pid_t pid;
	int err;          /* 0 when exec succeeded */
	const char *step; /* what failed before exec, or NULL: exec did */
};

/* What the child reaches, in order: its own process group (or session)
 * and the terminal, LISTEN_PID, the environment, the credentials, the
 * signal mask and dispositions reaper inherited, and exec. */

/* Returns false with errno set when fork failed; otherwise the child
 * exists, and res says whether it reached exec, or what stopped it. */
bool spawn_workload(const struct spawn_request *req, struct spawn_result *res);

/* Starts the workload: 0 with its pid in *pid, or reaper's exit code
 * when it could not be started, with the reason logged: 125 for a
 * failure of reaper's own (fork, a step before exec), else coreutils'
 * convention: 127 when the command was not found, 126 when it was found
 * and could not be run. */
int spawn_start(const struct spawn_request *req, pid_t *pid);

int spawn_exec_failure_code(int exec_errno);

/* Whether LISTEN_PID's value names pid (socket activation handed its
 * sockets to reaper, so the workload must see its own pid there). */
bool spawn_listen_pid_names(const char *value, pid_t pid);

#endif
