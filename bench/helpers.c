/* The workloads and the floor that bench/bench.c measures with, in one
 * static binary so that every init runs the same code:
 *
 *   helpers launcher CMD...  the floor: fork, exec, forward signals, and
 *                            waitpid(-1) until CMD is reaped
 *   helpers sigfloor CMD...  the floor for an init that also waits for
 *                            signals: the same, but every signal read
 *                            from one signalfd, and waitpid(-1, WNOHANG)
 *                            after each SIGCHLD
 *   helpers orphans N        as PID 1's child: leave N orphans, one at a
 *                            time, as fast as clone allows; print the wall
 *                            time, PID 1's CPU time and the most of them
 *                            PID 1 had outstanding at once
 *   helpers burst N          as PID 1's child: hand N live orphans to PID 1,
 *                            end them all at once; print the time until the
 *                            last is reaped and PID 1's CPU time meanwhile
 *   helpers trickle N        the same, but they end one at a time
 *   helpers sigecho          write a byte to stdout on each SIGUSR1
 *   helpers sleeper          wait for a signal, forever
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* signalfd */
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "orphan.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* PID 1's time on a CPU, in ns: the first field of its schedstat. */
static long long init_cpu_ns(void)
{
	char buf[128] = "";
	int fd = open("/proc/1/schedstat", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof buf - 1) < 0)
		exit(2);
	close(fd);
	return atoll(buf);
}

static pid_t child;

static void forward(int sig)
{
	kill(child, sig);
}

static int launcher(char **argv)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};
	struct sigaction sa = {.sa_handler = forward};
	sigset_t all, old;
	int status;
	pid_t pid;

	/* Blocked until child is set: a signal the workload sends at once
	 * is forwarded, not lost or sent to pid 0. exec drops the handlers. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	child = fork();
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[0], argv);
		_exit(127);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid == child)
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		if (pid < 0 && errno != EINTR)
			return 2;
	}
}

/* What reaper's loop does, minus everything else: so the cost of waiting
 * through a signal instead of in waitpid shows apart from reaper's own. */
static int sigfloor(char **argv)
{
	struct signalfd_siginfo si;
	sigset_t all;
	int status, sfd;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if ((sfd = signalfd(-1, &all, SFD_CLOEXEC)) < 0)
		return 2;
	child = fork();
	if (child == 0) {
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (read(sfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo != SIGCHLD) {
			kill(child, (int)si.ssi_signo);
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == child)
				return WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status);
	}
	return 2;
}

static atomic_long peak;
static atomic_bool sampling = true;

static void *sample(void *arg)
{
	struct timespec ms = {0, 1000000};

	(void)arg;
	while (sampling) {
		long n = orphan_children(1) - 1;
		if (n > peak)
			peak = n;
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/* N orphans that end at once, one after another as fast as clone
 * allows. */
static int orphans(long n)
{
	long long t0 = now_ns(), c0 = init_cpu_ns();
	pthread_t sampler;

	pthread_create(&sampler, NULL, sample, NULL);
	orphan_many(n, 1);
	long long t1 = now_ns(), c1 = init_cpu_ns();
	sampling = false;
	pthread_join(sampler, NULL);
	printf("%lld %lld %ld\n", t1 - t0, c1 - c0, (long)peak);
	return 0;
}

/* Waits until PID 1 has reaped them all; prints the time since t0 and
 * PID 1's CPU time since c0. */
static int report_reaped(long long t0, long long c0)
{
	orphan_wait_reaped(1, 0);
	long long t1 = now_ns(), c1 = init_cpu_ns();
	printf("%lld %lld\n", t1 - t0, c1 - c0);
	return 0;
}

/* N live orphans that all end at once: the helper lets go of the pipe
 * they read. */
static int burst(long n)
{
	int go[2];

	if (pipe(go) < 0)
		return 2;
	orphan_hand_over(n, go, -1, 1);
	long long c0 = init_cpu_ns(), t0 = now_ns();
	close(go[1]);
	return report_reaped(t0, c0);
}

/* N live orphans that end one at a time, each after the last has said
 * it is going: PID 1 hears of them one by one while many still live. */
static int trickle(long n)
{
	int go[2], gone[2];

	if (pipe(go) < 0 || pipe(gone) < 0)
		return 2;
	orphan_hand_over(n, go, gone[1], 1);
	long long c0 = init_cpu_ns(), t0 = now_ns();
	orphan_trickle(n, go[1], gone[0]);
	return report_reaped(t0, c0);
}

static void echo(int sig)
{
	(void)sig;
	(void)!write(STDOUT_FILENO, "!", 1);
}

static int sigecho(void)
{
	struct sigaction sa = {.sa_handler = echo};

	sigaction(SIGUSR1, &sa, NULL);
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "launcher") == 0)
		return launcher(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "sigfloor") == 0)
		return sigfloor(argv + 2);
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "burst") == 0)
		return burst(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "trickle") == 0)
		return trickle(atol(argv[2]));
	if (argc == 2 && strcmp(argv[1], "sigecho") == 0)
		return sigecho();
	if (argc == 2 && strcmp(argv[1], "sleeper") == 0)
		for (;;)
			pause();
	fprintf(stderr, "usage: helpers launcher CMD... | sigfloor CMD... | orphans N | burst N | trickle N | "
			"sigecho | sleeper\n");
	return 2;
}
