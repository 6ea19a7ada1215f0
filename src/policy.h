/* The supervisor's decisions: given one event and the time, the actions
 * to take. Pure: no system calls, so every rule is unit-tested without
 * forking. Times are microseconds on the monotonic clock (clock.h).
 *
 * Every handler ends by acting on whatever deadline has passed, so that
 * the deadline an ACT_ARM_TIMER names is always none or in the future:
 * the loop never sets its timer to a moment already gone. */
#ifndef REAPER_POLICY_H
#define REAPER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

/* After the grace, SIGKILL goes out again every POLICY_REKILL_US while
 * descendants remain (they may fork as it goes), and the cleanup gives
 * up POLICY_KILL_PHASE_US after the first: what reaper may not signal,
 * or cannot find, is then reported, not waited for. */
#define POLICY_REKILL_US 1000000
#define POLICY_KILL_PHASE_US 5000000

/* A pod's pause process, stopping, looks this often whether the pod's
 * other processes, which are not its children, have ended. */
#define POLICY_LOOK_US 100000

enum action_kind {
	ACT_FORWARD,        /* sig to target: a pid, or -pgid */
	ACT_SIGNAL_TREE,    /* sig to every descendant; target: the workload's
			     * group (a fallback without /proc), 0 when none */
	ACT_ARM_TIMER,      /* wake at `at`; 0 disarms */
	ACT_SPAWN,          /* start the workload again */
	ACT_REPORT_ORPHAN,  /* log that target was reaped, with its status */
	ACT_REPORT_RESTART, /* log restart number `count`: the last status,
			     * the delay in `at` */
	ACT_SUSPEND,        /* stop reaper itself, as its job was stopped */
	ACT_FOREGROUND,     /* give the terminal to group target, if reaper's
			     * group holds it */
	ACT_RECLAIM_TERMINAL, /* group target is over: if it holds the
			       * terminal, reaper's group takes it back */
	ACT_GIVE_UP,        /* report the descendants the cleanup could not
			     * end; target as for ACT_SIGNAL_TREE */
	ACT_LOOK_AROUND,    /* whether the namespace holds other processes:
			     * answer with policy_on_others */
	ACT_EXIT,           /* exit reaper with code `status` */
};

struct action {
	enum action_kind kind;
	int sig;
	pid_t target;
	int status;          /* a wait status, or ACT_EXIT's exit code */
	uint64_t at;
	unsigned long count;
};

/* No event yields more than six; the rest is margin. */
#define POLICY_MAX_ACTIONS 12

struct actions {
	size_t n;
	struct action list[POLICY_MAX_ACTIONS];
};

/* What the summary line at exit tells. */
struct policy_summary {
	bool paused;          /* no workload ever ran */
	int last_status;      /* the last run's wait status */
	unsigned long orphans_reaped;
	unsigned long restarts;
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
	STAGE_KILL_SENT, /* SIGKILL, again every second, until the give-up */
	STAGE_WAIT_OTHERS, /* a stopping pause process lets the pod's other
			    * processes end themselves, for the grace */
};

/* Read and written by policy.c alone; here so that it can be allocated. */
struct policy {
	const struct config *cfg;
	bool namespace_init;   /* PID 1 of its namespace */
	enum phase phase;
	enum cleanup_stage stage;
	pid_t workload;        /* its pid, also its process group; 0 if none */
	int last_status;       /* wait status of the last run */
	bool suspended;        /* stopped with its job, waiting for SIGCONT */
	bool stopping;         /* no more restarts */
	bool timed_out;
	unsigned long restarts;
	unsigned failures;     /* consecutive short runs, for the back-off */
	uint64_t run_started;
	uint64_t timeout_at, grace_at, rekill_at, give_up_at, restart_at, look_at;
	uint64_t armed;        /* the deadline last named to the loop */
	unsigned long orphans_reaped;
};

/* namespace_init: reaper is PID 1 of its PID namespace. */
void policy_init(struct policy *p, const struct config *cfg,
		 bool namespace_init);

/* The workload (re)started as pid at now; pid 0: reaper started in pause
 * mode, with no workload. */
void policy_started(struct policy *p, pid_t pid, uint64_t now,
		    struct actions *out);

/* A signal reaper received, other than SIGCHLD. own: reaper raised it on
 * itself (the SIGPIPE of a log line to a closed pipe, the SIGHUP and
 * SIGCONT of letting go of its terminal); such a signal is nobody's to
 * forward. */
void policy_on_signal(struct policy *p, int sig, bool own, uint64_t now,
		      struct actions *out);

/* waitpid returned pid with wstatus. */
void policy_on_reaped(struct policy *p, pid_t pid, int wstatus, uint64_t now,
		      struct actions *out);

/* waitpid reported pid stopped by stopsig. in_job: reaper is a shell's
 * job, which the shell can continue (tty.h). */
void policy_on_stopped(struct policy *p, pid_t pid, int stopsig, bool in_job,
		       uint64_t now, struct actions *out);

/* waitpid has nothing more to report; children_left says whether any
 * child, and so any descendant, is still alive. */
void policy_on_drained(struct policy *p, bool children_left, uint64_t now,
		       struct actions *out);

/* What ACT_LOOK_AROUND found: whether any process but reaper is left in
 * its namespace. */
void policy_on_others(struct policy *p, bool others_left, uint64_t now,
		      struct actions *out);

/* Whether the policy needs to hear, after any event, if children are
 * left: the workload has ended and its descendants are being waited for. */
bool policy_awaits_drain(const struct policy *p);

/* The timer fired (for this policy's deadline, or the loop's own). */
void policy_on_timer(struct policy *p, uint64_t now, struct actions *out);

/* The next moment the policy must be told of: the earliest deadline it
 * would act on, or 0 when none. */
uint64_t policy_next_deadline(const struct policy *p);

/* For the summary line. */
void policy_summary(const struct policy *p, struct policy_summary *out);

/* The delay before restart number attempt (0 for the first). */
uint64_t policy_backoff(const struct config *cfg, unsigned attempt);

/* The exit code for a workload that ended with wstatus: its code, or
 * 128+N when killed by signal N; then -e remapping, as tini does. */
int policy_exit_code(const struct config *cfg, int wstatus);

/* "exit 3" or "killed by SIGSEGV", for logs. */
const char *policy_describe(int wstatus, char *buf, size_t len);

#endif
