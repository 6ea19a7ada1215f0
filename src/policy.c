#include "policy.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "clock.h"
#include "signals.h"

static void emit(struct actions *out, struct action a)
{
	/* Each handler emits a handful; running out is a bug in this file. */
	if (out->n == POLICY_MAX_ACTIONS)
		abort();
	out->list[out->n++] = a;
}

/* A run that already ended keeps its status: the timeout does not act
 * during its cleanup, only while a run goes on or a restart waits. */
static bool timeout_pending(const struct policy *p)
{
	switch (p->state) {
	case ST_RUNNING:
	case ST_SUSPENDED:
	case ST_PAUSED:
	case ST_BACKOFF:
		return true;
	default:
		return false;
	}
}

/* The one list of what the policy waits for, and until when: the loop's
 * timer is set from it, and act_on_due acts on the same deadlines. */
uint64_t policy_next_deadline(const struct policy *p)
{
	uint64_t next = timeout_pending(p) ? p->timeout_at : DEADLINE_NEVER;

	switch (p->state) {
	case ST_GRACE:
		return deadline_earliest(next, p->grace_at);
	case ST_KILLING:
		return deadline_earliest(next, deadline_earliest(p->rekill_at,
								 p->give_up_at));
	case ST_OTHERS:
		return deadline_earliest(p->grace_at, p->look_at);
	case ST_BACKOFF:
		return deadline_earliest(next, p->restart_at);
	default:
		return next;
	}
}

void policy_init(struct policy *p, const struct config *cfg,
		 bool namespace_init)
{
	*p = (struct policy){.cfg = cfg, .namespace_init = namespace_init,
			     .timeout_at = DEADLINE_NEVER};
}

uint64_t policy_backoff(const struct config *cfg, unsigned attempt)
{
	uint64_t d = cfg->backoff_min_us, max = cfg->backoff_max_us;

	for (unsigned i = 0; i < attempt && d < max; i++)
		d = d > max / 2 ? max : d * 2;
	return d < max ? d : max;
}

static bool wants_restart(const struct policy *p)
{
	const struct config *c = p->cfg;
	bool failed = !(WIFEXITED(p->last_status) &&
			WEXITSTATUS(p->last_status) == 0);

	if (p->stop != STOP_NONE || c->pause || p->restarts >= c->max_restarts)
		return false;
	return c->restart == RESTART_ALWAYS ||
	       (c->restart == RESTART_ON_FAILURE && failed);
}

static int final_code(const struct policy *p)
{
	if (p->stop == STOP_TIMED_OUT)
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

	/* A run whose end comes past the timeout keeps its status, but is
	 * not restarted: the timeout ends it all, as in the back-off. */
	if (wants_restart(p) && now >= p->timeout_at) {
		p->timeout_at = DEADLINE_NEVER;
		p->stop = STOP_TIMED_OUT;
	}
	if (!wants_restart(p)) {
		p->state = ST_DONE;
		emit(out, (struct action){.kind = ACT_EXIT,
					  .exit_code = final_code(p),
					  .wstatus = p->last_status});
		return;
	}
	if (now - p->run_started > p->cfg->backoff_max_us)
		p->failures = 0;
	delay = policy_backoff(p->cfg, p->failures++);
	p->restarts++;
	p->restart_at = deadline_after(now, delay);
	p->state = ST_BACKOFF;
	emit(out, (struct action){.kind = ACT_REPORT_RESTART,
				  .wstatus = p->last_status, .delay_us = delay,
				  .count = p->restarts});
}

static void signal_tree(struct actions *out, int sig, bool only_new)
{
	emit(out, (struct action){.kind = ACT_SIGNAL_TREE, .sig = sig,
				  .only_new = only_new});
}

static void kill_tree(struct policy *p, uint64_t now, struct actions *out)
{
	signal_tree(out, SIGKILL, false);
	p->state = ST_KILLING;
	p->rekill_at = deadline_after(now, POLICY_REKILL_US);
	p->give_up_at = deadline_after(now, POLICY_KILL_PHASE_US);
}

static void kill_again(struct policy *p, uint64_t now, struct actions *out)
{
	signal_tree(out, SIGKILL, false);
	p->rekill_at = deadline_after(now, POLICY_REKILL_US);
}

/* What SIGKILL has not ended by now, it will not: reaper may not signal
 * it, or cannot find it. */
