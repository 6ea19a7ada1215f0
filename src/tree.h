/* Finds reaper's remaining descendants and signals them. */
#ifndef REAPER_TREE_H
#define REAPER_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Sends sig to every descendant of reaper; returns how many it reached.
 * As PID 1 of a namespace, kill(-1) reaches them all. Elsewhere the tree
 * is walked through /proc/PID/task/TID/children (or, without those files,
 * a scan of /proc), and each process is signalled through a pidfd opened
 * and checked against its start time, so that a recycled pid is never hit;
 * without /proc, only the workload's group (pgid) is reached. */
unsigned long tree_signal(int sig, int pgid);

/* Sends sig to pid only if the process there started at start (the 22nd
 * field of /proc/PID/stat): the pidfd, opened first, pins the process, so
 * that a pid freed and taken by another since the walk is never hit. */
bool tree_signal_if_same(pid_t pid, unsigned long long start, int sig);

/* Reads fd to its end: pids apart by spaces or newlines, as a children
 * file holds them, more than one read returns. Hands each to each(),
 * whole even where a read cut it in two; stops at anything else. */
void tree_read_pids(int fd, void (*each)(pid_t pid, void *ctx), void *ctx);

/* Pure: marks `in` on every process of procs that descends from root, by
 * way of their parent pids, and returns how many. Sorts procs by pid. */
struct tree_proc {
	pid_t pid, ppid;
	unsigned long long start;
	bool in;
};
size_t tree_closure(pid_t root, struct tree_proc *procs, size_t n);

#endif
