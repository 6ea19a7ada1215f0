#include "policy.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "signals.h"

/* While descendants resist SIGKILL's first sweep (they forked during it),
 * sweep again this often. */
#define REKILL_MS 1000

/* now + ms, held at the end of time rather than wrapped: --grace 1e9h
 * must mean "never", not "at once". */
static uint64_t after(uint64_t now, uint64_t ms)
{
	return ms > UINT64_MAX - now ? UINT64_MAX : now + ms;
}

static void emit(struct actions *out, enum action_kind kind, int sig,
		 pid_t target, int status, uint64_t at)
{
	out->list[out->n++] = (struct action){kind, sig, target, status, at};
}

static void signal_tree(struct actions *out, int sig)
{
	emit(out, ACT_SIGNAL_TREE, sig, 0, 0, 0);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return a == 0 ? b : b == 0 ? a : (a < b ? a : b);
}

/* Every handler ends here: the timer follows the earliest deadline. */
static void rearm(struct policy *p, struct actions *out)
{
	uint64_t next = p->timed_out ? 0 : p->timeout_at;

	if (p->stage == STAGE_TERM_SENT)
		next = earliest(next, p->grace_at);
	if (p->stage == STAGE_KILL_SENT)
		next = earliest(next, p->rekill_at);
	if (p->phase == PHASE_BACKOFF)
		next = earliest(next, p->restart_at);
	if (p->phase == PHASE_DONE)
		next = 0;
	if (next != p->armed) {
		p->armed = next;
		emit(out, ACT_ARM_TIMER, 0, 0, 0, next);
	}
}

void policy_init(struct policy *p, const struct config *cfg, bool interactive)
{
	/* With --setsid the workload is no job of the shell's terminal. */
	*p = (struct policy){.cfg = cfg,
			     .job_control = interactive && !cfg->setsid};
}

void policy_started(struct policy *p, pid_t pid, uint64_t now,
		    struct actions *out)
{
	out->n = 0;
	if (p->timeout_at == 0 && p->cfg->timeout_ms != 0)
		p->timeout_at = after(now, p->cfg->timeout_ms);
	p->workload = pid;
	p->phase = PHASE_RUNNING;
	p->stage = STAGE_NONE;
	p->run_started = now;
	rearm(p, out);
}

