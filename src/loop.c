#include "loop.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "signals.h"
#include "sweep.h"
#include "tree.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static uint64_t now_us(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The policy's clock. */
static uint64_t now_ms(void)
{
	return now_us() / 1000;
}

bool loop_open(struct loop *l, struct policy *p)
{
	kernel_sigset all = signal_handled_set();
	struct sigaction old;

	l->sfd = l->tfd = l->pidfd = -1;
	l->policy = p;
	/* The kernel's calls, not the libc's: these take the whole set. */
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, &l->inherited_mask,
		    sizeof all) < 0)
		return false;
	l->req.mask = &l->inherited_mask;
	/* An ignored SIGCHLD would have the kernel reap for reaper and leave
	 * waitpid nothing to report. */
	if (sigaction(SIGCHLD, NULL, &old) < 0)
		return false;
	l->req.chld_ignored = old.sa_handler == SIG_IGN;
	if (l->req.chld_ignored && signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return false;
	l->sfd = (int)syscall(SYS_signalfd4, -1, &all, sizeof all, SFD_CLOEXEC);
	if (l->sfd < 0)
		return false;
	l->chld_watched = true;
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	return l->tfd >= 0;
}

/* While SIGCHLD is set aside for a held-off sweep, the workload's end
 * must still be heard at once: a pidfd becomes readable when its process
 * ends. Kernels before 5.3 have none; there the end waits for the sweep:
 * 5 ms, 50 ms at most (sweep.h). */
static void watch_workload(struct loop *l, pid_t pid)
{
	if (l->pidfd >= 0)
		close(l->pidfd);
	l->pidfd = pid == 0 ? -1 : (int)syscall(SYS_pidfd_open, pid, 0);
	l->pidfd_pid = pid;
	if (pid != 0 && l->pidfd < 0)
		log_debug("pidfd_open: %m; the workload's end may wait for a sweep");
}

int loop_start(struct loop *l, pid_t *pid)
{
	struct spawn_result child;

	if (!spawn_workload(&l->req, &child)) {
		log_error("fork: %m");
		return 125;
	}
	if (child.err != 0) {
		(void)waitpid(child.pid, NULL, 0);
		if (child.step != NULL) {
			log_error("%s: %s", child.step, strerror(child.err));
			return 125;
		}
		log_error("%s: %s", l->req.argv[0], strerror(child.err));
		return spawn_exec_failure_code(child.err);
	}
	log_info("started %s as %d", l->req.argv[0], (int)child.pid);
	watch_workload(l, child.pid);
	*pid = child.pid;
	return -1;
}

static bool kept(int fd, const int *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

/* Fallback for kernels before 5.9, which lack close_range. */
static void close_listed(const int *keep, size_t n)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL) {
		log_debug("cannot list /proc/self/fd; inherited descriptors stay open");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		unsigned long fd;
		if (parse_ulong(e->d_name, &fd) && (int)fd != dirfd(d) &&
		    !kept((int)fd, keep, n))
			close((int)fd);
	}
	closedir(d);
}

/* Adds fd to keep, which stays in ascending order: reaper's own
 * descriptors take the lowest numbers free, below stderr's when reaper was
 * started with stdin or stdout closed. */
static void keep_fd(int *keep, size_t *n, int fd)
{
	size_t i = (*n)++;

	for (; i > 0 && keep[i - 1] > fd; i--)
		keep[i] = keep[i - 1];
	keep[i] = fd;
}

static void close_all_but(const int *keep, size_t n)
{
	unsigned lo = 0;

	for (size_t i = 0; i <= n; i++) {
		unsigned hi = i < n ? (unsigned)keep[i] : ~0u;
		if (hi > lo && syscall(SYS_close_range, lo, hi - 1, 0) < 0) {
			close_listed(keep, n);
			return;
		}
		lo = hi + 1;
	}
}

void loop_release_inherited(struct loop *l)
{
	int keep[5] = {0};
	size_t n = 0;

	if (chdir("/") < 0)
		log_warn("chdir /: %m");
	if (isatty(STDIN_FILENO))
		keep_fd(keep, &n, STDIN_FILENO);
	keep_fd(keep, &n, STDERR_FILENO);
	keep_fd(keep, &n, l->sfd);
	keep_fd(keep, &n, l->tfd);
	if (l->pidfd >= 0)
		keep_fd(keep, &n, l->pidfd);
	close_all_but(keep, n);
}

