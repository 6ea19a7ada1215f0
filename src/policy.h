/* The supervisor's decisions: given one event and the time, the actions
 * to take. Pure: no system calls, so every rule is unit-tested without
 * forking. Times are milliseconds on a monotonic clock. */
#ifndef REAPER_POLICY_H
#define REAPER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

enum action_kind {
	ACT_FORWARD,       /* kill(target, sig) */
	ACT_SIGNAL_TREE,   /* sig to every descendant of reaper */
	ACT_ARM_TIMER,     /* wake at time `at`; 0 disarms */
	ACT_SPAWN,         /* start the workload again */
	ACT_REPORT_ORPHAN, /* log that pid was reaped, with its wait status */
	ACT_REPORT_RESTART, /* log the restart: last status, delay in `at` */
	ACT_SUSPEND,       /* stop reaper itself, as its job was stopped */
	ACT_FOREGROUND,    /* give the terminal to group target, if reaper has it */
	ACT_EXIT,          /* exit reaper with code */
};

struct action {
	enum action_kind kind;
	int sig;
	pid_t target; /* ACT_FORWARD: pid, or -pgid; ACT_REPORT_ORPHAN: pid */
	int status;   /* a wait status, or ACT_EXIT's exit code */
	uint64_t at;  /* ACT_ARM_TIMER: when; ACT_REPORT_RESTART: the delay */
};

/* No event yields more than four; the rest is margin. */
#define POLICY_MAX_ACTIONS 8

struct actions {
	size_t n;
	struct action list[POLICY_MAX_ACTIONS];
};

enum phase {
	PHASE_RUNNING, /* the workload runs (or, with --pause, reaper waits) */
	PHASE_ENDED,   /* it was reaped; its descendants are being ended */
	PHASE_BACKOFF, /* waiting to start it again */
	PHASE_DONE,
};

enum cleanup_stage {
	STAGE_NONE,
	STAGE_TERM_SENT, /* the grace runs */
	STAGE_KILL_SENT,
};

struct policy {
	const struct config *cfg;
	enum phase phase;
	enum cleanup_stage stage;
	pid_t workload;        /* its pid, also its process group; 0 if none */
	int last_status;       /* wait status of the last run */
	bool job_control;      /* a shell's job: stop and go with the workload */
	bool suspended;        /* stopped with it, waiting for SIGCONT */
	bool stopping;         /* no more restarts */
	bool timed_out;
	unsigned long restarts;
	unsigned failures;     /* consecutive short runs, for the back-off */
	uint64_t timeout_at, grace_at, rekill_at, restart_at, run_started;
	uint64_t armed;        /* what the timer is set to; 0: disarmed */
	unsigned long orphans_reaped;
};

/* interactive: reaper is not PID 1 and started in the foreground of a
 * terminal, where a shell's Ctrl-Z and fg must stop and resume it. */
void policy_init(struct policy *p, const struct config *cfg, bool interactive);

/* The workload (re)started as pid at now; pid 0: reaper started in pause
 * mode, with no workload. */
void policy_started(struct policy *p, pid_t pid, uint64_t now,
		    struct actions *out);

/* A signal reaper received, other than SIGCHLD. */
void policy_on_signal(struct policy *p, int sig, uint64_t now,
		      struct actions *out);

/* waitpid returned pid with wstatus. */
void policy_on_reaped(struct policy *p, pid_t pid, int wstatus,
		      struct actions *out);

/* waitpid reported pid stopped (only asked for under job control). */
void policy_on_stopped(struct policy *p, pid_t pid, struct actions *out);

/* waitpid has nothing more to report; children_left says whether any
 * child, and so any descendant, is still alive. */
void policy_on_drained(struct policy *p, bool children_left, uint64_t now,
		       struct actions *out);

/* Whether the policy needs to hear, after any event, if children are
 * left: the workload has ended and its descendants are being waited for. */
bool policy_awaits_drain(const struct policy *p);

/* The timer fired. */
void policy_on_timer(struct policy *p, uint64_t now, struct actions *out);

/* The delay before restart number attempt (0 for the first). */
uint64_t policy_backoff(const struct config *cfg, unsigned attempt);

/* The exit code for a workload that ended with wstatus: its code after -e
 * remapping, or 128+N when killed by signal N. */
int policy_exit_code(const struct config *cfg, int wstatus);

/* "exit 3" or "killed by SIGSEGV", for logs. */
const char *policy_describe(int wstatus, char *buf, size_t len);

#endif
