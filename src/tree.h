/* Finds reaper's remaining descendants and signals them, and never a
 * process that is not one.
 *
 * As PID 1 of a namespace, kill(-1) reaches them all; elsewhere one walk
 * from reaper down finds them, through each process's children file (or,
 * on kernels without those, a scan of /proc for parent pids), and signals
 * each through a pidfd. A process is signalled only once proven a
 * descendant (see tree_walk). Without a usable /proc, only the workload's
 * process group is reached, and only while it is known to be the same
 * group. */
#ifndef REAPER_TREE_H
#define REAPER_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What the walk knows of one process. */
struct tree_node {
	pid_t pid, ppid;
	int fd;                   /* a pidfd pinning it, or -1 where none */
	unsigned long long start; /* its start time, in clock ticks */
	char name[16];            /* its command name */
};

struct tree_pids {
	pid_t *v;
	size_t n, cap;
};

/* Appends pid; false when memory ran out. */
bool tree_pids_add(struct tree_pids *l, pid_t pid);

/* The kernel as the walk sees it: tree.c's own reads /proc and uses
 * pidfds; the unit tests bring a world that changes under the walk. */
struct tree_ops {
	/* Pins pid (by a pidfd, where there is one), then reads its parent,
	 * start time and name into n; false when it is gone. */
	bool (*pin)(void *world, pid_t pid, struct tree_node *n);
	/* Whether the process n pins is still there, not yet ended. */
	bool (*alive)(void *world, const struct tree_node *n);
	/* Appends the pids its children files list. */
	void (*children)(void *world, pid_t pid, struct tree_pids *out);
	void (*unpin)(void *world, struct tree_node *n);
};

/* Calls visit on every descendant of root, parents first. A process is
 * visited only when proven one: pinned first, then its parent read, and
 * that parent a process the walk holds (root, or one visited) still alive
 * after the read; its own children read, and it still alive after. So a
 * pid freed and taken by a stranger meanwhile is never visited, nor the
 * stranger's children, however soon the pid came back. Pure: all it
 * knows comes through ops. Returns false when memory ran out; what was
 * visited by then was visited rightly. */
bool tree_walk(const struct tree_ops *ops, void *world,
	       const struct tree_node *root,
	       void (*visit)(void *ctx, const struct tree_node *n), void *ctx);

/* Reads fd to its end: pids apart by spaces or newlines, as a children
 * file holds them, more than one read returns. Hands each to each(),
 * whole even where a read cut it in two; stops at anything else. */
void tree_read_pids(int fd, void (*each)(pid_t pid, void *ctx), void *ctx);

/* What the cleanup keeps between rounds. */
struct tree {
	bool no_pidfd;       /* pidfd_open refused: not asked again */
	bool told_fallback;  /* said, once, that pidfds are refused */
};

/* The workload's process group, reached without /proc. */
struct tree_group {
	pid_t pgid;          /* 0: none (pause mode) */
	int fd;              /* a pidfd of the workload, its leader, or -1 */
	bool gone;           /* known empty: its number may be another's now */
};

/* Sends sig to every descendant of reaper, then SIGCONT unless sig is
 * SIGKILL, so that a stopped one can act on it; returns how many it
 * reached. At -v, names them. */
unsigned long tree_signal(struct tree *t, int sig, struct tree_group *g);

/* Whether reaper's namespace holds any process but reaper: the other
 * containers of a pod, which are not its children. True when /proc
 * cannot tell. */
bool tree_others_alive(void);

/* The cleanup ends with descendants left: names each, with why (reaper
 * may not signal it, or it outlived SIGKILL, or without /proc it is out
 * of reach). */
void tree_give_up(struct tree *t);

#endif
