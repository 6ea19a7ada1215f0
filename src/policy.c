#include "policy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "clock.h"
#include "signals.h"

static void emit(struct actions *out, enum action_kind kind, int sig,
		 pid_t target, int status, uint64_t at)
{
	/* Each handler emits a handful; running out is a bug in this file. */
	if (out->n == POLICY_MAX_ACTIONS)
		abort();
	out->list[out->n++] = (struct action){kind, sig, target, status, at, 0};
}

/* The one list of what the policy waits for, and until when: the timer
 * is set from it, and act_on_due acts on the same conditions. */
static bool timeout_pending(const struct policy *p)
{
	/* A run that already ended keeps its status: the deadline waits
	 * through its cleanup, and counts again in the back-off. */
	return p->timeout_at != 0 && !p->timed_out &&
	       (p->phase == PHASE_RUNNING || p->phase == PHASE_BACKOFF);
}

uint64_t policy_next_deadline(const struct policy *p)
{
	uint64_t next = timeout_pending(p) ? p->timeout_at : 0;

	if (p->stage == STAGE_TERM_SENT)
		next = deadline_earliest(next, p->grace_at);
	if (p->stage == STAGE_KILL_SENT)
		next = deadline_earliest(next, deadline_earliest(p->rekill_at,
								 p->give_up_at));
	if (p->stage == STAGE_WAIT_OTHERS)
		next = deadline_earliest(next, deadline_earliest(p->grace_at,
								 p->look_at));
	if (p->phase == PHASE_BACKOFF)
		next = deadline_earliest(next, p->restart_at);
	return next;
}

void policy_init(struct policy *p, const struct config *cfg,
		 bool namespace_init)
{
	*p = (struct policy){.cfg = cfg, .namespace_init = namespace_init};
}

uint64_t policy_backoff(const struct config *cfg, unsigned attempt)
{
	uint64_t d = cfg->backoff_min_us;

	for (unsigned i = 0; i < attempt && d < cfg->backoff_max_us; i++)
		d *= 2;
	return d < cfg->backoff_max_us ? d : cfg->backoff_max_us;
}

static bool wants_restart(const struct policy *p)
{
	const struct config *c = p->cfg;
	bool failed = !(WIFEXITED(p->last_status) &&
			WEXITSTATUS(p->last_status) == 0);

	if (p->stopping || p->timed_out || c->pause || p->restarts >= c->max_restarts)
		return false;
	return c->restart == RESTART_ALWAYS ||
	       (c->restart == RESTART_ON_FAILURE && failed);
}

static int final_code(const struct policy *p)
{
	if (p->timed_out)
		return 124;
	if (p->cfg->pause)
		return 0;
	return policy_exit_code(p->cfg, p->last_status);
}

/* The run is over, and what is left of it ended or given up on: restart
 * or exit. */
static void finish(struct policy *p, uint64_t now, struct actions *out)
{
	uint64_t delay;

	p->stage = STAGE_NONE;
	if (!wants_restart(p)) {
		p->phase = PHASE_DONE;
		emit(out, ACT_EXIT, 0, 0, final_code(p), 0);
		return;
	}
	if (now - p->run_started > p->cfg->backoff_max_us)
		p->failures = 0;
	delay = policy_backoff(p->cfg, p->failures++);
	p->restarts++;
	p->restart_at = deadline_after(now, delay);
	p->phase = PHASE_BACKOFF;
	emit(out, ACT_REPORT_RESTART, 0, 0, p->last_status, delay);
	out->list[out->n - 1].count = p->restarts;
}

static void emit_tree_signal(const struct policy *p, int sig,
			     struct actions *out)
{
	emit(out, ACT_SIGNAL_TREE, sig, p->workload, 0, 0);
}

static void kill_tree(struct policy *p, uint64_t now, struct actions *out)
{
	emit_tree_signal(p, SIGKILL, out);
	p->stage = STAGE_KILL_SENT;
	p->rekill_at = deadline_after(now, POLICY_REKILL_US);
	p->give_up_at = deadline_after(now, POLICY_KILL_PHASE_US);
}

static void kill_again(struct policy *p, uint64_t now, struct actions *out)
{
	emit_tree_signal(p, SIGKILL, out);
	p->rekill_at = deadline_after(now, POLICY_REKILL_US);
}

/* What SIGKILL has not ended by now, it will not: reaper may not signal
 * it, or cannot find it. */
static void give_up(struct policy *p, uint64_t now, struct actions *out)
{
	emit(out, ACT_GIVE_UP, 0, p->workload, 0, 0);
	finish(p, now, out);
}

