#include "tty.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"

bool tty_is_ours(void)
{
	return tcgetpgrp(STDIN_FILENO) == getpgrp();
}

bool tty_in_job(void)
{
	pid_t parent = getppid(); /* 0 when outside reaper's namespace */
	pid_t sid = getsid(0);

	return parent > 0 && sid != getpid() && getsid(parent) == sid &&
	       getpgid(parent) != getpgrp();
}

void tty_take(bool setsid_too)
{
	bool ours;

	if (setsid_too) {
		if (setsid() >= 0 && isatty(STDIN_FILENO))
			(void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
		return;
	}
	ours = tty_is_ours(); /* asked while still in reaper's group */
	(void)setpgid(0, 0);
	if (ours)
		(void)tcsetpgrp(STDIN_FILENO, getpid());
}

void tty_give(pid_t pgid)
{
	if (tty_is_ours() && tcsetpgrp(STDIN_FILENO, pgid) < 0)
		log_warn("giving the terminal to %d: %m", (int)pgid);
}

void tty_reclaim(pid_t pgid)
{
	if (pgid > 0 && tcgetpgrp(STDIN_FILENO) == pgid &&
	    tcsetpgrp(STDIN_FILENO, getpgrp()) < 0)
		log_warn("taking the terminal back from %d: %m", (int)pgid);
}

void tty_suspend(void)
{
	log_debug("the workload stopped; stopping too");
	/* SIGSTOP cannot be blocked: reaper stops here, before raise returns,
	 * and goes on when the shell's SIGCONT comes. */
	if (raise(SIGSTOP) != 0)
		log_warn("cannot stop with the workload: %m");
}

void tty_release(void)
{
	if (getsid(0) == getpid() && tty_is_ours() &&
	    ioctl(STDIN_FILENO, TIOCNOTTY) < 0)
		log_warn("letting go of the terminal: %m");
}
