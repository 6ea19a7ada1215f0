/* probe tree: the random system test's process tree (nodes.h). Every
 * node blocks its signals and reads them from a signalfd, so that each is
 * written down before it acts on it. */
#include "nodes.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "orphan.h"

enum kind { KIND_EXIT, KIND_DIE, KIND_IGNORE, KIND_SLOW, KIND_STOP, KIND_LIFE };

struct behaviour {
	enum kind kind;
	long ms; /* slow's delay, life's length */
};

/* This process's part: where it reports, and as whom. */
static const char *report;
static char self[48];
static int sfd = -1;
static int built[2]; /* the build's barrier: EOF once every node is built */

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* One line, "TYPE ID PID [ARG] TIME", appended whole. A line that cannot
 * be written is lost; the test then sees less, never something untrue. */
static void note(char type, const char *arg)
{
	char line[128];
	int n = snprintf(line, sizeof line, "%c %s %d%s%s %llu\n", type, self,
			 (int)getpid(), arg != NULL ? " " : "",
			 arg != NULL ? arg : "", (unsigned long long)now_us());
	int fd = open(report, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	(void)!write(fd, line, (size_t)n);
	close(fd);
}

static void note_number(char type, long v)
{
	char arg[24];

	snprintf(arg, sizeof arg, "%ld", v);
	note(type, arg);
}

static bool parse_behaviour(const char *s, struct behaviour *b)
{
	static const struct {
		const char *name;
		enum kind kind;
	} names[] = {{"exit", KIND_EXIT}, {"die", KIND_DIE},
		     {"ignore", KIND_IGNORE}, {"slow", KIND_SLOW},
		     {"stop", KIND_STOP}, {"life", KIND_LIFE}};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len = strlen(names[i].name);
		if (strncmp(s, names[i].name, len) == 0) {
			b->kind = names[i].kind;
			b->ms = atol(s + len);
			return true;
		}
	}
	return false;
}

static __attribute__((noreturn)) void leave(int code)
{
	note_number('X', code);
	exit(code);
}

static __attribute__((noreturn)) void die_of(int sig)
{
	sigset_t one;

	note_number('D', sig);
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	/* cppcheck-suppress unreachableCode ; raise returns if the kernel
	 * does not kill, which it does */
	_exit(3);
}

static bool graceful(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT;
}

static void reap_children(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* What a node does with a signal; a slow one dies later, at *die_at. */
static void take(int sig, const struct behaviour *b, uint64_t *die_at,
		 int *die_sig)
{
	if (sig == SIGCHLD) {
		reap_children();
		return;
	}
	note_number('G', sig);
	if (!graceful(sig) || b->kind == KIND_IGNORE)
		return;
	if (b->kind != KIND_SLOW)
		die_of(sig);
	if (*die_at == 0) {
		*die_at = now_us() + (uint64_t)b->ms * 1000u;
		*die_sig = sig;
	}
}

/* The root's orders on stdin: "x CODE" exits with CODE. EOF ends them. */
static bool take_order(void)
{
	char line[32];
	ssize_t n = read(STDIN_FILENO, line, sizeof line - 1);

	if (n <= 0)
		return false;
	line[n] = '\0';
	if (line[0] == 'x')
		leave(atoi(line + 1));
	return true;
}

static int wait_ms(uint64_t at)
{
	uint64_t now = now_us();

	if (at == 0)
		return -1;
	return at <= now ? 0 : (int)((at - now + 999) / 1000);
}

static __attribute__((noreturn)) void serve(const struct behaviour *b,
					    bool orders)
{
	uint64_t life_at = b->kind == KIND_LIFE ? now_us() + (uint64_t)b->ms * 1000u : 0;
	uint64_t die_at = 0;
	int die_sig = 0;

	for (;;) {
		struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN},
					{.fd = STDIN_FILENO, .events = POLLIN}};
		uint64_t at = die_at != 0 && (life_at == 0 || die_at < life_at)
				      ? die_at : life_at;
		struct signalfd_siginfo si;
		if (poll(fds, orders ? 2 : 1, wait_ms(at)) < 0 && errno != EINTR)
			_exit(4);
		if (die_at != 0 && now_us() >= die_at)
			die_of(die_sig);
		if (life_at != 0 && now_us() >= life_at)
			leave(0);
		if ((fds[0].revents & POLLIN) &&
		    read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
			take((int)si.ssi_signo, b, &die_at, &die_sig);
		if (orders && fds[1].revents != 0)
			orders = take_order();
	}
}

