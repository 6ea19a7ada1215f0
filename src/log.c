/* reaper's lines on stderr, written so that reaper never blocks on them:
 * a line stderr cannot take at once is dropped and counted, and the next
 * line written says how many were. stderr's file description is the
 * workload's too, so it stays as it is (blocking): reaper writes through
 * a description of its own, or in a way that asks for no waiting. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_LEN 512
#define NOTICE_MAX_LEN 96

/* A line with the count before it goes in one write: a pipe takes up to
 * PIPE_BUF bytes whole or not at all. */
_Static_assert(LINE_MAX_LEN + NOTICE_MAX_LEN <= PIPE_BUF, "a line fits a pipe's atomic write");

/* How a line reaches stderr without waiting. */
enum route {
	OWN_DESCRIPTION, /* a pipe or terminal opened again, non-blocking */
	SEND_DONTWAIT,   /* a socket: send(MSG_DONTWAIT) on stderr itself */
	POLL_FIRST,      /* the rest (a file, or no /proc): look, then write */
};

static int verbosity = LOG_WARN;
/* Once stderr's reader is gone it cannot come back (and a stderr closed
 * from the start is none): reaper stops writing rather than raise a
 * SIGPIPE on itself at every line. */
static bool stderr_gone;
static enum route route = POLL_FIRST;
static int own_fd = -1;
static unsigned long lost;
static int lost_errno;
/* The tail of a line stderr took part of: written before anything else. */
static char rest[LINE_MAX_LEN + NOTICE_MAX_LEN];
static size_t rest_len;

/* The pipe or terminal on stderr, opened again: a description of
 * reaper's own, non-blocking, whatever the workload's is. O_NOCTTY: as
 * PID 1, reaper leads a session and must not take a terminal by opening
 * it. Above stdin and stdout, were they closed: there tty.c and spawn.c
 * would take a terminal for stdin. */
static bool open_own(void)
{
	int low[STDERR_FILENO], n = 0, fd;

	while ((fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC |
					     O_NOCTTY)) >= 0 && fd < STDERR_FILENO)
		low[n++] = fd;
	while (n > 0)
		close(low[--n]);
	own_fd = fd;
	return fd >= 0;
}

void log_open(void)
{
	struct stat err;

	if (fstat(STDERR_FILENO, &err) < 0)
		stderr_gone = true;
	else if (S_ISSOCK(err.st_mode))
		route = SEND_DONTWAIT;
	/* A file's offset is shared with the workload's writes, and a file
	 * never makes a writer wait for a reader: it is written as it is. */
	else if ((S_ISFIFO(err.st_mode) || S_ISCHR(err.st_mode)) && open_own())
		route = OWN_DESCRIPTION;
}

int log_fd(void)
{
	return own_fd;
}

/* One try, which does not wait: the bytes written, or -1 and errno.
 * Never EINTR: every signal is blocked in reaper, none has a handler. */
static ssize_t write_once(const char *buf, size_t len)
{
	struct pollfd pfd = {.fd = STDERR_FILENO, .events = POLLOUT};
	int ready;

	if (route == OWN_DESCRIPTION)
		return write(own_fd, buf, len);
	if (route == SEND_DONTWAIT)
		return send(STDERR_FILENO, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	/* The one route that can still wait: on a workload that fills the
	 * pipe or terminal between the look and the write, or a terminal
	 * with room for part of the line. */
	ready = poll(&pfd, 1, 0);
	if (ready == 0)
		errno = EAGAIN;
	return ready == 1 ? write(STDERR_FILENO, buf, len) : -1;
}

/* Writes what stderr takes of buf now and keeps the rest, to be written
 * before anything else, so that no line continues a half one. True when
 * all of it went; otherwise errno says why not. */
static bool put(const char *buf, size_t len)
{
	ssize_t n = write_once(buf, len);

	if (n < 0) {
		if (errno == EPIPE)
			stderr_gone = true;
		return false;
	}
	rest_len = len - (size_t)n;
	memmove(rest, buf + n, rest_len);
	errno = EAGAIN;
	return rest_len == 0;
}

static void count_lost(int err)
{
	lost++;
	lost_errno = err;
}

/* "reaper: " fmt "\n" into buf, cut to fit size; returns its length. */
__attribute__((format(printf, 3, 0)))
static size_t shape(char *buf, size_t size, const char *fmt, va_list ap)
{
	const size_t prefix = sizeof "reaper: " - 1;
	int n;

	memcpy(buf, "reaper: ", prefix);
	n = vsnprintf(buf + prefix, size - prefix - 1, fmt, ap);
	if (n < 0)
		n = 0;
	size_t len = prefix + ((size_t)n < size - prefix - 1 ? (size_t)n
							     : size - prefix - 2);
	buf[len++] = '\n';
	return len;
}

__attribute__((format(printf, 3, 4)))
static size_t shape_args(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = shape(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

/* The count of the lines lost since the last one written, if any. */
static size_t notice(char *buf, size_t size)
{
	if (lost == 0)
		return 0;
	return shape_args(buf, size, "%lu log line%s lost: %s", lost,
			  lost == 1 ? "" : "s",
			  lost_errno == EAGAIN ? "stderr was full" : strerror(lost_errno));
}

void log_set_verbosity(int v)
{
	verbosity = v;
}

int log_enabled(enum log_level level)
{
	return !stderr_gone && ((int)level <= verbosity || level == LOG_ERROR);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[NOTICE_MAX_LEN + LINE_MAX_LEN];
	int saved = errno;
	va_list ap;
	size_t len;

	if (!log_enabled(level))
		return;
	if (rest_len > 0 && !put(rest, rest_len)) {
		count_lost(errno);
		errno = saved;
		return;
	}
	len = notice(buf, NOTICE_MAX_LEN);
	/* %m is the caller's error, not that of the tail written above. */
	errno = saved;
	va_start(ap, fmt);
	len += shape(buf + len, LINE_MAX_LEN, fmt, ap);
	va_end(ap);
	/* Part written is all written: the rest goes first next time. */
	if (put(buf, len) || rest_len > 0)
		lost = 0;
	else
		count_lost(errno);
	errno = saved;
}

void log_flush(void)
{
	char buf[NOTICE_MAX_LEN];

	if (stderr_gone || (rest_len > 0 && !put(rest, rest_len)) || lost == 0)
		return;
	(void)put(buf, notice(buf, sizeof buf));
}
