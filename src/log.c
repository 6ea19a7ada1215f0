#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int verbosity = LOG_WARN;
/* Once stderr's reader is gone it cannot come back: reaper stops writing
 * rather than raise a SIGPIPE on itself at every line. */
static bool stderr_gone;

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
	char line[512] = "reaper: ";
	const size_t prefix = sizeof "reaper: " - 1;
	int saved = errno;
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(line + prefix, sizeof line - prefix - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = prefix + ((size_t)n < sizeof line - prefix - 1
				       ? (size_t)n
				       : sizeof line - prefix - 2);
	line[len++] = '\n';
	/* Nothing useful can be done when stderr fails: the line is lost,
	 * and nothing else with it. */
	while (write(STDERR_FILENO, line, len) < 0) {
		if (errno == EPIPE)
			stderr_gone = true;
		if (errno != EINTR)
			break;
	}
	errno = saved;
}
