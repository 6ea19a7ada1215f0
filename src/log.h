/* "reaper: ..." lines on stderr, each in one write(2) that never waits:
 * a line stderr cannot take at once is dropped, and counted in the next
 * line written. */
#ifndef REAPER_LOG_H
#define REAPER_LOG_H

/* tini's scale: 1 is the default, each -v adds one. */
enum log_level {
	LOG_ERROR = 0, /* printed even at verbosity 0 */
	LOG_WARN = 1,
	LOG_INFO = 2,  /* -v */
	LOG_DEBUG = 3, /* -vv */
	LOG_TRACE = 4, /* -vvv */
};

/* Sets up how lines reach stderr without waiting (a descriptor of
 * reaper's own where stderr is a pipe or a terminal): before anything is
 * forked, and before any line but the first of main. */
void log_open(void);

/* reaper's own descriptor for its lines (close-on-exec), to be kept
 * open; -1 when there is none. */
int log_fd(void);

/* At exit, the last chance: the tail of a line stderr took part of, and
 * the count of the lines lost since the last one written, if stderr
 * takes them now. */
void log_flush(void);

void log_set_verbosity(int verbosity);
int log_enabled(enum log_level level);

__attribute__((format(printf, 2, 3)))
void log_msg(enum log_level level, const char *fmt, ...);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
