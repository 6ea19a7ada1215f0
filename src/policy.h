/* The supervisor's decisions: given one event and the time, the actions
 * to take. Pure: no system calls, so every rule is unit-tested without
 * forking. Times are microseconds on the monotonic clock (clock.h).
 *
 * The policy knows no pid: the loop, which owns the workload, tells it
 * whether a child was the workload, and carries out "forward to the
 * workload" itself. Every handler ends by acting on whatever deadline
 * has passed, so policy_next_deadline is never a moment already gone;
 * the loop asks it before each wait. */
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
	ACT_FORWARD,          /* sig to the workload, or its group */
	ACT_SIGNAL_TREE,      /* sig to every descendant (only_new: to those
			       * not sent it yet in this cleanup) */
	ACT_SPAWN,            /* start the workload again: answer with
			       * policy_started or policy_on_start_failed */
	ACT_REPORT_ORPHAN,    /* log that pid was reaped, with wstatus */
	ACT_REPORT_RESTART,   /* log restart number count: the last run's
			       * wstatus, the delay */
	ACT_SUSPEND,          /* stop reaper itself, as its job was stopped */
	ACT_FOREGROUND,       /* give the terminal to the workload's group,
			       * if reaper's group holds it */
	ACT_RECLAIM_TERMINAL, /* the workload's group is over: if it holds
			       * the terminal, reaper's group takes it back */
	ACT_REPORT_LEFTOVERS, /* name the descendants the cleanup gives up on */
	ACT_COUNT_OTHERS,     /* whether the namespace holds other processes:
			       * answer with policy_on_others */
	ACT_EXIT,             /* exit reaper with exit_code */
};

struct action {
	enum action_kind kind;
	int sig;
	bool to_group;       /* ACT_FORWARD */
	bool only_new;       /* ACT_SIGNAL_TREE */
	pid_t pid;           /* ACT_REPORT_ORPHAN */
	int wstatus;         /* ACT_REPORT_ORPHAN, ACT_REPORT_RESTART */
	uint64_t delay_us;   /* ACT_REPORT_RESTART */
	unsigned long count; /* ACT_REPORT_RESTART */
	int exit_code;       /* ACT_EXIT; with wstatus, the last run's */
};

/* No event yields more than six; the rest is margin. */
#define POLICY_MAX_ACTIONS 12

struct actions {
	size_t n;
	struct action list[POLICY_MAX_ACTIONS];
};

enum policy_state {
	ST_STARTING,  /* the workload is being started */
	ST_RUNNING,   /* it runs */
	ST_SUSPENDED, /* it stopped as a shell's job, and reaper with it */
	ST_PAUSED,    /* --pause: no workload; reaping until told to stop */
	ST_ENDED,     /* the run is over: are descendants left? */
	ST_GRACE,     /* the graceful signal went out; the grace runs */
	ST_KILLING,   /* SIGKILL went out, again each second, until the
		       * give-up */
	ST_OTHERS,    /* a stopping pause as PID 1: the pod's other
		       * processes end their own way, for the grace */
	ST_BACKOFF,   /* waiting to start the workload again */
	ST_DONE,
};

enum stop_reason {
	STOP_NONE,
	STOP_ASKED,     /* a stop signal, or the workload died of one
			 * forwarded to it: no more restarts */
	STOP_TIMED_OUT, /* --timeout: no more restarts, exit 124 */
};

/* Read and written by policy.c alone; here so that it can be allocated. */
struct policy {
	const struct config *cfg;
	bool namespace_init;   /* PID 1 of its namespace */
	enum policy_state state;
	enum stop_reason stop;
	bool workload_alive;   /* a --timeout's cleanup starts with it */
	int last_status;       /* wait status of the last run */
	uint64_t forwarded;    /* bit N-1: signal N forwarded in this run */
	bool reaped_in_grace;  /* a descendant ended since the last walk */
	int grace_signal;      /* what the cleanup sent first */
	unsigned long restarts;
	unsigned failures;     /* consecutive short runs, for the back-off */
	uint64_t run_started;
	uint64_t timeout_at, grace_at, rekill_at, give_up_at, restart_at, look_at;
};

/* namespace_init: reaper is PID 1 of its PID namespace. */
void policy_init(struct policy *p, const struct config *cfg,
		 bool namespace_init);

/* The workload started at now, or, with --pause, reaper began to wait. */
void policy_started(struct policy *p, uint64_t now, struct actions *out);

/* A restart could not start the workload: code is what reaper would
 * exit with (125: fork failed; 126, 127: exec did). It counts as a run
 * that failed at once. */
void policy_on_start_failed(struct policy *p, int code, uint64_t now,
			    struct actions *out);

/* A signal reaper received, other than SIGCHLD. own: reaper raised it on
 * itself (the SIGPIPE of a log line to a closed pipe, the SIGHUP and
 * SIGCONT of letting go of its terminal); such a signal is nobody's to
 * forward. */
void policy_on_signal(struct policy *p, int sig, bool own, uint64_t now,
		      struct actions *out);

/* waitpid returned pid with wstatus; workload: pid was the workload. */
void policy_on_reaped(struct policy *p, pid_t pid, bool workload, int wstatus,
		      uint64_t now, struct actions *out);

/* waitpid reported the workload stopped by stopsig. in_job: reaper is a
 * shell's job, which the shell can continue (tty.h). */
void policy_on_stopped(struct policy *p, int stopsig, bool in_job,
		       uint64_t now, struct actions *out);

/* A sweep found nothing more to reap; children_left says whether any
 * child, and so any descendant, is still alive. */
void policy_on_swept(struct policy *p, bool children_left, uint64_t now,
		     struct actions *out);

/* What ACT_COUNT_OTHERS found: whether any process but reaper is left in
 * its namespace. */
void policy_on_others(struct policy *p, bool others_left, uint64_t now,
		      struct actions *out);

/* The time came for policy_next_deadline. */
void policy_on_timer(struct policy *p, uint64_t now, struct actions *out);

/* Whether the policy must hear, after every event, if children are left:
 * the run is over and its descendants are being ended. */
bool policy_awaits_sweep(const struct policy *p);

/* The next moment the policy must be told of, or DEADLINE_NEVER. */
uint64_t policy_next_deadline(const struct policy *p);

/* The delay before restart number attempt (0 for the first). */
uint64_t policy_backoff(const struct config *cfg, unsigned attempt);

/* The exit code for a workload that ended with wstatus: its code, or
 * 128+N when killed by signal N; then -e remapping, as tini does. */
int policy_exit_code(const struct config *cfg, int wstatus);

/* "exit 3" or "killed by SIGSEGV", for logs. */
const char *policy_describe(int wstatus, char *buf, size_t len);

#endif