/* The earlier of two times, where 0 is none. */
static uint64_t earlier(uint64_t a, uint64_t b)
{
	return a == 0 || (b != 0 && b < a) ? b : a;
}

/* One timer serves the policy's deadline and a held-off sweep: it is set
 * to the earlier of the two, and only when that changes. */
static void rearm(struct loop *l, uint64_t now)
{
	uint64_t armed = l->policy->armed;
	/* Held at the end of time, as the policy's "never" is. */
	uint64_t policy_at = armed > UINT64_MAX / 1000 ? UINT64_MAX : armed * 1000;
	uint64_t at = earlier(policy_at, sweep_deadline(&l->sweep, now));
	struct itimerspec when = {
		.it_value = {(time_t)(at / 1000000), (long)(at % 1000000) * 1000},
	};

	if (at == l->timer_at)
		return;
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &when, NULL) < 0)
		log_error("timerfd_settime: %m");
	l->timer_at = at;
}

static void signal_tree(struct loop *l, int sig)
{
	char name[32];
	unsigned long n = tree_signal(sig, l->policy->workload);

	if (sig == SIGKILL)
		l->killed += n;
	else
		l->terminated += n;
	log_info("sent %s to descendants: %lu",
		 signal_name(sig, name, sizeof name), n);
}

static void report_restart(const struct action *a, unsigned long restarts)
{
	char how[48];

	log_warn("workload ended (%s); restart %lu in %llums",
		 policy_describe(a->status, how, sizeof how), restarts,
		 (unsigned long long)a->at);
}

static void suspend(void)
{
	log_debug("the workload stopped; stopping too");
	/* SIGSTOP cannot be blocked: reaper stops here, before raise returns,
	 * and goes on when the shell's SIGCONT comes. */
	if (raise(SIGSTOP) != 0)
		log_warn("cannot stop with the workload: %m");
}

static void give_terminal(pid_t pgid)
{
	/* Only a foreground reaper may hand over the terminal: after bg, the
	 * shell keeps it. */
	if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp() &&
	    tcsetpgrp(STDIN_FILENO, pgid) < 0)
		log_warn("giving the terminal to %d: %m", (int)pgid);
}

static void forward(const struct action *a)
{
	char name[32];

	/* On the path every forwarded signal takes: no formatting unless
	 * it is printed. */
	if (log_enabled(LOG_DEBUG))
		log_debug("forwarding %s to %d",
			  signal_name(a->sig, name, sizeof name), (int)a->target);
	if (kill(a->target, a->sig) < 0 && errno != ESRCH)
		log_warn("forwarding %s to %d: %m",
			 signal_name(a->sig, name, sizeof name), (int)a->target);
}

/* Returns true when reaper must exit, with the code in *code. */
static bool execute(struct loop *l, const struct actions *acts, int *code);

/* execute runs restart for ACT_SPAWN, and restart runs execute for what
 * policy_started returns, which is never ACT_SPAWN: two levels at most. */
static bool restart(struct loop *l, int *code) // NOLINT(misc-no-recursion)
{
	struct actions acts;
	pid_t pid = 0;
	int failed = loop_start(l, &pid);

	if (failed >= 0) {
		*code = failed;
		return true;
	}
	policy_started(l->policy, pid, now_ms(), &acts);
	return execute(l, &acts, code);
}

static bool execute(struct loop *l, const struct actions *acts, int *code) // NOLINT(misc-no-recursion)
{
	char how[48];
	bool done = false;

	for (size_t i = 0; i < acts->n; i++) {
		const struct action *a = &acts->list[i];
		switch (a->kind) {
		case ACT_FORWARD: forward(a); break;
		case ACT_SIGNAL_TREE: signal_tree(l, a->sig); break;
		case ACT_ARM_TIMER: rearm(l, now_us()); break;
		case ACT_SPAWN: done |= restart(l, code); break;
		case ACT_REPORT_RESTART:
			report_restart(a, l->policy->restarts);
			break;
		case ACT_SUSPEND: suspend(); break;
		case ACT_FOREGROUND: give_terminal(a->target); break;
		case ACT_REPORT_ORPHAN:
			log_warn("reaped orphan %d (%s)", (int)a->target,
				 policy_describe(a->status, how, sizeof how));
			break;
		case ACT_EXIT:
			*code = a->status;
			done = true;
			break;
		}
	}
	return done;
}

