#include "cleanup.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "report.h"
#include "syscalls.h"

void cleanup_free(struct cleanup *c)
{
	walk_seen_free(&c->sent);
}

/* Only once its parent was proven: through the pidfd; without one, or
 * when the pidfd call is refused, by pid once the start time matches.
 * Returns 0 or the errno. */
static int signal_node(struct cleanup *c, const struct walk_node *n, int sig)
{
	struct walk_node now;
	int err;

	if (n->fd >= 0) {
		if (sys_pidfd_send_signal(n->fd, sig, 0) == 0)
			return 0;
		if (errno == ESRCH)
			return ESRCH;
	}
	/* A stat that cannot be read is no proof of the process, nor of its
	 * end: it is reported, not taken for gone. */
	if ((err = procfs_stat(n->pid, &now)) != 0)
		return err;
	if (now.start != n->start)
		return ESRCH;
	if (kill(n->pid, sig) < 0)
		return errno;
	/* It was the pidfd call that was refused, not the signal. */
	if (n->fd >= 0 && !c->told_signal_refused) {
		log_info("pidfd_send_signal refused; signalling by pid, checked "
			 "against start times");
		c->told_signal_refused = true;
	}
	return 0;
}

/* What a signal to a group, or to all, does not itself do: SIGCONT
 * after it, so that a stopped process can act on it. */
static bool needs_cont(int sig)
{
	return sig != SIGKILL && sig != SIGCONT;
}

/* One round of the cleanup. */
struct round {
	struct cleanup *c;
	int sig;
	unsigned long reached;
	struct report_names names;
};

static void signal_visited(void *ctx, const struct walk_node *n)
{
	struct round *r = ctx;

	if (signal_node(r->c, n, r->sig) != 0)
		return;
	if (needs_cont(r->sig))
		(void)signal_node(r->c, n, SIGCONT);
	r->reached++;
	report_name(&r->names, n->pid, n->name);
}

static void walk_from_reaper(struct procfs_view *v, struct walk_seen *seen,
			     void (*visit)(void *, const struct walk_node *),
			     struct round *r)
{
	/* reaper has one thread: one children file to read. */
	struct walk_node self = {.pid = getpid(), .fd = -1, .threads = 1};
	struct walk_result res = walk_tree(&procfs_walk_ops, v, &self, seen,
					   visit, r);

	if (res.out_of_memory)
		log_warn("out of memory walking the process tree");
	procfs_close(v);
}

/* Without /proc, the group alone: through the pidfd of its leader, which
 * reaches that group and no other; else by number, and only until the
 * group is seen empty, after which the number may be another group's. */
static bool signal_group(struct workload *w, int sig)
{
	if (w->pid <= 0 || w->group_gone)
		return false;
	if (w->fd >= 0 &&
	    sys_pidfd_send_signal(w->fd, sig, PIDFD_SIGNAL_PROCESS_GROUP) == 0)
		return true;
	if (w->fd < 0 || errno != ESRCH) {
		if (kill(-w->pid, sig) == 0)
			return true;
		if (errno != ESRCH)
			return false;
	}
	w->group_gone = true;
	return false;
}

static unsigned long signal_without_proc(struct cleanup *c, int sig,
					 struct workload *w)
{
	if (!c->told_no_proc)
		log_info(w->pid > 0
				 ? "no usable /proc: signalling the workload's group only"
				 : "no usable /proc: no descendant can be found");
	c->told_no_proc = true;
	if (!signal_group(w, sig))
		return 0;
	if (needs_cont(sig))
		(void)signal_group(w, SIGCONT);
	return CLEANUP_UNKNOWN;
}

/* As PID 1, everything in the namespace but reaper itself, at once. The
 * kernel does not say how many: /proc, where it is this namespace's,
 * does, for the cost of listing it. Those that came to reaper since were
 * alive then, and had it. */
static unsigned long signal_namespace(int sig, bool only_new)
{
	unsigned long others;

	if (only_new)
		return 0;
	others = procfs_count_others(ULONG_MAX);
	if (kill(-1, sig) < 0 && errno != ESRCH)
		log_warn("kill -1: %m");
	if (needs_cont(sig))
		(void)kill(-1, SIGCONT);
	return others;
}

unsigned long cleanup_signal(struct cleanup *c, int sig, bool only_new,
			     struct workload *w)
{
	struct round r = {.c = c, .sig = sig};
	struct walk_seen fresh = {0};
	const char *scope = "";
	struct procfs_view v;

	if (getpid() == 1) {
		r.reached = signal_namespace(sig, only_new);
		scope = "every process in the namespace";
	} else if (!procfs_open(&v, &c->procfs)) {
		r.reached = signal_without_proc(c, sig, w);
		scope = "the workload's group";
	} else {
		if (!only_new && sig != SIGKILL)
			walk_seen_free(&c->sent);
		walk_from_reaper(&v, sig == SIGKILL ? &fresh : &c->sent,
				 signal_visited, &r);
		walk_seen_free(&fresh);
	}
	report_round(sig, r.reached, &r.names, scope);
	return r.reached;
}

static void report_one_left(void *ctx, const struct walk_node *n)
{
	struct round *r = ctx;
	int err = signal_node(r->c, n, 0);

	if (err != ESRCH)
		report_left(n->pid, n->name, err, r->reached++);
}

void cleanup_report_left(struct cleanup *c)
{
	struct round r = {.c = c};
	struct walk_seen seen = {0};
	struct procfs_view v;

	if (!procfs_open(&v, &c->procfs)) {
		log_warn("giving up on descendants out of reach without /proc");
		return;
	}
	walk_from_reaper(&v, &seen, report_one_left, &r);
	walk_seen_free(&seen);
	report_left_total(r.reached);
}
