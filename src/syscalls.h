/* The system calls reaper makes that a C library may lack, or whose libc
 * wrapper does less than the kernel's call. syscalls.c is the only place
 * their numbers are written. Each returns what the kernel does, with
 * errno set. */
#ifndef REAPER_SYSCALLS_H
#define REAPER_SYSCALLS_H

#include <sys/types.h>

#include "signals.h"

/* Linux 6.9: the signal goes to the process group whose leader the pidfd
 * names, found by the kernel's own reference rather than by number. */
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)
#endif

/* Linux 5.3. */
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int fd, int sig, unsigned flags);

/* Linux 5.9: closes lo to hi. */
int sys_close_range(unsigned lo, unsigned hi);

/* The libc's calls take its own sigset_t, and some keep signals back
 * for themselves; the kernel's take the whole 64-bit set. */
int sys_sigprocmask(int how, const kernel_sigset *set, kernel_sigset *old);

/* fd -1 makes a new signalfd; otherwise fd's mask is replaced. */
int sys_signalfd(int fd, const kernel_sigset *set, int flags);

#endif