/* One report of waitpid's, handed to the policy. */
static bool report(struct loop *l, pid_t pid, int status, int *code)
{
	struct actions acts;

	if (WIFSTOPPED(status)) {
		policy_on_stopped(l->policy, pid, &acts);
	} else {
		if (pid == l->pidfd_pid)
			watch_workload(l, 0);
		policy_on_reaped(l->policy, pid, status, &acts);
	}
	return execute(l, &acts, code);
}

static int wait_flags(const struct loop *l)
{
	return WNOHANG | (l->policy->job_control ? WUNTRACED : 0);
}

/* What one read of the signalfd brought: the pids its SIGCHLDs named. A
 * SIGCHLD that arrives while another is pending is merged into it, so
 * these are some of the children that changed state, not all. */
struct batch {
	size_t n;
	pid_t pids[32];
};

/* One child by its pid: on kernels since 6.1 that finds it at once,
 * where waitpid(-1) walks the list of children, long in a burst. */
static bool reap_one(struct loop *l, pid_t pid, int *code)
{
	int status;

	return waitpid(pid, &status, wait_flags(l)) == pid &&
	       report(l, pid, status, code);
}

static bool reap_named(struct loop *l, const struct batch *b, int *code)
{
	bool done = false;

	for (size_t i = 0; i < b->n; i++)
		done |= reap_one(l, b->pids[i], code);
	return done;
}

/* While a sweep is held off, SIGCHLD leaves the signalfd: it stays blocked
 * and pending, merged into one, and the sweep reaps every child it stands
 * for. Otherwise each child that ends in a burst would wake reaper for
 * one reap by pid. Watched again as soon as nothing is held off, so that
 * no SIGCHLD waits longer than the hold-off, and idle means no wake-up. */
static void watch_sigchld(struct loop *l, bool on)
{
	kernel_sigset set = signal_handled_set();

	if (on == l->chld_watched)
		return;
	if (!on)
		set &= ~((kernel_sigset)1 << (SIGCHLD - 1));
	/* Only a bad descriptor or mask makes this fail, and both are
	 * reaper's own. */
	if (syscall(SYS_signalfd4, l->sfd, &set, sizeof set, 0) < 0) {
		log_warn("%s SIGCHLD on the signalfd: %m",
			 on ? "watching" : "setting aside");
		return;
	}
	l->chld_watched = on;
}

/* Reaps until nothing is left, so that the merged SIGCHLDs are covered
 * too; then tells the policy whether any child is still alive. The last
 * call found nothing and so walked every child left: its time spaces the
 * sweeps. */
static bool reap_all(struct loop *l, int *code)
{
	struct actions acts;
	bool done = false;
	uint64_t began, ended;
	int status;
	pid_t pid;

	for (;;) {
		began = now_us();
		if ((pid = waitpid(-1, &status, wait_flags(l))) <= 0)
			break;
		done |= report(l, pid, status, code);
	}
	ended = now_us();
	if (pid < 0 && errno != ECHILD)
		log_warn("waitpid: %m");
	sweep_done(&l->sweep, ended - began, ended);
	policy_on_drained(l->policy, pid == 0, now_ms(), &acts);
	return execute(l, &acts, code) || done;
}

static bool read_signals(struct loop *l, struct batch *b, int *code)
{
	struct signalfd_siginfo si[32];
	struct actions acts;
	bool done = false;
	ssize_t n = read(l->sfd, si, sizeof si);

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return false;
		log_error("reading signals: %m");
		*code = 125;
		return true;
	}
	for (size_t i = 0; i < (size_t)n / sizeof si[0] && !done; i++) {
		int sig = (int)si[i].ssi_signo;
		if (sig == SIGCHLD) {
			b->pids[b->n++] = (pid_t)si[i].ssi_pid;
			continue;
		}
		policy_on_signal(l->policy, sig, now_ms(), &acts);
		done = execute(l, &acts, code);
	}
	return done;
}

