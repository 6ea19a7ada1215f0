#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fds.h"
#include "log.h"
#include "report.h"
#include "signals.h"
#include "tty.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static void on_child(void *ctx, pid_t pid, int wstatus, uint64_t now);

bool loop_open(struct loop *l, struct policy *p)
{
	kernel_sigset all = signal_handled_set();
	struct sigaction old;

	l->sfd = l->tfd = l->group.fd = -1;
	l->policy = p;
	l->self = getpid();
	/* An ignored SIGCHLD would have the kernel reap for reaper and leave
	 * waitpid nothing to report. */
	if (sigaction(SIGCHLD, NULL, &old) < 0)
		return false;
	l->req.chld_ignored = old.sa_handler == SIG_IGN;
	if (l->req.chld_ignored && signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return false;
	/* The kernel's call, not the libc's: it takes the whole set. */
	l->sfd = (int)syscall(SYS_signalfd4, -1, &all, sizeof all, SFD_CLOEXEC);
	if (l->sfd < 0)
		return false;
	reap_init(&l->reap, l->sfd, on_child, l);
	/* Non-blocking: a timer set again after poll saw it fire reads
	 * nothing, and must not hold the loop until its new time. */
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	return l->tfd >= 0;
}

/* The workload's pidfd: its end is heard while SIGCHLD is set aside, and
 * its group is reached by reference when /proc is not there. Kernels
 * before 5.3 have none: its end then waits for a sweep (50 ms at most). */
static void hold_workload(struct loop *l, pid_t pid)
{
	if (l->group.fd >= 0)
		close(l->group.fd);
	l->group = (struct tree_group){
		.pgid = pid, .fd = (int)syscall(SYS_pidfd_open, pid, 0)};
	if (l->group.fd < 0)
		log_debug("pidfd_open: %m; the workload's end may wait for a sweep");
	reap_watch(&l->reap, pid, l->group.fd);
}

bool loop_start(struct loop *l)
{
	pid_t pid;

	if ((l->code = spawn_start(&l->req, &pid)) != 0)
		return false;
	hold_workload(l, pid);
	return true;
}

void loop_release_inherited(struct loop *l)
{
	int own[] = {l->sfd, l->tfd, l->group.fd, log_fd()};

	fds_release_inherited(own, sizeof own / sizeof own[0]);
}

static void signal_descendants(struct loop *l, const struct action *a)
{
	unsigned long n = tree_signal(&l->tree, a->sig, &l->group);

	if (a->sig == SIGKILL)
		l->killed += n;
	else
		l->terminated += n;
}

static void forward_signal(const struct action *a)
{
	int err = kill(a->target, a->sig) < 0 && errno != ESRCH ? errno : 0;

	report_forward(a->sig, a->target, err);
}

static void execute(struct loop *l, const struct actions *acts);

static void look_around(struct loop *l) // NOLINT(misc-no-recursion)
{
	struct actions acts;

	policy_on_others(l->policy, tree_others_alive(), clock_now(), &acts);
	execute(l, &acts);
}

static void restart(struct loop *l);

/* restart and look_around run execute for what the policy returns, which
 * is then neither ACT_SPAWN nor ACT_LOOK_AROUND (the next look is timed
 * from this answer): two levels at most. */
static void execute(struct loop *l, const struct actions *acts) // NOLINT(misc-no-recursion)
{
	for (size_t i = 0; i < acts->n; i++) {
		const struct action *a = &acts->list[i];
		switch (a->kind) {
		case ACT_FORWARD: forward_signal(a); break;
		case ACT_SIGNAL_TREE: signal_descendants(l, a); break;
		case ACT_ARM_TIMER: l->policy_at = a->at; break;
		case ACT_SPAWN: restart(l); break;
		case ACT_REPORT_ORPHAN:
		case ACT_REPORT_RESTART: report_action(a); break;
		case ACT_SUSPEND: tty_suspend(); break;
		case ACT_FOREGROUND: tty_give(a->target); break;
		case ACT_RECLAIM_TERMINAL: tty_reclaim(a->target); break;
		case ACT_GIVE_UP: tree_give_up(&l->tree); break;
		case ACT_LOOK_AROUND: look_around(l); break;
		case ACT_EXIT:
			l->exiting = true;
			l->code = a->status;
			break;
		}
	}
}

static void restart(struct loop *l) // NOLINT(misc-no-recursion)
{
	struct actions acts;

	if (!loop_start(l)) {
		l->exiting = true;
		return;
	}
	policy_started(l->policy, l->group.pgid, clock_now(), &acts);
	execute(l, &acts);
}

/* Where reap hands each child that ended or stopped. */
static void on_child(void *ctx, pid_t pid, int wstatus, uint64_t now)
{
	struct loop *l = ctx;
	struct actions acts;

	if (WIFSTOPPED(wstatus))
		policy_on_stopped(l->policy, pid, WSTOPSIG(wstatus), tty_in_job(),
				  now, &acts);
	else
		policy_on_reaped(l->policy, pid, wstatus, now, &acts);
	execute(l, &acts);
}

static void read_signals(struct loop *l, struct reap_batch *b)
{
	struct signalfd_siginfo si[32];
	struct actions acts;
	ssize_t n = read(l->sfd, si, sizeof si);

	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		log_error("reading signals: %m");
		l->exiting = true;
		l->code = 125;
		return;
	}
	for (size_t i = 0; i < (size_t)n / sizeof si[0] && !l->exiting; i++) {
		int sig = (int)si[i].ssi_signo;
		pid_t from = (pid_t)si[i].ssi_pid;
		if (sig == SIGCHLD) {
			b->pids[b->n++] = from;
			continue;
		}
		policy_on_signal(l->policy, sig, from == l->self, clock_now(), &acts);
		execute(l, &acts);
	}
}

