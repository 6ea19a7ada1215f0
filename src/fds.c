#include "fds.h"

#include <dirent.h>
#include <stdbool.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "syscalls.h"

/* At most stdin, stderr and what reaper opens for itself. */
#define MAX_KEPT 8

static bool kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

/* Without close_range (before 5.9, or refused by a seccomp profile). */
static void close_listed(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL) {
		log_debug("cannot list /proc/self/fd; inherited descriptors stay open");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		unsigned long fd;
		if (parse_ulong(e->d_name, &fd) && (int)fd != dirfd(d) &&
		    !kept((int)fd, keep, n))
			close((int)fd);
	}
	closedir(d);
}

/* Adds fd to keep, which stays in ascending order: reaper's own
 * descriptors take the lowest numbers free, below stderr's when reaper was
 * started with stdin or stdout closed. */
static void keep_fd(int *keep, size_t *n, int fd)
{
	size_t i = (*n)++;

	for (; i > 0 && keep[i - 1] > fd; i--)
		keep[i] = keep[i - 1];
	keep[i] = fd;
}

/* keep is in ascending order: the gaps between are closed. */
static void close_all_but(const int *keep, size_t n)
{
	unsigned lo = 0;

	for (size_t i = 0; i <= n; i++) {
		unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
		if (hi > lo && sys_close_range(lo, hi - 1) < 0) {
			close_listed(keep, n);
			return;
		}
		lo = hi + 1;
	}
}

void fds_release_inherited(const int *own, size_t n)
{
	int keep[MAX_KEPT] = {0};
	size_t k = 0;

	if (isatty(STDIN_FILENO))
		keep_fd(keep, &k, STDIN_FILENO);
	keep_fd(keep, &k, STDERR_FILENO);
	for (size_t i = 0; i < n && k < MAX_KEPT; i++)
		if (own[i] >= 0 && !kept(own[i], keep, k))
			keep_fd(keep, &k, own[i]);
	close_all_but(keep, k);
}
