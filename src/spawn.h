/* Forks and execs the workload. */
#ifndef REAPER_SPAWN_H
#define REAPER_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "creds.h"
#include "signals.h"

/* The workload: one run of the command, owned by the loop. */
struct workload {
	pid_t pid;       /* also its process group; 0: none (pause mode) */
	int fd;          /* its pidfd, or -1 (before Linux 5.3, refused, or
			  * out of descriptors) */
	bool running;    /* started and not yet reaped */
	bool group_gone; /* its group seen empty: the number may be
			  * another's now */
};

struct spawn_request {
	char **argv;
	int cwd;             /* the directory to start in, or -1: reaper's */
	bool start_once;     /* no restart: cwd is closed once forked */
	bool setsid;         /* a new session rather than a new group */
	kernel_sigset mask;  /* the signal mask reaper inherited */
	bool chld_ignored;   /* reaper inherited SIGCHLD ignored */
	const struct creds *creds; /* who the workload runs as */
	const char *const *unset; /* variables the workload must not see */
};

/* Starts the workload: 0 with it in *w, or reaper's exit code
 * when it could not be started, with the reason logged: 125 for a
 * failure of reaper's own (fork, a step before exec), else coreutils'
 * convention: 127 when the command was not found, 126 when it was found
 * and could not be run. The child reaches, in order: its working
 * directory, its own process group (or session) and the terminal, LISTEN_PID, the environment, the
 * credentials, the signal mask and dispositions reaper inherited, and
 * exec; what stops it on the way is reported through a close-on-exec
 * pipe. */
int spawn_start(struct spawn_request *req, struct workload *w);

#endif
