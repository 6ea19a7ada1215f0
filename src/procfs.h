/* Reading /proc: a process's parent, start time and name, its children,
 * and whether anyone else is left in reaper's namespace; and the walk's
 * view of the kernel (walk.h) built on them.
 *
 * Children are listed by each thread's children file where the kernel
 * has them (CONFIG_PROC_CHILDREN), else by one scan of every process's
 * parent: both, because a kernel may lack the first, and the second
 * costs a read of every process in the namespace. Either way the walk
 * still proves each process it is handed.
 *
 * The walk holds a pidfd for each level of the tree it is in. Where
 * descriptors run out, the deeper levels go without (checked by start
 * time instead, said once at -v), and one descriptor kept in reserve is
 * given up so that /proc can still be read: running out is never taken
 * for a process being gone. */
#ifndef REAPER_PROCFS_H
#define REAPER_PROCFS_H

#include <stdbool.h>
#include <sys/types.h>

#include "walk.h"

/* The name, parent, threads and start time of /proc/PID/stat into n; 0,
 * or the errno of the failure (ESRCH: the process is gone). */
int procfs_stat(pid_t pid, struct walk_node *n);

/* Reads fd to its end: pids apart by spaces or newlines, as a children
 * file holds them, more than one read returns. Hands each to each(),
 * whole even where a read cut it in two; stops at anything else. */
void procfs_read_pids(int fd, void (*each)(pid_t pid, void *ctx), void *ctx);

/* How many processes but reaper its namespace holds, counting no further
 * than enough; ULONG_MAX when /proc cannot tell. A pod's pause process
 * asks whether the pod's other containers, not its children, are gone. */
unsigned long procfs_count_others(unsigned long enough);

/* What the walk's view keeps between walks: what the kernel refused. */
struct procfs_state {
	bool no_pidfd;       /* pidfd_open refused: not asked again */
	bool told_no_pidfd;  /* said, once, that pidfds are refused */
	bool told_too_deep;  /* said, once, that descriptors ran out */
	bool told_unreadable;
};

/* The kernel as one walk sees it. */
struct procfs_view {
	struct procfs_state *state;
	int reserve;         /* a descriptor kept for reading, or -1 */
	bool pidfds_spent;   /* descriptors ran out in this walk */
	struct procfs_parent *scan; /* without children files: every
				     * process's parent, by parent */
	size_t scanned;
};

extern const struct walk_ops procfs_walk_ops;

/* Opens a view for one walk; false when /proc is not this namespace's,
 * or not there. */
bool procfs_open(struct procfs_view *v, struct procfs_state *s);
void procfs_close(struct procfs_view *v);

#endif
