/* reaper's stderr when its reader does not keep up: a pipe nobody reads,
 * a terminal stopped with Ctrl-S, a socket nobody reads. reaper never
 * blocks on its own lines: it goes on reaping, forwarding and keeping
 * its deadlines, drops what stderr cannot take at once, and says how
 * many lines it dropped. A slow reader that keeps up loses nothing. The
 * workload's stderr, the same file description, stays blocking. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

#define ORPHANS "300"
#define LOST_300 "reaper: 300 log lines lost: stderr was full\n"

/* A pipe of one page, full: a reader that is there and never reads.
 * Returns the write end; the read end and what it holds go to reader
 * and held. Filled with one blocking write that fits: the description
 * reaper and the workload will share is left as it was. */
static int full_pipe(int *reader, size_t *held)
{
	static char page[1 << 16];
	int p[2], queued;
	long size;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	ck_assert_int_ge(size = fcntl(p[1], F_SETPIPE_SZ, (int)sysconf(_SC_PAGESIZE)), 1);
	ck_assert_int_le(size, (long)sizeof page);
	memset(page, 'x', (size_t)size);
	ck_assert_int_eq(write(p[1], page, (size_t)size), size);
	ck_assert_int_eq(ioctl(p[0], FIONREAD, &queued), 0);
	ck_assert_int_eq(queued, size);
	*reader = p[0];
	*held = (size_t)size;
	return p[1];
}

/* Reads the n bytes the test put there itself. */
static void drain(int fd, size_t n)
{
	char buf[4096];

	while (n > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t r;
		ck_assert_int_eq(poll(&pfd, 1, BOUND_MS), 1);
		r = read(fd, buf, n < sizeof buf ? n : sizeof buf);
		ck_assert_int_gt(r, 0);
		ck_assert_int_eq(buf[r - 1], 'x');
		n -= (size_t)r;
	}
}

/* reaper -w over a workload that leaves ORPHANS orphans, then waits for
 * signals, with err as stderr, which takes nothing. Returns once every
 * orphan was reaped and a signal forwarded after the last was reaped, so
 * that each orphan's line has been tried and dropped. */
static void start_stalled(struct proc *p, int err)
{
	struct start_opts o = default_opts;
	char line[128];
	long pid;

	o.err_fd = err;
	proc_start(p, ARGV(REAPER, "-w", "--", PROBE, "orphans", ORPHANS, "signals"), &o);
	close(p->err);
	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaped " ORPHANS);
	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld", &pid), 1);
	/* The workload's stderr is the same description as reaper's: it
	 * must stay as the workload was given it. */
	ck_assert_int_eq(fd_flags((pid_t)pid, 2) & O_NONBLOCK, 0);
	signal_and_expect(p, SIGUSR1);
}

/* SIGTERM is forwarded and reaper exits with the workload's status. */
static void stop_stalled(struct proc *p)
{
	signal_and_expect(p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(p, BOUND_MS)), 0);
}

/* A stalled log collector: every orphan is reaped and every signal
 * forwarded while the pipe is full; once it is read, the count of lines
 * lost comes out at exit, the one line left to write. */
START_TEST(a_pipe_nobody_reads_holds_nothing_up)
{
	char rest[256];
	size_t held;
	struct proc p;
	int reader, err = full_pipe(&reader, &held);

	start_stalled(&p, err);
	close(err);
	drain(reader, held);
	stop_stalled(&p);
	read_all(reader, rest, sizeof rest, BOUND_MS);
	ck_assert_str_eq(rest, LOST_300);
	close(reader);
}
END_TEST

/* A terminal stopped with Ctrl-S: tcflow(TCOOFF) stops its output as
 * the ^S key does (both stop_tty in the kernel), and at once. */
START_TEST(a_stopped_terminal_holds_nothing_up)
{
	char slave_path[64], line[128];
	struct proc p;
	int master = terminal_open(slave_path, sizeof slave_path);
	int slave = open(slave_path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(slave, 0);
	ck_assert_int_eq(tcflow(slave, TCOOFF), 0);
	start_stalled(&p, slave);
	ck_assert_int_eq(tcflow(slave, TCOON), 0);
	stop_stalled(&p);
	read_line(master, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaper: 300 log lines lost: stderr was full");
	close(slave);
	close(master);
}
END_TEST

/* A stream socket (journald's stdout stream, a log shipper), its send
 * buffer full: the peer is there and never reads. */
START_TEST(a_socket_nobody_reads_holds_nothing_up)
{
	char chunk[256], rest[256];
	int sv[2], one = 1;
	size_t held = 0;
	ssize_t n;
	struct proc p;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &one, sizeof one), 0);
	memset(chunk, 'x', sizeof chunk);
	while ((n = send(sv[0], chunk, sizeof chunk, MSG_DONTWAIT)) > 0)
		held += (size_t)n;
	ck_assert_int_eq(errno, EAGAIN);
	start_stalled(&p, sv[0]);
	close(sv[0]);
	/* A peer's read frees the sender's buffer as it returns. */
	drain(sv[1], held);
	stop_stalled(&p);
	read_all(sv[1], rest, sizeof rest, BOUND_MS);
	ck_assert_str_eq(rest, LOST_300);
	close(sv[1]);
}
END_TEST

