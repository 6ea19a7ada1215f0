#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fds.h"
#include "log.h"
#include "signals.h"
#include "syscalls.h"
#include "tty.h"

bool loop_open(struct loop *l, struct policy *p)
{
	kernel_sigset all = signal_handled_set();
	struct sigaction old;

	l->sfd = l->tfd = l->workload.fd = -1;
	l->timer_at = DEADLINE_NEVER;
	l->policy = p;
	l->self = getpid();
	l->summary.paused = p->cfg->pause;
	/* An ignored SIGCHLD would have the kernel reap for reaper and leave
	 * waitpid nothing to report. */
	if (sigaction(SIGCHLD, NULL, &old) < 0)
		return false;
	l->req.chld_ignored = old.sa_handler == SIG_IGN;
	if (l->req.chld_ignored && signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return false;
	if ((l->sfd = sys_signalfd(-1, &all, SFD_CLOEXEC)) < 0)
		return false;
	reap_init(&l->reap, l->sfd);
	/* Non-blocking: a timer set again after poll saw it fire reads
	 * nothing, and must not hold the loop until its new time. */
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	return l->tfd >= 0;
}

bool loop_start(struct loop *l)
{
	return (l->code = spawn_start(&l->req, &l->workload)) == 0;
}

void loop_release_inherited(struct loop *l)
{
	int own[] = {l->sfd, l->tfd, l->workload.fd, log_fd()};

	fds_release_inherited(own, sizeof own / sizeof own[0]);
}

/* The queue is emptied after every event, so it holds one event's
 * actions and those of one event they give rise to at most. */
static void enqueue(struct loop *l, const struct actions *acts)
{
	struct action_queue *q = &l->queue;

	if (q->n + acts->n > sizeof q->list / sizeof q->list[0]) {
		for (size_t i = q->head; i < q->n; i++)
			q->list[i - q->head] = q->list[i];
		q->n -= q->head;
		q->head = 0;
	}
	if (q->n + acts->n > sizeof q->list / sizeof q->list[0])
		abort();
	for (size_t i = 0; i < acts->n; i++)
		q->list[q->n++] = acts->list[i];
}

static void deliver(struct loop *l, const struct action *a)
{
	struct workload *w = &l->workload;
	pid_t target = a->to_group ? -w->pid : w->pid;
	int err;

	if (!w->running)
		return;
	err = kill(target, a->sig) < 0 && errno != ESRCH ? errno : 0;
	report_forward(a->sig, target, err);
}

static void end_descendants(struct loop *l, const struct action *a)
{
	unsigned long n = cleanup_signal(&l->cleanup, a->sig, a->only_new,
					 &l->workload);

	report_count(a->sig == SIGKILL ? &l->summary.killed
				       : &l->summary.terminated, n);
}

/* While children are being reaped, a start waits for the last batch:
 * no new workload is forked in the middle of a sweep. */
static void restart(struct loop *l)
{
	struct actions acts;
	int code;

	if (l->reaping) {
		l->start_waits = true;
		return;
	}
	if ((code = spawn_start(&l->req, &l->workload)) == 0)
		policy_started(l->policy, clock_now(), &acts);
	else
		policy_on_start_failed(l->policy, code, clock_now(), &acts);
	enqueue(l, &acts);
}

static void count_others(struct loop *l)
{
	struct actions acts;
	bool others = procfs_count_others(1) != 0;

	policy_on_others(l->policy, others, clock_now(), &acts);
	enqueue(l, &acts);
}

static void execute(struct loop *l, const struct action *a)
{
	switch (a->kind) {
	case ACT_FORWARD: deliver(l, a); break;
	case ACT_SIGNAL_TREE: end_descendants(l, a); break;
	case ACT_SPAWN: restart(l); break;
	case ACT_REPORT_ORPHAN: report_action(a); break;
	case ACT_REPORT_RESTART:
		l->summary.restarts = a->count;
		report_action(a);
		break;
	case ACT_SUSPEND: tty_suspend(); break;
	case ACT_FOREGROUND: tty_give(l->workload.pid); break;
	case ACT_RECLAIM_TERMINAL: tty_reclaim(l->workload.pid); break;
	case ACT_REPORT_LEFTOVERS: cleanup_report_left(&l->cleanup); break;
	case ACT_COUNT_OTHERS: count_others(l); break;
	case ACT_EXIT:
		l->exiting = true;
		l->code = a->exit_code;
		l->summary.last_status = a->wstatus;
		break;
	}
}

/* An event's actions, then those of the events they give rise to, in
 * order, none inside another. */
static void act(struct loop *l, const struct actions *acts)
{
	struct action_queue *q = &l->queue;

	enqueue(l, acts);
	while (q->head < q->n) {
		struct action a = q->list[q->head++];
		execute(l, &a);
	}
	q->head = q->n = 0;
}

static void on_child(struct loop *l, const struct reaped *c)
{
	struct workload *w = &l->workload;
	bool workload = w->running && c->pid == w->pid;
	struct actions acts;

	if (WIFSTOPPED(c->wstatus)) {
		if (!workload)
			return;
		policy_on_stopped(l->policy, WSTOPSIG(c->wstatus), tty_in_job(),
				  c->at, &acts);
	} else {
		if (workload)
			w->running = false;
		else
			l->summary.orphans_reaped++;
		policy_on_reaped(l->policy, c->pid, workload, c->wstatus, c->at,
				 &acts);
	}
	act(l, &acts);
}

/* The children that ended, in batches; the policy hears of each, and of
 * each sweep's end, only once the batch is reaped, so nothing is started
 * in the middle of a sweep. While the policy waits for the last
 * descendant, every wake-up ends with a sweep. */
static void reap_children(struct loop *l)
{
	struct reap_batch b;
	struct actions acts;
	uint64_t now = clock_now();

	if (policy_awaits_sweep(l->policy))
		reap_request_sweep(&l->reap);
	l->reaping = true;
	while (!l->exiting && reap_collect(&l->reap, &now, &b)) {
		for (size_t i = 0; i < b.n && !l->exiting; i++)
			on_child(l, &b.list[i]);
		if (!b.swept || l->exiting)
			continue;
		policy_on_swept(l->policy, b.children_left, now, &acts);
		act(l, &acts);
	}
	l->reaping = false;
	if (l->start_waits && !l->exiting) {
		l->start_waits = false;
		restart(l);
		act(l, &(struct actions){0});
	}
}

/* When the signals read together came is not known, only that it was
 * before the read. Where a deadline has passed too (reaper was stopped,
 * or slow to wake), they are taken to have come before it: a signal sent
 * during a restart's back-off is the back-off's, and does not reach the
 * run started once it is over. The deadline is acted on next, by the
 * timer, which has fired. */
static uint64_t signals_came_at(const struct loop *l)
{
	uint64_t now = clock_now(), due = policy_next_deadline(l->policy);

	return due <= now ? due - 1 : now;
}

static void read_signals(struct loop *l)
{
	struct signalfd_siginfo si[32];
	struct actions acts;
	ssize_t n = read(l->sfd, si, sizeof si);
	uint64_t at = signals_came_at(l);

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
			reap_note(&l->reap, from);
			continue;
		}
		policy_on_signal(l->policy, sig, from == l->self, at, &acts);
		act(l, &acts);
	}
}