static void give_up(struct policy *p, uint64_t now, struct actions *out)
{
	emit(out, (struct action){.kind = ACT_REPORT_LEFTOVERS});
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
	signal_tree(out, sig, false);
	p->state = ST_GRACE;
	p->grace_signal = sig;
	p->reaped_in_grace = false;
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
	p->state = ST_OTHERS;
	p->grace_at = deadline_after(now, p->cfg->grace_us);
	p->look_at = now;
}

static void time_out(struct policy *p, uint64_t now, struct actions *out)
{
	p->timeout_at = DEADLINE_NEVER;
	p->stop = STOP_TIMED_OUT;
	if (p->state == ST_BACKOFF)
		finish(p, now, out);
	else
		end_tree(p, p->cfg->timeout_signal, now, out);
}

/* Acts on every deadline that has passed; each action moves its deadline
 * into the future or drops it. The timeout comes first: a restart due at
 * the same moment is not made. */
static void act_on_due(struct policy *p, uint64_t now, struct actions *out)
{
	if (timeout_pending(p) && now >= p->timeout_at)
		time_out(p, now, out);
	switch (p->state) {
	case ST_OTHERS:
		if (now >= p->grace_at) {
			kill_tree(p, now, out);
		} else if (now >= p->look_at) {
			/* Asked: the next look is timed from the answer. */
			p->look_at = DEADLINE_NEVER;
			emit(out, (struct action){.kind = ACT_COUNT_OTHERS});
		}
		break;
	case ST_GRACE:
		if (now >= p->grace_at)
			kill_tree(p, now, out);
		break;
	case ST_KILLING:
		if (now >= p->give_up_at)
			give_up(p, now, out);
		else if (now >= p->rekill_at)
			kill_again(p, now, out);
		break;
	case ST_BACKOFF:
		if (now >= p->restart_at) {
			p->state = ST_STARTING;
			emit(out, (struct action){.kind = ACT_SPAWN});
		}
		break;
	default:
		break;
	}
}

/* Every handler ends here: nothing due is left undone. */
static void after_event(struct policy *p, uint64_t now, struct actions *out)
{
	while (policy_next_deadline(p) <= now)
		act_on_due(p, now, out);
}

void policy_started(struct policy *p, uint64_t now, struct actions *out)
{
	out->n = 0;
	if (p->restarts == 0 && p->cfg->timeout_us != 0)
		p->timeout_at = deadline_after(now, p->cfg->timeout_us);
	p->state = p->cfg->pause ? ST_PAUSED : ST_RUNNING;
	p->workload_alive = !p->cfg->pause;
	p->forwarded = 0;
	p->run_started = now;
	after_event(p, now, out);
}

void policy_on_start_failed(struct policy *p, int code, uint64_t now,
			    struct actions *out)
{
	out->n = 0;
	p->last_status = (code & 0xff) << 8;
	p->run_started = now;
	finish(p, now, out);
	after_event(p, now, out);
}

/* The signals that mean "stop": they end restarts. */
static bool is_stop_signal(const struct policy *p, int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT ||
	       sig == p->cfg->timeout_signal;
}

/* A second Ctrl-C, or a second SIGTERM, cuts the cleanup short. */
static bool is_impatient(int sig)
{
	return sig == SIGTERM || sig == SIGINT;
}

static uint64_t sig_bit(int sig)
{
	return (uint64_t)1 << (sig - 1);
}

static void forward(struct policy *p, int sig, struct actions *out)
{
	int to = sig < CONFIG_NSIG ? p->cfg->rewrite[sig] : sig;

	if (to == 0)
		return;
	p->forwarded |= sig_bit(to);
	emit(out, (struct action){.kind = ACT_FORWARD, .sig = to,
				  .to_group = p->cfg->kill_group});
}

static void stop_pausing(struct policy *p, uint64_t now, struct actions *out)
{
	p->last_status = 0;
	if (p->namespace_init && p->cfg->cleanup)
		wait_for_others(p, now, out);
	else
		p->state = ST_ENDED;
}

