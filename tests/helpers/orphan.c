#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* clone */
#endif
#include "orphan.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
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
