/* Signal names and numbers, both ways. Pure: no system calls. */
#ifndef REAPER_SIGNALS_H
#define REAPER_SIGNALS_H

#include <stddef.h>

/* Parses "TERM", "SIGTERM", "term", "15", "RTMIN+3", "SIGRTMAX-1".
 * Returns the signal number (1..SIGRTMAX), or 0 when s names no signal. */
int signal_parse(const char *s);

/* Writes the name of sig ("SIGTERM", "SIGRTMIN+3") into buf and returns buf.
 * An unnamed number is written as "signal N". */
const char *signal_name(int sig, char *buf, size_t len);

/* The faults the kernel raises synchronously in the process that caused
 * them: reaper never blocks these, so a bug in reaper dies loudly. */
int signal_is_fault(int sig);

#endif
