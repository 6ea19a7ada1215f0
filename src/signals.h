/* Signal names and numbers, both ways. Pure: no system calls. */
#ifndef REAPER_SIGNALS_H
#define REAPER_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Real-time signals as glibc and kill(1) number them. The libc's own
 * SIGRTMIN says less: musl keeps 32 to 34 for itself, glibc 32 and 33. */
#define SIG_RT_MIN 34
#define SIG_RT_MAX 64

/* A signal set as the kernel takes it: bit N-1 for signal N. */
typedef uint64_t kernel_sigset;

/* Every signal reaper blocks and reads from its signalfd: all of them,
 * those the libc keeps for itself and the faults included. A fault the
 * kernel raises in reaper itself (a bad pointer, a seccomp trap) still
 * kills it: the kernel unblocks such a signal to deliver it. Another
 * process's kill(SIGSEGV) is read and forwarded like any other. */
kernel_sigset signal_handled_set(void);

/* Parses "TERM", "SIGTERM", "term", "15", "RTMIN+3", "SIGRTMAX-1".
 * Returns the signal number (1..64), or 0 when s names no signal. */
int signal_parse(const char *s);

/* Writes the name of sig ("SIGTERM", "SIGRTMIN+3") into buf and returns buf.
 * An unnamed number is written as "signal N". */
const char *signal_name(int sig, char *buf, size_t len);

/* Whether a process can ever receive sig: all but KILL and STOP. */
bool signal_catchable(int sig);

#endif
