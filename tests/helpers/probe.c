/* probe: a workload for the integration tests. It reports what it sees
 * on stdout, one line at a time, so a test can wait on a pipe.
 *
 *   probe signals [STOP]  print "ready PID PGID SID FG", then each signal
 *                         number received, one a line; exit 0 after STOP
 *                         (default 15). FG is 1 when its group is the
 *                         terminal's foreground group.
 *   probe fds             print the open descriptors, e.g. "0 1 2"
 *   probe orphans N [signals]
 *                         leave N orphans that exit at once; once the
 *                         parent (their reaper) has reaped every one,
 *                         print "reaped N" and return, or with "signals"
 *                         go on as probe signals
 *   probe trickle N       leave N orphans alive, then end them one at a
 *                         time, each once the last said it was going;
 *                         return when the reaper has reaped every one
 *   probe live N CODE     leave N orphans that wait for a signal; exit CODE
 *   probe bind            bind a TCP socket on 127.0.0.1 to a port below
 *                         1024: print "bound PORT", or "denied"
 *   probe euid            print the effective uid
 *   probe setuid          installed setuid root: become root in every
 *                         uid (as sudo does), ignore TERM, print
 *                         "ready PID" and wait
 *   probe bomb            fork without end, every process, until the
 *                         process limit says no; the first one returns
 *                         after its first refusal, the rest go on
 *   probe tree ...        the random system test's process tree, each
 *                         node reporting what it lives through (nodes.h)
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
#include <unistd.h>

#include "nodes.h"
#include "orphan.h"

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

/* A grandchild whose parent exits at once, so that it is reparented to
 * the nearest (sub)reaper; it runs fn, if any, then exits. The parent's
 * status says whether the grandchild was made: an orphan missing would
 * let a count of "reaped" pass unearned. */
static void orphan(void (*fn)(void))
{
	pid_t pid = fork(), grandchild;
	int status;

	if (pid < 0)
		exit(2);
	if (pid == 0) {
		if ((grandchild = fork()) == 0) {
			if (fn != NULL)
				fn();
			_exit(0);
		}
		_exit(grandchild < 0 ? 2 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		exit(2);
}

/* The orphans go to the parent, the nearest (sub)reaper. */
static int orphans(long n)
{
	orphan_many(n, getppid());
	say("reaped %ld\n", n, 0, 0, 0);
	return 0;
}

/* The reaper hears of them one by one while many are still alive: the
 * case where sweeping after every SIGCHLD costs the most. */
static int trickle(long n)
{
	int go[2], gone[2];

	if (pipe(go) < 0 || pipe(gone) < 0)
		return 2;
	orphan_hand_over(n, go, gone[1], getppid());
	orphan_trickle(n, go[1], gone[0]);
	orphan_wait_reaped(getppid(), 0);
	printf("reaped %ld\n", n);
	return 0;
}

static void wait_for_signal(void)
{
	for (;;)
		pause();
}

static int live(long n, int code)
{
	for (long i = 0; i < n; i++)
		orphan(wait_for_signal);
	return code;
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

/* Every process forks in a loop; each child does the same. The first
 * process stops at the first refusal, which proves the limit holds. */
static int bomb(void)
{
	pid_t top = getpid();

	for (;;) {
		pid_t pid = fork();
		if (pid < 0 && getpid() == top) {
			printf("capped\n");
			return 0;
		}
	}
}

/* A process an ordinary user may not signal. */
static int setuid_root(void)
{
	if (setresuid(0, 0, 0) < 0)
		return 2;
	signal(SIGTERM, SIG_IGN);
	say("ready %ld\n", getpid(), 0, 0, 0);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "signals") == 0)
		return signals(argc > 2 ? atoi(argv[2]) : SIGTERM);
	if (argc == 2 && strcmp(argv[1], "fds") == 0)
		return fds();
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atol(argv[2]));
	if (argc == 4 && strcmp(argv[1], "orphans") == 0 &&
	    strcmp(argv[3], "signals") == 0)
		return orphans(atol(argv[2])) || signals(SIGTERM);
	if (argc == 3 && strcmp(argv[1], "trickle") == 0)
		return trickle(atol(argv[2]));
	if (argc == 4 && strcmp(argv[1], "live") == 0)
		return live(atol(argv[2]), atoi(argv[3]));
	if (argc == 2 && strcmp(argv[1], "bind") == 0)
		return bind_low();
	if (argc == 2 && strcmp(argv[1], "bomb") == 0)
		return bomb();
	if (argc == 2 && strcmp(argv[1], "setuid") == 0)
		return setuid_root();
	if (argc >= 2 && strcmp(argv[1], "tree") == 0)
		return nodes_main(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "euid") == 0)
		return printf("%ld\n", (long)geteuid()) < 0;
	fprintf(stderr, "usage: probe signals [STOP] | fds | orphans N | bind | euid\n");
	return 2;
}