static void read_timer(struct loop *l)
{
	struct actions acts;
	uint64_t expirations;

	/* Nothing to read when the timer was set again since it fired. */
	if (read(l->tfd, &expirations, sizeof expirations) > 0)
		l->timer_at = 0;
	policy_on_timer(l->policy, clock_now(), &acts);
	execute(l, &acts);
}

/* A sweep, when one is due: after any SIGCHLD, and after anything else
 * while the policy waits for the last descendant to go. */
static void drain(struct loop *l, uint64_t *now)
{
	struct actions acts;
	bool children_left;

	if (l->exiting)
		return;
	if (policy_awaits_drain(l->policy))
		reap_request_sweep(&l->reap);
	if (!reap_sweep_if_due(&l->reap, now, &children_left))
		return;
	policy_on_drained(l->policy, children_left, *now, &acts);
	execute(l, &acts);
}

/* One timer serves the policy's deadline and a waiting sweep: it is set
 * to the earlier of the two, and only when that changes. The end of time
 * is no time to wake. */
static void prepare_wait(struct loop *l, uint64_t now)
{
	uint64_t at = deadline_earliest(l->policy_at, reap_prepare(&l->reap, now));
	struct itimerspec when;

	if (at == DEADLINE_NEVER)
		at = 0;
	if (at == l->timer_at)
		return;
	when = (struct itimerspec){
		.it_value = {(time_t)(at / 1000000), (long)(at % 1000000) * 1000}};
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &when, NULL) < 0)
		log_error("timerfd_settime: %m");
	l->timer_at = at;
}

/* What woke reaper. */
struct events {
	bool signals, timer, workload_ended;
};

/* Blocks until there is something to read. With no timer set, that is a
 * blocking read of the signalfd itself: one system call fewer for each
 * wake-up than a poll. */
static bool wait_events(struct loop *l, struct events *ev)
{
	struct pollfd fds[3] = {{.fd = l->sfd, .events = POLLIN},
				{.fd = l->tfd, .events = POLLIN},
				{.fd = reap_poll_fd(&l->reap), .events = POLLIN}};
	nfds_t n = fds[2].fd >= 0 ? 3 : 2;

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

static void summarize(const struct loop *l)
{
	struct policy_summary s;

	policy_summary(l->policy, &s);
	report_summary(&s, clock_now() - l->started_at, l->terminated,
		       l->killed, l->code);
}

static void begin(struct loop *l)
{
	struct actions acts;

	l->started_at = clock_now();
	policy_started(l->policy, l->group.pgid, l->started_at, &acts);
	execute(l, &acts);
	if (l->injected != 0 && !l->exiting) {
		policy_on_signal(l->policy, l->injected, false, clock_now(), &acts);
		execute(l, &acts);
	}
}

/* One reading of the clock, taken after the sweep, decides both whether
 * the next sweep waits and the timer (reap.h). */
int loop_run(struct loop *l)
{
	uint64_t now;

	begin(l);
	for (now = clock_now(); !l->exiting; drain(l, &now)) {
		struct reap_batch b = {.n = 0};
		struct events ev;

		prepare_wait(l, now);
		if (!wait_events(l, &ev)) {
			log_error("poll: %m");
			return 125;
		}
		if (ev.signals)
			read_signals(l, &b);
		if (!l->exiting && ev.timer)
			read_timer(l);
		if (!l->exiting && ev.workload_ended)
			reap_workload(&l->reap);
		if (!l->exiting)
			reap_named(&l->reap, &b);
		now = clock_now();
	}
	summarize(l);
	return l->code;
}