/* The timer goes on too: --timeout expires, and at -vv every line from
 * the first ("started") on is dropped. */
START_TEST(a_deadline_holds_with_stderr_full)
{
	struct start_opts o = default_opts;
	size_t held;
	struct proc p;
	int reader, queued;

	o.err_fd = full_pipe(&reader, &held);
	start_probe(&p, ARGV(REAPER, "-vv", "--timeout", "1s", "--", PROBE, "signals"),
		    &o, NULL);
	close(o.err_fd);
	close(p.err);
	expect_signal(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 124);
	ck_assert_int_eq(ioctl(reader, FIONREAD, &queued), 0);
	ck_assert_int_eq(queued, held);
	close(reader);
}
END_TEST

/* Without /proc (hidden under an empty tmpfs in a mount namespace of its
 * own), stderr cannot be opened again: reaper looks before each write,
 * and a full pipe holds nothing up either. Each line is written or
 * counted: "started", then one for each signal forwarded. */
START_TEST(without_proc_a_full_pipe_holds_nothing_up)
{
	struct start_opts o = default_opts;
	char rest[1024];
	const char *notice;
	unsigned long lost = 0;
	size_t held;
	struct proc p;
	int reader;

	o.err_fd = full_pipe(&reader, &held);
	start_probe(&p, ARGV("/usr/bin/unshare", "--mount", "/bin/sh", "-c",
			     "mount -t tmpfs none /proc && exec \"$0\" -vv -- \"$1\" signals",
			     REAPER, PROBE),
		    &o, NULL);
	close(o.err_fd);
	close(p.err);
	signal_and_expect(&p, SIGUSR1);
	signal_and_expect(&p, SIGUSR2);
	drain(reader, held);
	stop_stalled(&p);
	read_all(reader, rest, sizeof rest, BOUND_MS);
	ck_assert_ptr_nonnull(notice = strstr(rest, "reaper: "));
	ck_assert_int_eq(sscanf(notice, "reaper: %lu log lines lost: stderr was full", &lost), 1);
	ck_assert_uint_eq(lost + (unsigned long)count_lines(rest, "forwarding SIGUSR"), 3);
	ck_assert_int_eq(count_lines(rest, "reaper: forwarding SIGTERM"), 1);
	close(reader);
}
END_TEST

/* What reaper says at -vv as it starts the probe: "started", and where
 * pidfd_open is missing (before Linux 5.3, under valgrind) that it is. */
static bool start_up_line(const char *line)
{
	return strncmp(line, "reaper: started ", 16) == 0 ||
	       strncmp(line, "reaper: pidfd_open: ", 20) == 0;
}

/* The lines a terminal can show from reaper here, each whole. */
static bool whole(const char *line)
{
	static const char *const forms[] = {
		"reaper: reaped orphan %*d (exit 0)%n",
		"reaper: forwarding SIGUSR1 to %*d%n",
		"reaper: started %*s as %*d%n",
		"reaper: pidfd_open: %*[^;]; the workload's end may wait for a sweep%n",
		"reaper: 1 log line lost: stderr was full%n",
		"reaper: %*u log lines lost: stderr was full%n",
	};

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		int end = -1;
		if (sscanf(line, forms[i], &end) == 0 && end == (int)strlen(line))
			return true;
	}
	return false;
}

/* Whether text holds the whole line that counts the lost. */
static bool notice_read(const char *text)
{
	const char *at = strstr(text, " lost: stderr was full");

	return at != NULL && strchr(at, '\n') != NULL;
}

/* Appends what fd has now, waiting up to ms for the first of it. */
static size_t read_some(int fd, char *buf, size_t n, size_t len, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	while (n + 1 < len && poll(&pfd, 1, ms) == 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);
		ck_assert_int_gt(r, 0);
		n += (size_t)r;
		ms = 0;
	}
	buf[n] = '\0';
	return n;
}

