/* Ending reaper's descendants once the workload is over: a signal to
 * each, and, when the cleanup gives up, the names of what is left.
 *
 * As PID 1 of a namespace, kill(-1) reaches them all. Elsewhere the
 * proven walk (walk.h) over /proc (procfs.h) finds them, and each is
 * signalled through its pidfd, or, where pidfds are refused, by pid once
 * its start time still matches. Without a usable /proc, only the
 * workload's process group is reached: through its leader's pidfd where
 * the kernel can (6.9), else by number, and only until the group is
 * seen empty. */
#ifndef REAPER_CLEANUP_H
#define REAPER_CLEANUP_H

#include <limits.h>
#include <stdbool.h>

#include "procfs.h"
#include "spawn.h"
#include "walk.h"

/* How many a signal reached, where nothing can tell: kill(-1) and a
 * process group do not say. */
#define CLEANUP_UNKNOWN ULONG_MAX

struct cleanup {
	struct procfs_state procfs;
	struct walk_seen sent;    /* sent the graceful signal this cleanup */
	bool told_no_proc;        /* said, once, that /proc is not there */
	bool told_signal_refused; /* said, once, that pidfd signals are */
};

void cleanup_free(struct cleanup *c);

/* Sends sig to every descendant of reaper, then SIGCONT unless sig is
 * SIGKILL, so that a stopped one can act on it. only_new: only to those
 * not sent the graceful signal yet in this cleanup; otherwise a new
 * cleanup begins with it. Returns how many it reached, or
 * CLEANUP_UNKNOWN. w: the workload's group, for when /proc is not
 * there. */
unsigned long cleanup_signal(struct cleanup *c, int sig, bool only_new,
			     struct workload *w);

/* The cleanup ends with descendants left: names each, with why. */
void cleanup_report_left(struct cleanup *c);

#endif