/* sig now, SIGKILL when the grace is over (at once with no grace). */
static void end_tree(struct policy *p, int sig, uint64_t now,
		     struct actions *out)
{
	if (p->cfg->grace_us == 0) {
		kill_tree(p, now, out);
		return;
	}
	emit_tree_signal(p, sig, out);
	p->stage = STAGE_TERM_SENT;
	p->grace_at = deadline_after(now, p->cfg->grace_us);
}

/* A pod's pause process, told to stop: the engine stops each container of
 * the pod too, and they share its namespace, which ends with it. It waits
 * for them to end their own way, then SIGKILLs what is left. */
static void wait_for_others(struct policy *p, uint64_t now, struct actions *out)
{
	if (p->cfg->grace_us == 0) {
		kill_tree(p, now, out);
		return;
	}
	p->stage = STAGE_WAIT_OTHERS;
	p->grace_at = deadline_after(now, p->cfg->grace_us);
	p->look_at = now;
}

static void time_out(struct policy *p, uint64_t now, struct actions *out)
{
	p->timed_out = true;
	p->stopping = true;
	if (p->cfg->pause)
		p->phase = PHASE_ENDED;
	if (p->phase == PHASE_BACKOFF)
		finish(p, now, out);
	else if (p->stage == STAGE_NONE)
		end_tree(p, p->cfg->timeout_signal, now, out);
}

/* Acts on every deadline that has passed; each action moves its deadline
 * into the future or drops it. */
static void act_on_due(struct policy *p, uint64_t now, struct actions *out)
{
	if (timeout_pending(p) && now >= p->timeout_at)
		time_out(p, now, out);
	if ((p->stage == STAGE_TERM_SENT || p->stage == STAGE_WAIT_OTHERS) &&
	    now >= p->grace_at)
		kill_tree(p, now, out);
	if (p->stage == STAGE_WAIT_OTHERS && now >= p->look_at) {
		/* Asked: the next look is timed from the answer. */
		p->look_at = DEADLINE_NEVER;
		emit(out, ACT_LOOK_AROUND, 0, 0, 0, 0);
	}
	if (p->stage == STAGE_KILL_SENT && now >= p->give_up_at)
		give_up(p, now, out);
	else if (p->stage == STAGE_KILL_SENT && now >= p->rekill_at)
		kill_again(p, now, out);
	if (p->phase == PHASE_BACKOFF && now >= p->restart_at) {
		p->phase = PHASE_RUNNING;
		emit(out, ACT_SPAWN, 0, 0, 0, 0);
	}
}

/* Every handler ends here: nothing due is left undone, and the loop
 * hears of the next deadline when it changes. */
static void after_event(struct policy *p, uint64_t now, struct actions *out)
{
	uint64_t next;

	while ((next = policy_next_deadline(p)) != 0 && next <= now)
		act_on_due(p, now, out);
	if (next != p->armed) {
		p->armed = next;
		emit(out, ACT_ARM_TIMER, 0, 0, 0, next);
	}
}

void policy_started(struct policy *p, pid_t pid, uint64_t now,
		    struct actions *out)
{
	out->n = 0;
	if (p->timeout_at == 0 && p->cfg->timeout_us != 0)
		p->timeout_at = deadline_after(now, p->cfg->timeout_us);
	p->workload = pid;
	p->phase = PHASE_RUNNING;
	p->stage = STAGE_NONE;
	p->run_started = now;
	after_event(p, now, out);
}

