/* tree: leftovers for the cleanup's tests, each of which says on
 * descriptor 3 which signals reached it.
 *
 *   tree chain N [stay]  a chain of N processes, each the parent of the
 *                        next; the command itself exits 0 once the last
 *                        is there, leaving the chain to its reaper
 *   tree fan N [stay]    N children of one process, which exits 0 once
 *                        all are there
 *
 * Each process writes "PID\n" to descriptor 3 when SIGTERM comes, then
 * exits; with "stay" it goes on waiting, and only SIGKILL ends it. So the
 * lines on descriptor 3 count those that had the graceful signal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ready[2];
static int stay;

static void on_term(int sig)
{
	char line[24];
	int n = snprintf(line, sizeof line, "%d\n", (int)getpid());

	(void)sig;
	(void)!write(3, line, (size_t)n);
	if (!stay)
		_exit(0);
}

static void __attribute__((noreturn)) wait_for_the_end(void)
{
	for (;;)
		pause();
}

/* The last of them says so through the pipe. */
static void __attribute__((noreturn)) chain(long n)
{
	for (long level = 1; level < n; level++) {
		pid_t child = fork();
		if (child < 0) {
			perror("tree: fork");
			_exit(1);
		}
		if (child > 0)
			wait_for_the_end();
	}
	(void)!write(ready[1], "r", 1);
	wait_for_the_end();
}

static void fan(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t child = fork();
		if (child < 0) {
			perror("tree: fork");
			_exit(1);
		}
		if (child == 0) {
			(void)!write(ready[1], "r", 1);
			wait_for_the_end();
		}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_term};
	long n = argc > 2 ? atol(argv[2]) : 0;
	char c;

	if (n <= 0 || pipe(ready) < 0) {
		fprintf(stderr, "usage: tree chain|fan N [stay]\n");
		return 2;
	}
	stay = argc > 3 && strcmp(argv[3], "stay") == 0;
	sigaction(SIGTERM, &sa, NULL);
	if (strcmp(argv[1], "chain") == 0) {
		if (fork() == 0)
			chain(n);
		n = 1;
	} else {
		fan(n);
	}
	for (long got = 0; got < n; got++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	printf("ready\n");
	return 0;
}
