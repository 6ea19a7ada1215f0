#include "report.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "signals.h"

/* Enough to find the daemon that leaked; the rest are counted. */
#define MAX_NAMED 20

void report_count(unsigned long *count, unsigned long n)
{
	*count = *count == ULONG_MAX || n == ULONG_MAX ? ULONG_MAX : *count + n;
}

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

	policy_describe(a->wstatus, how, sizeof how);
	if (a->kind == ACT_REPORT_ORPHAN)
		log_warn("reaped orphan %d (%s)", (int)a->pid, how);
	else
		log_warn("workload ended (%s); restart %lu in %llums", how,
			 a->count, (unsigned long long)(a->delay_us / 1000));
}

static const char *count_text(unsigned long n, char *buf, size_t len)
{
	if (n == ULONG_MAX)
		return "unknown";
	snprintf(buf, len, "%lu", n);
	return buf;
}

void report_summary(const struct summary *s, uint64_t now, int code)
{
	uint64_t ms = (now - s->started_at) / 1000;
	char status[32] = "", terminated[24], killed[24];

	if (!log_enabled(LOG_INFO))
		return;
	if (!s->paused)
		policy_describe(s->last_status, status, sizeof status);
	log_info("%s%s%s after %llu.%03llus; orphans reaped: %lu; descendants "
		 "terminated at the end: %s, killed: %s; exiting %d",
		 s->paused ? "paused" : "the workload ended (", status,
		 s->paused ? "" : ")", (unsigned long long)(ms / 1000),
		 (unsigned long long)(ms % 1000), s->orphans_reaped,
		 count_text(s->terminated, terminated, sizeof terminated),
		 count_text(s->killed, killed, sizeof killed), code);
}

void report_name(struct report_names *names, pid_t pid, const char *name)
{
	char one[48];
	int len;

	if (!log_enabled(LOG_INFO))
		return;
	len = snprintf(one, sizeof one, "%s%d (%s)", names->listed ? ", " : "",
		       (int)pid, name);
	if (len > 0 && names->len + (size_t)len < sizeof names->text) {
		memcpy(names->text + names->len, one, (size_t)len + 1);
		names->len += (size_t)len;
		names->listed++;
	} else {
		names->more++;
	}
}

void report_round(int sig, unsigned long reached,
		  const struct report_names *names, const char *scope)
{
	char name[32], what[64];
	const char *s = reached == 1 ? "" : "s";

	if (!log_enabled(LOG_INFO) || reached == 0)
		return;
	if (reached == ULONG_MAX)
		snprintf(what, sizeof what, "sending %s",
			 signal_name(sig, name, sizeof name));
	else if (sig == SIGKILL)
		snprintf(what, sizeof what, "killing %lu leftover%s", reached, s);
	else if (sig == SIGTERM)
		snprintf(what, sizeof what, "terminating %lu leftover%s", reached, s);
	else
		snprintf(what, sizeof what, "sending %s to %lu leftover%s",
			 signal_name(sig, name, sizeof name), reached, s);
	if (names->listed == 0 && reached == ULONG_MAX)
		log_info("%s to %s", what, scope);
	else if (names->listed == 0)
		log_info("%s: %s", what, scope);
	else if (names->more == 0)
		log_info("%s: %s", what, names->text);
	else
		log_info("%s: %s, and %lu more", what, names->text, names->more);
}

void report_left(pid_t pid, const char *name, int err, unsigned long index)
{
	if (index < MAX_NAMED)
		log_warn("giving up on %d (%s): %s", (int)pid, name,
			 err != 0 ? strerror(err) : "still running after SIGKILL");
}

void report_left_total(unsigned long n)
{
	if (n > MAX_NAMED)
		log_warn("giving up on %lu more", n - MAX_NAMED);
}