static void read_timer(struct loop *l)
{
	struct actions acts;
	uint64_t expirations;

	/* Nothing to read when the timer was set again since it fired. */
	if (read(l->tfd, &expirations, sizeof expirations) > 0)
		l->timer_at = DEADLINE_NEVER;
	policy_on_timer(l->policy, clock_now(), &acts);
	act(l, &acts);
}

/* Set only when the moment changes; DEADLINE_NEVER disarms it. */
static void set_timer(struct loop *l, uint64_t at)
{
	uint64_t t = at == DEADLINE_NEVER ? 0 : at;
	struct itimerspec when = {
		.it_value = {(time_t)(t / 1000000), (long)(t % 1000000) * 1000}};

	if (at == l->timer_at)
		return;
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &when, NULL) < 0)
		log_error("timerfd_settime: %m");
	l->timer_at = at;
}

/* What woke reaper. */
struct wake {
	bool signals, timer, workload_ended;
};

/* Blocks until there is something to read. With no timer set, that is a
 * blocking read of the signalfd itself: one system call fewer for each
 * wake-up than a poll. */
static bool wait_for_events(struct loop *l, struct wake *w)
{
	int workload_fd = l->workload.running ? l->workload.fd : -1, extra;
	uint64_t at = reap_before_wait(&l->reap, workload_fd, &extra);
	struct pollfd fds[3] = {{.fd = l->sfd, .events = POLLIN},
				{.fd = l->tfd, .events = POLLIN},
				{.fd = extra, .events = POLLIN}};
	nfds_t n = extra >= 0 ? 3 : 2;

	set_timer(l, deadline_earliest(at, policy_next_deadline(l->policy)));
	*w = (struct wake){.signals = true};
	if (l->timer_at == DEADLINE_NEVER && n == 2)
		return true;
	while (poll(fds, n, -1) < 0)
		if (errno != EINTR)
			return false;
	w->signals = fds[0].revents & POLLIN;
	w->timer = fds[1].revents & POLLIN;
	w->workload_ended = n == 3 && fds[2].revents != 0;
	return true;
}

static void begin(struct loop *l)
{
	struct actions acts;

	l->summary.started_at = clock_now();
	policy_started(l->policy, l->summary.started_at, &acts);
	act(l, &acts);
	if (l->parent_gone_signal != 0 && !l->exiting) {
		policy_on_signal(l->policy, l->parent_gone_signal, false, clock_now(), &acts);
		act(l, &acts);
	}
}

int loop_run(struct loop *l)
{
	begin(l);
	while (!l->exiting) {
		struct wake w;
		if (!wait_for_events(l, &w)) {
			log_error("poll: %m");
			l->exiting = true;
			l->code = 125;
			break;
		}
		if (w.signals)
			read_signals(l);
		if (!l->exiting && w.workload_ended)
			reap_note(&l->reap, l->workload.pid);
		/* Children that ended before the timer fired, first: a
		 * workload that exited just before its --timeout keeps its
		 * status. */
		reap_children(l);
		if (!l->exiting && w.timer) {
			read_timer(l);
			reap_children(l);
		}
	}
	report_summary(&l->summary, clock_now(), l->code);
	cleanup_free(&l->cleanup);
	return l->code;
}
