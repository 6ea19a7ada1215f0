#include "syscalls.h"

#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int sys_pidfd_send_signal(int fd, int sig, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, flags);
}

int sys_close_range(unsigned lo, unsigned hi)
{
	return (int)syscall(SYS_close_range, lo, hi, 0);
}

int sys_sigprocmask(int how, const kernel_sigset *set, kernel_sigset *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, old, sizeof *set);
}

int sys_signalfd(int fd, const kernel_sigset *set, int flags)
{
	return (int)syscall(SYS_signalfd4, fd, set, sizeof *set, flags);
}
