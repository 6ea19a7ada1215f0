/* Orphans made fast, counted and ended, one way for the probe and the
 * benchmark (orphan.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* clone */
#endif
#include "orphan.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *orphan_stacks(long n)
{
	char *m = mmap(NULL, (size_t)n * ORPHAN_STACK, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return m;
}

/* What the orphan's parent needs: the orphan's function, stack and
 * argument. */
struct orphan {
	int (*fn)(void *);
	char *top;
	void *arg;
};

ORPHAN_CODE static int leave(void *arg)
{
	const struct orphan *o = arg;

	while (clone(o->fn, o->top, CLONE_VM | SIGCHLD, o->arg) < 0)
		if (errno != EAGAIN)
			_exit(2);
		else
			sched_yield();
	_exit(0);
}

int orphan_start(int (*fn)(void *), char *top, void *arg)
{
	static char own[ORPHAN_STACK] __attribute__((aligned(16)));
	struct orphan o = {fn, top, arg};
	int status;
	pid_t pid;

	while ((pid = clone(leave, own + ORPHAN_STACK,
			    CLONE_VM | CLONE_VFORK | SIGCHLD, &o)) < 0) {
		if (errno != EAGAIN)
			return -1;
		sched_yield();
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/* On a stack, not in a buffer of the file's: the benchmark's sampling
 * thread counts too. */
long orphan_children(pid_t reaper)
{
	char path[64], buf[16384];
	long count = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)reaper,
		 (int)reaper);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		exit(2);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			count += buf[i] == ' ';
	close(fd);
	return count;
}

void orphan_wait_reaped(pid_t reaper, long outstanding)
{
	struct timespec ms = {0, 1000000};

	while (orphan_children(reaper) - 1 > outstanding)
		nanosleep(&ms, NULL);
}

static void must_start(int (*fn)(void *), char *top, void *arg)
{
	if (orphan_start(fn, top, arg) < 0) {
		perror("clone");
		exit(2);
	}
}

ORPHAN_CODE static int end_now(void *arg)
{
	(void)arg;
	_exit(0);
}

/* Stacks are reused a batch at a time, once the reaper has reaped every
 * orphan of the last batch: a reaped process is done with its stack. */
#define BATCH 4096

void orphan_many(long n, pid_t reaper)
{
	char *stack = orphan_stacks(BATCH);

	for (long i = 0; i < n; i++) {
		if (i > 0 && i % BATCH == 0)
			orphan_wait_reaped(reaper, 0);
		must_start(end_now, stack + (i % BATCH + 1) * ORPHAN_STACK, NULL);
	}
	orphan_wait_reaped(reaper, 0);
}

/* The pipes of the live orphans. */
struct live {
	int go[2], gone;
};

static int live_until_go(void *arg)
{
	const struct live *l = arg;
	char b;

	close(l->go[1]);
	if (read(l->go[0], &b, 1) == 1 && l->gone >= 0)
		(void)!write(l->gone, &b, 1);
	_exit(0);
}

void orphan_hand_over(long n, int go[2], int gone, pid_t reaper)
{
	static struct live l; /* read by the orphans for as long as they live */
	char *stack = orphan_stacks(n);

	l = (struct live){{go[0], go[1]}, gone};
	for (long i = 0; i < n; i++)
		must_start(live_until_go, stack + (i + 1) * ORPHAN_STACK, &l);
	close(go[0]);
	orphan_wait_reaped(reaper, n);
}

void orphan_trickle(long n, int go, int gone)
{
	char b = 0;

	for (long i = 0; i < n; i++)
		if (write(go, &b, 1) != 1 || read(gone, &b, 1) != 1)
			exit(2);
}
