#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int verbosity = LOG_WARN;

void log_set_verbosity(int v)
{
	verbosity = v;
}

int log_enabled(enum log_level level)
{
	return (int)level <= verbosity || level == LOG_ERROR;
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
	/* Nothing useful can be done when stderr is gone: the line is lost. */
	while (write(STDERR_FILENO, line, len) < 0 && errno == EINTR)
		;
	errno = saved;
}
