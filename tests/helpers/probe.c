/* probe: a workload for the integration tests. It reports what it sees
 * on stdout, one line at a time, so a test can wait on a pipe.
 *
 *   probe signals [STOP]  print "ready PID PGID SID FG", then each signal
 *                         number received, one a line; exit 0 after STOP
 *                         (default 15). FG is 1 when its group is the
 *                         terminal's foreground group.
 *   probe fds             print the open descriptors, e.g. "0 1 2"
 *   probe orphans N       leave N orphans that exit at once; return when
 *                         every one has been reaped by someone else
 *   probe bind            bind a TCP socket on 127.0.0.1 to a port below
 *                         1024: print "bound PORT", or "denied"
 *   probe euid            print the effective uid
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, long a, long b, long c, long d)
{
	char line[128];
	int n = snprintf(line, sizeof line, fmt, a, b, c, d);

	if (write(STDOUT_FILENO, line, (size_t)n) != n)
		exit(3);
}

static int signals(int stop)
{
	sigset_t all;
	int fg;

	for (int sig = 1; sig < SIGRTMAX + 1; sig++)
		signal(sig, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	fg = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	say("ready %ld %ld %ld %ld\n", getpid(), getpgrp(), getsid(0), fg);
	for (;;) {
		int sig = sigwaitinfo(&all, NULL);
		if (sig < 0)
			return 2;
		say("%ld\n", sig, 0, 0, 0);
		if (sig == stop)
			return 0;
	}
}

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char line[256] = "";

	if (d == NULL)
		return 2;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		strcat(line, *line ? " " : "");
		strncat(line, e->d_name, sizeof line - strlen(line) - 2);
	}
	closedir(d);
	printf("%s\n", line);
	return 0;
}

/* The grandchild's pid reaches us through a pipe; its parent exits at once
 * so the grandchild is reparented to the nearest (sub)reaper. */
static pid_t orphan(void)
{
	int p[2];
	pid_t pid = -1;

	if (pipe(p) < 0)
		exit(2);
	switch (fork()) {
	case -1:
		exit(2);
	case 0:
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (write(p[1], &pid, sizeof pid) != sizeof pid)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &pid, sizeof pid) != sizeof pid || pid < 0)
		exit(2);
	close(p[0]);
	wait(NULL);
	return pid;
}

static int orphans(long n)
{
	pid_t *pids = calloc((size_t)n, sizeof *pids);
	struct timespec tick = {0, 1000000};

	if (pids == NULL)
		return 2;
	for (long i = 0; i < n; i++) {
		pids[i] = orphan();
	}
	/* A zombie still answers kill(pid, 0); only its reaping ends it. */
	for (long i = 0; i < n; i++)
		while (kill(pids[i], 0) == 0 || errno != ESRCH)
			nanosleep(&tick, NULL);
	printf("reaped %ld\n", n);
	free(pids);
	return 0;
}

/* The first free port from 600 up: print "bound", or "denied" when the
 * kernel refuses privileged ports to us. */
static int bind_low(void)
{
	for (int port = 600; port < 1024; port++) {
		struct sockaddr_in a = {.sin_family = AF_INET,
					.sin_port = htons((uint16_t)port),
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return 2;
		if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0) {
			printf("bound %d\n", port);
			return 0;
		}
		close(fd);
		if (errno == EACCES) {
			printf("denied\n");
			return 0;
		}
	}
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "signals") == 0)
		return signals(argc > 2 ? atoi(argv[2]) : SIGTERM);
	if (argc == 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atol(argv[2]));
	if (argc == 2 && strcmp(argv[1], "bind") == 0)
		return bind_low();
	if (argc == 2 && strcmp(argv[1], "euid") == 0)
		return printf("%ld\n", (long)geteuid()) < 0;
	fprintf(stderr, "usage: probe signals [STOP] | fds | orphans N | bind | euid\n");
	return 2;
}