/* The start of every node but the root: named, reported. */
static void become(const char *root, int group, int index)
{
	char id[48];

	close(built[0]);
	snprintf(id, sizeof id, "%.24s.%d.%d", root, group, index);
	snprintf(self, sizeof self, "%s", id);
	prctl(PR_SET_NAME, "chaos-node");
	note('S', NULL);
}

/* A node is built: its barrier end goes, and a stopper stops. */
static __attribute__((noreturn)) void built_node(const struct behaviour *b)
{
	close(built[1]);
	if (b->kind == KIND_STOP)
		raise(SIGSTOP);
	serve(b, false);
}

static void fork_failed(void)
{
	note('F', NULL);
}

static void chain(const char *root, int group, int index, int count,
		  const struct behaviour *b)
{
	pid_t pid = fork();

	if (pid < 0)
		fork_failed();
	if (pid != 0)
		return;
	become(root, group, index);
	if (index + 1 < count)
		chain(root, group, index + 1, count, b);
	built_node(b);
}

static void flat(const char *root, int group, int count,
		 const struct behaviour *b)
{
	for (int i = 0; i < count; i++) {
		pid_t pid = fork();
		if (pid < 0)
			fork_failed();
		if (pid == 0) {
			become(root, group, i);
			built_node(b);
		}
	}
}

/* Double-forked: the middle process exits at once, and the daemon is
 * left to the nearest (sub)reaper. */
static void daemons(const char *root, int group, int count,
		    const struct behaviour *b, bool own_session)
{
	for (int i = 0; i < count; i++) {
		pid_t pid = fork();
		if (pid < 0)
			fork_failed();
		if (pid != 0)
			continue;
		if ((pid = fork()) < 0)
			fork_failed();
		if (pid != 0)
			_exit(0);
		if (own_session)
			setsid();
		become(root, group, i);
		built_node(b);
	}
}

static int end_now(void *arg)
{
	(void)arg;
	_exit(0);
}

static void orphans(int count)
{
	char *stacks;

	if (count == 0)
		return;
	stacks = orphan_stacks(count);
	for (int i = 0; i < count; i++)
		if (orphan_start(end_now, stacks + (size_t)(i + 1) * ORPHAN_STACK,
				 NULL) < 0)
			fork_failed();
}

/* One GROUP argument, SHAPE:COUNT:KIND. */
static bool make_group(const char *root, int group, const char *spec)
{
	char shape[16];
	char kind[16] = "die";
	struct behaviour b;
	int count;

	/* orphans:COUNT has no KIND: they end before any signal. */
	if (sscanf(spec, "%15[a-z]:%d:%15s", shape, &count, kind) < 2 ||
	    !parse_behaviour(kind, &b) || count < 0)
		return false;
	if (strcmp(shape, "flat") == 0)
		flat(root, group, count, &b);
	else if (strcmp(shape, "chain") == 0 && count > 0)
		chain(root, group, 0, count, &b);
	else if (strcmp(shape, "daemon") == 0 || strcmp(shape, "setsid") == 0)
		daemons(root, group, count, &b, shape[0] == 's');
	else if (strcmp(shape, "orphans") == 0)
		orphans(count);
	else
		return count == 0;
	return true;
}

/* The limit on descriptors reaper may have been given is reaper's to live
 * with, not the tree's. */
static void lift_descriptor_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &r);
	}
}

static void wait_built(void)
{
	char b;

	close(built[1]);
	while (read(built[0], &b, 1) > 0 || errno == EINTR)
		errno = 0;
	close(built[0]);
}

int nodes_main(int argc, char **argv)
{
	struct behaviour root;
	sigset_t all;
	char line[64];
	int n;

	if (argc < 4 || !parse_behaviour(argv[2], &root))
		return 2;
	report = argv[0];
	snprintf(self, sizeof self, "%s", argv[1]);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	lift_descriptor_limit();
	prctl(PR_SET_NAME, "chaos-root");
	if ((sfd = signalfd(-1, &all, SFD_CLOEXEC)) < 0 || pipe(built) < 0)
		return 2;
	note('S', NULL);
	for (int i = 4; i < argc; i++)
		if (!make_group(argv[1], i - 4, argv[i]))
			return 2;
	wait_built();
	note('R', NULL);
	n = snprintf(line, sizeof line, "R %s\n", self);
	(void)!write(STDOUT_FILENO, line, (size_t)n);
	if (root.kind == KIND_EXIT)
		leave(atoi(argv[3]));
	serve(&root, true);
}
