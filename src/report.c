#include "report.h"

#include <string.h>

#include "log.h"
#include "signals.h"

void report_forward(int sig, pid_t target, int err)
{
	char name[32];

	if (err == 0 && log_enabled(LOG_DEBUG))
		log_debug("forwarding %s to %d",
			  signal_name(sig, name, sizeof name), (int)target);
	else if (err != 0)
		log_warn("forwarding %s to %d: %s",
			 signal_name(sig, name, sizeof name), (int)target,
			 strerror(err));
}

void report_action(const struct action *a)
{
	char how[48];

	policy_describe(a->status, how, sizeof how);
	if (a->kind == ACT_REPORT_ORPHAN)
		log_warn("reaped orphan %d (%s)", (int)a->target, how);
	else
		log_warn("workload ended (%s); restart %lu in %llums", how,
			 a->count, (unsigned long long)(a->at / 1000));
}

void report_summary(const struct policy_summary *s, uint64_t ran_us,
		    unsigned long terminated, unsigned long killed, int code)
{
	uint64_t ms = ran_us / 1000;
	char status[32] = "";

	if (!log_enabled(LOG_INFO))
		return;
	if (!s->paused)
		policy_describe(s->last_status, status, sizeof status);
	log_info("%s%s%s after %llu.%03llus; orphans reaped: %lu; descendants "
		 "terminated at the end: %lu, killed: %lu; exiting %d",
		 s->paused ? "paused" : "the workload ended (", status,
		 s->paused ? "" : ")", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000), s->orphans_reaped, terminated,
		 killed, code);
}