static bool read_timer(struct loop *l, int *code)
{
	struct actions acts;
	uint64_t expirations;

	if (read(l->tfd, &expirations, sizeof expirations) < 0)
		return false; /* EAGAIN: disarmed meanwhile */
	l->timer_at = 0; /* a one-shot timer that fired is disarmed */
	/* It may have fired for a held-off sweep: the policy then finds
	 * nothing due. */
	policy_on_timer(l->policy, now_ms(), &acts);
	return execute(l, &acts, code);
}

static void summarize(const struct loop *l, int code)
{
	const struct policy *p = l->policy;
	uint64_t ran = now_ms() - l->started_at;
	char status[32] = "";

	if (!log_enabled(LOG_INFO))
		return; /* no formatting on every exit for nothing */
	if (p->workload != 0)
		policy_describe(p->last_status, status, sizeof status);
	log_info("%s%s%s after %llu.%03llus; orphans reaped: %lu; descendants "
		 "terminated at the end: %lu, killed: %lu; exiting %d",
		 p->workload != 0 ? "the workload ended (" : "paused",
		 status, p->workload != 0 ? ")" : "",
		 (unsigned long long)(ran / 1000),
		 (unsigned long long)(ran % 1000), p->orphans_reaped,
		 l->terminated, l->killed, code);
}

/* Between turns: SIGCHLD is watched unless a sweep is held off, and then
 * the timer is set for it. The clock read when the sweep was found not
 * due must decide both: with a later reading, the hold-off could have
 * ended meanwhile, and reaper would block with a sweep owed, SIGCHLD
 * unwatched and no timer, deaf to every child that ends. */
static void settle(struct loop *l, uint64_t now)
{
	watch_sigchld(l, sweep_deadline(&l->sweep, now) == 0);
	rearm(l, now);
}

/* What woke reaper. */
struct events {
	bool signals, timer, workload_ended;
};

/* Blocks until there is something to read. With no timer set, that is a
 * blocking read of the signalfd itself: one system call fewer for each
 * wake-up than a poll. The workload's pidfd is only needed while SIGCHLD
 * is set aside. */
static bool wait_events(struct loop *l, struct events *ev)
{
	struct pollfd fds[3] = {{.fd = l->sfd, .events = POLLIN},
				{.fd = l->tfd, .events = POLLIN},
				{.fd = l->pidfd, .events = POLLIN}};
	nfds_t n = !l->chld_watched && l->pidfd >= 0 ? 3 : 2;

	*ev = (struct events){.signals = true};
	if (l->timer_at == 0)
		return true;
	while (poll(fds, n, -1) < 0)
		if (errno != EINTR)
			return false;
	ev->signals = fds[0].revents & POLLIN;
	ev->timer = fds[1].revents & POLLIN;
	ev->workload_ended = n == 3 && fds[2].revents != 0;
	return true;
}

int loop_run(struct loop *l, pid_t workload)
{
	struct actions acts;
	int code = 0;

	l->started_at = now_ms();
	policy_started(l->policy, workload, l->started_at, &acts);
	if (execute(l, &acts, &code))
		return code;
	for (;;) {
		struct batch b = {.n = 0};
		struct events ev;
		bool done;
		uint64_t now;

		if (!wait_events(l, &ev)) {
			log_error("poll: %m");
			return 125;
		}
		done = ev.signals && read_signals(l, &b, &code);
		done = done || (ev.timer && read_timer(l, &code));
		done = done || (ev.workload_ended && reap_one(l, l->pidfd_pid, &code));
		done = done || reap_named(l, &b, &code);
		/* A sweep is owed after every SIGCHLD (it covers the merged
		 * ones), and after anything else while the policy waits for
		 * the last descendant to go; sweep.h says when it is due. */
		if (b.n > 0 || policy_awaits_drain(l->policy))
			sweep_owe(&l->sweep);
		now = now_us();
		if (!done && sweep_due(&l->sweep, now)) {
			done = reap_all(l, &code);
			now = now_us();
		}
		if (done) {
			summarize(l, code);
			return code;
		}
		settle(l, now);
	}
}