static void react(struct policy *p, int sig, uint64_t now, struct actions *out)
{
	if (is_stop_signal(p, sig) && p->stop == STOP_NONE)
		p->stop = STOP_ASKED;
	switch (p->state) {
	case ST_SUSPENDED:
		if (sig != SIGCONT) {
			forward(p, sig, out);
			break;
		}
		/* fg (or bg) resumed reaper: the whole stopped job goes on,
		 * in the foreground if the shell handed reaper the terminal. */
		p->state = ST_RUNNING;
		emit(out, (struct action){.kind = ACT_FOREGROUND});
		emit(out, (struct action){.kind = ACT_FORWARD, .sig = SIGCONT,
					  .to_group = true});
		break;
	case ST_RUNNING:
		forward(p, sig, out);
		break;
	case ST_PAUSED:
		if (is_impatient(sig))
			stop_pausing(p, now, out);
		break;
	case ST_GRACE:
		if (is_impatient(sig))
			kill_tree(p, now, out);
		else
			forward(p, sig, out);
		break;
	case ST_KILLING:
		if (is_impatient(sig))
			give_up(p, now, out);
		else
			forward(p, sig, out);
		break;
	case ST_BACKOFF:
		if (p->stop != STOP_NONE)
			finish(p, now, out);
		break;
	default:
		break;
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

static void workload_ended(struct policy *p, int wstatus, struct actions *out)
{
	p->last_status = wstatus;
	p->workload_alive = false;
	if (WIFSIGNALED(wstatus) && (p->forwarded & sig_bit(WTERMSIG(wstatus))) &&
	    p->stop == STOP_NONE)
		p->stop = STOP_ASKED;
	if (p->state == ST_RUNNING || p->state == ST_SUSPENDED)
		p->state = ST_ENDED;
	emit(out, (struct action){.kind = ACT_RECLAIM_TERMINAL});
}

void policy_on_reaped(struct policy *p, pid_t pid, bool workload, int wstatus,
		      uint64_t now, struct actions *out)
{
	out->n = 0;
	if (workload) {
		workload_ended(p, wstatus, out);
	} else {
		p->reaped_in_grace |= p->state == ST_GRACE;
		if (p->cfg->warn_on_reap)
			emit(out, (struct action){.kind = ACT_REPORT_ORPHAN,
						  .pid = pid, .wstatus = wstatus});
	}
	after_event(p, now, out);
}

static bool is_terminal_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void policy_on_stopped(struct policy *p, int stopsig, bool in_job,
		       uint64_t now, struct actions *out)
{
	out->n = 0;
	/* With --setsid the workload is no job of reaper's terminal. */
	if (p->state == ST_RUNNING && !p->cfg->setsid) {
		if (in_job) {
			/* The shell waits on reaper: reaper stops too, so that
			 * its job shows stopped, and fg or bg resumes both. */
			p->state = ST_SUSPENDED;
			emit(out, (struct action){.kind = ACT_SUSPEND});
		} else if (is_terminal_stop(stopsig)) {
			/* Without reaper, the workload's group would have been
			 * orphaned, and the kernel would have ignored this
			 * stop; no one would ever continue it. */
			emit(out, (struct action){.kind = ACT_FORWARD,
						  .sig = SIGCONT,
						  .to_group = true});
		}
	}
	after_event(p, now, out);
}

/* A descendant whose parent died during the grace came to reaper: it has
 * had no graceful signal yet, and gets one now. */
static void sweep_in_grace(struct policy *p, struct actions *out)
{
	if (!p->reaped_in_grace)
		return;
	p->reaped_in_grace = false;
	signal_tree(out, p->grace_signal, true);
}

void policy_on_swept(struct policy *p, bool children_left, uint64_t now,
		     struct actions *out)
{
	out->n = 0;
	if (policy_awaits_sweep(p) && (!children_left || !p->cfg->cleanup))
		finish(p, now, out);
	else if (p->state == ST_ENDED)
		end_tree(p, SIGTERM, now, out);
	else if (p->state == ST_GRACE)
		sweep_in_grace(p, out);
	after_event(p, now, out);
}

void policy_on_others(struct policy *p, bool others_left, uint64_t now,
		      struct actions *out)
{
	out->n = 0;
	if (p->state == ST_OTHERS && !others_left)
		finish(p, now, out);
	else if (p->state == ST_OTHERS)
		p->look_at = deadline_after(now, POLICY_LOOK_US);
	after_event(p, now, out);
}

bool policy_awaits_sweep(const struct policy *p)
{
	return (p->state == ST_ENDED || p->state == ST_GRACE ||
		p->state == ST_KILLING) && !p->workload_alive;
}

void policy_on_timer(struct policy *p, uint64_t now, struct actions *out)
{
	out->n = 0;
	after_event(p, now, out);
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
