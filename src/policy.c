#include "policy.h"

#include <stdio.h>
#include <sys/wait.h>

#include "signals.h"

static void emit(struct actions *out, enum action_kind kind, int sig,
		 pid_t target, int status)
{
	out->list[out->n++] = (struct action){kind, sig, target, status};
}

void policy_init(struct policy *p, const struct config *cfg, pid_t workload)
{
	*p = (struct policy){.cfg = cfg, .workload = workload};
}

void policy_on_signal(struct policy *p, int sig, struct actions *out)
{
	out->n = 0;
	if (p->workload_reaped)
		return;
	emit(out, ACT_FORWARD, sig,
	     p->cfg->kill_group ? -p->workload : p->workload, 0);
}

void policy_on_reaped(struct policy *p, pid_t pid, int wstatus,
		      struct actions *out)
{
	out->n = 0;
	if (pid != p->workload || p->workload_reaped) {
		p->orphans_reaped++;
		if (p->cfg->warn_on_reap)
			emit(out, ACT_REPORT_ORPHAN, 0, pid, wstatus);
		return;
	}
	p->workload_reaped = true;
	emit(out, ACT_EXIT, 0, 0, policy_exit_code(p->cfg, wstatus));
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
	char name[24];

	if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by %s",
			 signal_name(WTERMSIG(wstatus), name, sizeof name));
	else
		snprintf(buf, len, "exit %d", WEXITSTATUS(wstatus));
	return buf;
}