/* A terminal whose reader has not read yet takes part of a line once it
 * is nearly full: the rest must come before anything else, or the next
 * line would continue a half one. Thousands of lines overfill it; then
 * it is read, and each forwarded signal is a line to try again with,
 * until the count of the lost comes out. */
START_TEST(a_full_terminal_gets_no_half_line)
{
	static char text[1 << 20];
	struct start_opts o = default_opts;
	char slave_path[64], line[128];
	struct proc p;
	size_t n = 0;
	unsigned long lost = 0;
	int master = terminal_open(slave_path, sizeof slave_path);

	o.err_fd = open(slave_path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(o.err_fd, 0);
	proc_start(&p, ARGV(REAPER, "-vv", "-w", "--", PROBE, "orphans", "3000", "signals"), &o);
	close(p.err);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "reaped 3000");
	read_line(p.out, line, sizeof line, BOUND_MS);
	for (int tries = 0; !notice_read(text); tries++) {
		ck_assert_msg(tries < 2000, "no count of lost lines in '%s'", text);
		signal_and_expect(&p, SIGUSR1);
		/* The pace of the signals, not synchronisation: whatever
		 * came is read, and the next signal tries again. */
		n = read_some(master, text, n, sizeof text, 10);
	}
	for (char *s = text, *end; (end = strchr(s, '\n')) != NULL; s = end + 1) {
		*end = '\0';
		ck_assert_msg(whole(s), "not a whole line: '%s'", s);
		(void)sscanf(s, "reaper: %lu log line", &lost);
	}
	ck_assert_uint_gt(lost, 0);
	stop_stalled(&p);
	close(o.err_fd);
	close(master);
}
END_TEST

/* For contrast: a reader that lags behind, one line at a time with a
 * pause before each, but reads everything in the end. Each burst of
 * lines fits in the pipe (one page) however far behind the reader is:
 * not one is lost, though the pipe is seldom empty when reaper writes. */
START_TEST(a_slow_reader_loses_nothing)
{
	enum { BURST = 48, BURSTS = 6 };
	struct start_opts o = default_opts;
	char line[256], rest[1024];
	int p2[2];
	struct proc p;

	ck_assert_int_eq(pipe2(p2, O_CLOEXEC), 0);
	ck_assert_int_ge(fcntl(p2[1], F_SETPIPE_SZ, (int)sysconf(_SC_PAGESIZE)), 1);
	o.err_fd = p2[1];
	start_probe(&p, ARGV(REAPER, "-vv", "--", PROBE, "signals"), &o, NULL);
	close(p2[1]);
	close(p.err);
	signal_and_expect(&p, SIGUSR1);
	do
		read_line(p2[0], line, sizeof line, BOUND_MS);
	while (start_up_line(line));
	ck_assert_msg(strstr(line, "reaper: forwarding SIGUSR1 to ") == line, "%s", line);
	for (int b = 0; b < BURSTS; b++) {
		for (int i = 0; i < BURST; i++)
			ck_assert_int_eq(kill(p.pid, SIGRTMIN + 1), 0);
		for (int i = 0; i < BURST; i++) {
			/* The reader's slowness, not synchronisation. */
			poll(NULL, 0, 1);
			read_line(p2[0], line, sizeof line, BOUND_MS);
			ck_assert_msg(strstr(line, "reaper: forwarding SIGRTMIN") == line,
				      "%s", line);
		}
		for (int i = 0; i < BURST; i++)
			expect_signal(&p, SIGRTMIN + 1);
	}
	stop_stalled(&p);
	read_all(p2[0], rest, sizeof rest, BOUND_MS);
	ck_assert_int_eq(count_lines(rest, "reaper: forwarding SIGTERM"), 1);
	ck_assert_int_eq(count_lines(rest, "lost"), 0);
	close(p2[0]);
}
END_TEST

int main(void)
{
	const TTest *tests[8];
	size_t n = 0;

	tests[n++] = a_pipe_nobody_reads_holds_nothing_up;
	tests[n++] = a_stopped_terminal_holds_nothing_up;
	tests[n++] = a_socket_nobody_reads_holds_nothing_up;
	tests[n++] = a_deadline_holds_with_stderr_full;
	tests[n++] = a_full_terminal_gets_no_half_line;
	tests[n++] = a_slow_reader_loses_nothing;
	if (!REAPER_IS_STATIC)
		puts("note: the no-/proc case tests the static build: a sanitizer "
		     "runtime or valgrind needs /proc; left out");
	else if (geteuid() != 0)
		puts("note: the no-/proc case needs root (a mount namespace); left out");
	else
		tests[n++] = without_proc_a_full_pipe_holds_nothing_up;
	tests[n] = NULL;
	return harness_main("logging", 90, tests);
}