static bool is_terminating(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

/* A second Ctrl-C, or a second SIGTERM, cuts the cleanup short. */
static bool is_impatient(int sig)
{
	return sig == SIGTERM || sig == SIGINT;
}

static void forward_to_workload(const struct policy *p, int sig,
				struct actions *out)
{
	int to = sig < CONFIG_NSIG ? p->cfg->rewrite[sig] : sig;

	if (to == 0 || p->workload == 0)
		return;
	emit(out, ACT_FORWARD, to,
	     p->cfg->kill_group ? -p->workload : p->workload, 0, 0);
}

static void react(struct policy *p, int sig, uint64_t now, struct actions *out)
{
	if (is_terminating(sig))
		p->stopping = true;
	if (sig == SIGCONT && p->suspended) {
		/* fg (or bg) resumed reaper: the whole stopped job goes on,
		 * in the foreground if the shell handed reaper the terminal. */
		p->suspended = false;
		emit(out, ACT_FOREGROUND, 0, p->workload, 0, 0);
		emit(out, ACT_FORWARD, SIGCONT, -p->workload, 0, 0);
	} else if (p->stage == STAGE_TERM_SENT && is_impatient(sig)) {
		kill_tree(p, now, out);
	} else if (p->stage == STAGE_KILL_SENT && is_impatient(sig)) {
		give_up(p, now, out);
	} else if (p->phase == PHASE_RUNNING && p->cfg->pause) {
		if (is_impatient(sig)) {
			p->phase = PHASE_ENDED;
			p->last_status = 0;
			if (p->namespace_init && p->cfg->cleanup)
				wait_for_others(p, now, out);
		}
	} else if (p->phase == PHASE_RUNNING) {
		forward_to_workload(p, sig, out);
	} else if (p->phase == PHASE_BACKOFF && p->stopping) {
		finish(p, now, out);
	}
}

void policy_on_signal(struct policy *p, int sig, bool own, uint64_t now,
		      struct actions *out)
{
	out->n = 0;
	if (!own)
		react(p, sig, now, out);
	after_event(p, now, out);
}

void policy_on_reaped(struct policy *p, pid_t pid, int wstatus, uint64_t now,
		      struct actions *out)
{
	out->n = 0;
	if (p->phase != PHASE_RUNNING || pid != p->workload || pid == 0) {
		p->orphans_reaped++;
		if (p->cfg->warn_on_reap)
			emit(out, ACT_REPORT_ORPHAN, 0, pid, wstatus, 0);
	} else {
		p->phase = PHASE_ENDED;
		p->last_status = wstatus;
		emit(out, ACT_RECLAIM_TERMINAL, 0, p->workload, 0, 0);
	}
	after_event(p, now, out);
}

static bool is_terminal_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void policy_on_stopped(struct policy *p, pid_t pid, int stopsig, bool in_job,
		       uint64_t now, struct actions *out)
{
	out->n = 0;
	/* With --setsid the workload is no job of reaper's terminal. */
	if (pid == p->workload && p->phase == PHASE_RUNNING && !p->cfg->setsid) {
		if (in_job) {
			/* The shell waits on reaper: reaper stops too, so that
			 * its job shows stopped, and fg or bg resumes both. */
			p->suspended = true;
			emit(out, ACT_SUSPEND, 0, 0, 0, 0);
		} else if (is_terminal_stop(stopsig)) {
			/* Without reaper, the workload's group would have been
			 * orphaned, and the kernel would have ignored this
			 * stop; no one would ever continue it. */
			emit(out, ACT_FORWARD, SIGCONT, -p->workload, 0, 0);
		}
	}
	after_event(p, now, out);
}

void policy_on_drained(struct policy *p, bool children_left, uint64_t now,
		       struct actions *out)
{
	out->n = 0;
	/* Waiting for the pod's others, reaper's children are some of them. */
	if (p->phase == PHASE_ENDED && p->stage != STAGE_WAIT_OTHERS) {
		if (!children_left || !p->cfg->cleanup)
			finish(p, now, out);
		else if (p->stage == STAGE_NONE)
			end_tree(p, SIGTERM, now, out);
	}
	after_event(p, now, out);
}

void policy_on_others(struct policy *p, bool others_left, uint64_t now,
		      struct actions *out)
{
	out->n = 0;
	if (p->stage == STAGE_WAIT_OTHERS && !others_left)
		finish(p, now, out);
	else if (p->stage == STAGE_WAIT_OTHERS)
		p->look_at = deadline_after(now, POLICY_LOOK_US);
	after_event(p, now, out);
}

bool policy_awaits_drain(const struct policy *p)
{
	return p->phase == PHASE_ENDED;
}

void policy_on_timer(struct policy *p, uint64_t now, struct actions *out)
{
	out->n = 0;
	after_event(p, now, out);
}

void policy_summary(const struct policy *p, struct policy_summary *out)
{
	*out = (struct policy_summary){
		.paused = p->cfg->pause,
		.last_status = p->last_status,
		.orphans_reaped = p->orphans_reaped,
		.restarts = p->restarts,
	};
}

int policy_exit_code(const struct config *cfg, int wstatus)
{
	int code = WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
					: WEXITSTATUS(wstatus);

	return config_remaps(cfg, code) ? 0 : code;
}

const char *policy_describe(int wstatus, char *buf, size_t len)
{
	if (WIFSIGNALED(wstatus)) {
		char name[24];
		snprintf(buf, len, "killed by %s",
			 signal_name(WTERMSIG(wstatus), name, sizeof name));
	} else {
		snprintf(buf, len, "exit %d", WEXITSTATUS(wstatus));
	}
	return buf;
}
