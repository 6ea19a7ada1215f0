/* The terminal on stdin, and job control: whether it is reaper's to give,
 * handing it to the workload and taking it back, stopping with the
 * workload as a shell's job. Every answer is asked of the kernel when it
 * is needed and never kept, since a shell's fg and bg change it under
 * reaper. SIGTTOU stays blocked in reaper and in the child until exec, so
 * a background group could take the terminal: each step checks first. */
#ifndef REAPER_TTY_H
#define REAPER_TTY_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether stdin is a terminal whose foreground group is reaper's. */
bool tty_is_ours(void);

/* Whether reaper is a shell's job that the shell can continue: its
 * parent is in its session but in another process group, so its group is
 * not orphaned. A session leader (script -c, tmux, ssh -t, a container's
 * PID 1) would never be continued. */
bool tty_in_job(void);

/* In the workload's child, before exec: a process group of its own, and
 * the foreground of the terminal if reaper's group holds it; with setsid,
 * a session of its own, whose controlling terminal stdin becomes when no
 * other session holds it. */
void tty_take(bool setsid);

/* Gives the terminal to group pgid, if reaper's group holds it. */
void tty_give(pid_t pgid);

/* Group pgid is over: if it holds the terminal, reaper's group takes it
 * back, so that reaper's parent can read it again (a parent without job
 * control would get EIO) and a restarted workload finds it where the first
 * did. */
void tty_reclaim(pid_t pgid);

/* Stops reaper, as its job's workload stopped; returns once continued. */
void tty_suspend(void);

/* For --setsid: a session leader lets go of the terminal it owns, which
 * the workload's new session can then take. The kernel sends reaper's
 * group SIGHUP and SIGCONT as it does; they come from reaper itself,
 * and the policy ignores them. */
void tty_release(void);

#endif