uint64_t policy_backoff(const struct config *cfg, unsigned attempt)
{
	uint64_t d = cfg->backoff_min_ms;

	for (unsigned i = 0; i < attempt && d < cfg->backoff_max_ms; i++)
		d *= 2;
	return d < cfg->backoff_max_ms ? d : cfg->backoff_max_ms;
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

/* The run is over and nothing of it is left: restart or exit. */
static void finish(struct policy *p, uint64_t now, struct actions *out)
{
	p->stage = STAGE_NONE;
	if (!wants_restart(p)) {
		p->phase = PHASE_DONE;
		emit(out, ACT_EXIT, 0, 0, final_code(p), 0);
		return;
	}
	if (now - p->run_started > p->cfg->backoff_max_ms)
		p->failures = 0;
	uint64_t delay = policy_backoff(p->cfg, p->failures++);
	p->restarts++;
	p->restart_at = after(now, delay);
	p->phase = PHASE_BACKOFF;
	emit(out, ACT_REPORT_RESTART, 0, 0, p->last_status, delay);
}

static void kill_tree(struct policy *p, uint64_t now, struct actions *out)
{
	signal_tree(out, SIGKILL);
	p->stage = STAGE_KILL_SENT;
	p->rekill_at = after(now, REKILL_MS);
}

/* SIGTERM now, SIGKILL when the grace is over (at once with no grace). */
static void end_tree(struct policy *p, int sig, uint64_t now,
		     struct actions *out)
{
	if (p->cfg->grace_ms == 0) {
		kill_tree(p, now, out);
		return;
	}
	signal_tree(out, sig);
	p->stage = STAGE_TERM_SENT;
	p->grace_at = after(now, p->cfg->grace_ms);
}

static bool is_terminating(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

static void forward(struct policy *p, int sig, struct actions *out)
{
	int to = sig < CONFIG_NSIG ? p->cfg->rewrite[sig] : sig;

	if (to == 0 || p->workload == 0)
		return;
	emit(out, ACT_FORWARD, to,
	     p->cfg->kill_group ? -p->workload : p->workload, 0, 0);
}

void policy_on_signal(struct policy *p, int sig, uint64_t now,
		      struct actions *out)
{
	bool hurry = sig == SIGTERM || sig == SIGINT;

	out->n = 0;
	if (is_terminating(sig))
		p->stopping = true;
	if (sig == SIGCONT && p->suspended) {
		/* fg (or bg) resumed reaper: the whole stopped job goes on,
		 * in the foreground if the shell handed reaper the terminal. */
		p->suspended = false;
		emit(out, ACT_FOREGROUND, 0, p->workload, 0, 0);
		emit(out, ACT_FORWARD, SIGCONT, -p->workload, 0, 0);
	} else if (p->stage == STAGE_TERM_SENT && hurry) {
		kill_tree(p, now, out); /* a second Ctrl-C skips the grace */
	} else if (p->phase == PHASE_RUNNING && p->cfg->pause) {
		if (hurry) {
			p->phase = PHASE_ENDED;
			p->last_status = 0;
		}
	} else if (p->phase == PHASE_RUNNING) {
		forward(p, sig, out);
	} else if (p->phase == PHASE_BACKOFF && p->stopping) {
		finish(p, now, out);
	}
	rearm(p, out);
}

void policy_on_reaped(struct policy *p, pid_t pid, int wstatus,
		      struct actions *out)
{
	out->n = 0;
	if (p->phase != PHASE_RUNNING || pid != p->workload || pid == 0) {
		p->orphans_reaped++;
		if (p->cfg->warn_on_reap)
			emit(out, ACT_REPORT_ORPHAN, 0, pid, wstatus, 0);
		return;
	}
	p->phase = PHASE_ENDED;
	p->last_status = wstatus;
}

void policy_on_stopped(struct policy *p, pid_t pid, struct actions *out)
{
	out->n = 0;
	if (!p->job_control || pid != p->workload || p->phase != PHASE_RUNNING)
		return;
	/* The terminal stopped the workload's group (Ctrl-Z): the shell
	 * waits on reaper, so reaper stops too and its job shows stopped. */
	p->suspended = true;
	emit(out, ACT_SUSPEND, 0, 0, 0, 0);
}

void policy_on_drained(struct policy *p, bool children_left, uint64_t now,
		       struct actions *out)
{
	out->n = 0;
	if (p->phase != PHASE_ENDED)
		return;
	if (!children_left || !p->cfg->cleanup)
		finish(p, now, out);
	else if (p->stage == STAGE_NONE)
		end_tree(p, SIGTERM, now, out);
	rearm(p, out);
}

bool policy_awaits_drain(const struct policy *p)
{
	return p->phase == PHASE_ENDED;
}

void policy_on_timer(struct policy *p, uint64_t now, struct actions *out)
{
	out->n = 0;
	/* Past the deadline, a run that already ended keeps its status. */
	if (p->timeout_at != 0 && now >= p->timeout_at && !p->timed_out &&
	    p->phase != PHASE_ENDED) {
		p->timed_out = true;
		p->stopping = true;
		if (p->cfg->pause)
			p->phase = PHASE_ENDED;
		if (p->phase == PHASE_BACKOFF)
			finish(p, now, out);
		else if (p->stage == STAGE_NONE)
			end_tree(p, p->cfg->timeout_signal, now, out);
	}
	/* The grace is over, or a SIGKILL sweep is due again. */
	if ((p->stage == STAGE_TERM_SENT && now >= p->grace_at) ||
	    (p->stage == STAGE_KILL_SENT && now >= p->rekill_at))
		kill_tree(p, now, out);
	if (p->phase == PHASE_BACKOFF && now >= p->restart_at) {
		p->phase = PHASE_RUNNING;
		emit(out, ACT_SPAWN, 0, 0, 0, 0);
	}
	rearm(p, out);
}

int policy_exit_code(const struct config *cfg, int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	if (config_remaps(cfg, WEXITSTATUS(wstatus)))
		return 0;
	return WEXITSTATUS(wstatus);
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
