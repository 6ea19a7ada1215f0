/* The proven walk over reaper's descendants: which processes are reaper's
 * to signal, and never one that is not, however soon a pid comes back.
 *
 * A process is visited only once proven a descendant: pinned first (by a
 * pidfd, where there is one), then its parent read, and that parent a
 * process the walk holds (reaper at the root, or one visited) still alive
 * after the read; then its own children read, and it still alive after.
 * So a pid freed and taken by a stranger meanwhile is never visited, nor
 * the stranger's children.
 *
 * Processes die under the walk, and most often of the very signal it
 * sends: their children go to reaper, the subreaper, and a child whose
 * parent died before its proof fails it. So once every child of reaper's
 * own has been walked, reaper's children are read again, and the new
 * ones walked, until none is new: a descendant alive when the walk began
 * is visited, whatever dies around it.
 *
 * Pure: all it knows of the kernel comes through ops (procfs.h has the
 * real ones; the unit tests bring a world that changes under the walk). */
#ifndef REAPER_WALK_H
#define REAPER_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What the walk knows of one process. */
struct walk_node {
	pid_t pid, ppid;
	int fd;                   /* a pidfd pinning it, or -1 where none */
	unsigned long long start; /* its start time, in clock ticks */
	long threads;             /* how many, where known; else 0 */
	char name[16];            /* its command name */
};

struct walk_pids {
	pid_t *v;
	size_t n, cap;
};

/* Appends pid; false when memory ran out. */
bool walk_pids_add(struct walk_pids *l, pid_t pid);

enum walk_pin {
	PIN_OK,
	PIN_GONE,       /* it has ended */
	PIN_UNREADABLE, /* it could not be read: not proven, not gone either */
};

struct walk_ops {
	/* Pins pid, then reads its parent, start time and name into n. */
	enum walk_pin (*pin)(void *world, pid_t pid, struct walk_node *n);
	/* Whether the process n pins is still there, not yet ended. */
	bool (*alive)(void *world, const struct walk_node *n);
	/* Appends the pids of n's children. */
	void (*children)(void *world, const struct walk_node *n,
			 struct walk_pids *out);
	void (*unpin)(void *world, struct walk_node *n);
};

/* The processes visited, by pid and start time, kept across the walks of
 * one cleanup so that each gets the graceful signal once: a seen process
 * is neither visited again nor walked below. */
struct walk_seen {
	struct walk_mark {
		pid_t pid;
		unsigned long long start;
	} *v;
	size_t n, cap;
};

void walk_seen_free(struct walk_seen *s);

struct walk_result {
	unsigned long visited;
	unsigned long unreadable; /* found, but could not be read */
	bool out_of_memory;       /* what was visited was visited rightly */
};

/* Calls visit on every descendant of root not yet in seen, parents
 * first, and adds it there. */
struct walk_result walk_tree(const struct walk_ops *ops, void *world,
			     const struct walk_node *root, struct walk_seen *seen,
			     void (*visit)(void *ctx, const struct walk_node *n),
			     void *ctx);

#endif
