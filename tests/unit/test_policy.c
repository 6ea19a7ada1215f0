#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "clock.h"
#include "runner.h"
#include "policy.h"
#include "policy_driver.h"

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)
#define W 100 /* the workload's pid */
/* Policy times are microseconds; the tests count in milliseconds. */
#define MS(t) ((uint64_t)(t) * 1000)

static struct config cfg;
static struct policy pol;
static struct actions acts;

#define signal_at(sig, now) policy_on_signal(&pol, sig, false, MS(now), &acts)
#define timer_at(now) policy_on_timer(&pol, MS(now), &acts)
#define swept_at(left, now) policy_on_swept(&pol, left, MS(now), &acts)
#define started_at(now) policy_started(&pol, MS(now), &acts)

static void setup(void)
{
	config_defaults(&cfg);
	policy_init(&pol, &cfg, false);
	started_at(MS(1000));
}

/* The one action of kind k in acts, or NULL. */
static const struct action *find(enum action_kind k)
{
	for (size_t i = 0; i < acts.n; i++)
		if (acts.list[i].kind == k)
			return &acts.list[i];
	return NULL;
}

static void expect_exit(int code)
{
	const struct action *a = find(ACT_EXIT);

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->exit_code, code);
	ck_assert_uint_eq(policy_next_deadline(&pol), DEADLINE_NEVER);
}

static void expect_tree(int sig)
{
	const struct action *a = find(ACT_SIGNAL_TREE);

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->sig, sig);
	ck_assert(!a->only_new);
}

/* ms: the policy's next deadline, in milliseconds; 0 for none. */
static void expect_armed(uint64_t ms)
{
	ck_assert_uint_eq(policy_next_deadline(&pol),
			  ms == 0 ? DEADLINE_NEVER : MS(ms));
}

/* The workload exits at now (ms); children_left says what waitpid saw. */
static void workload_exits(int wstatus, bool children_left, uint64_t now)
{
	const struct action *a;

	policy_on_reaped(&pol, W, true, wstatus, MS(now), &acts);
	/* Its group is over: the terminal, if it has it, comes back. */
	a = find(ACT_RECLAIM_TERMINAL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(find(ACT_EXIT));
	policy_on_swept(&pol, children_left, MS(now), &acts);
}


START_TEST(forwards_to_the_workload)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
			    SIGWINCH, SIGCONT, SIGTSTP, SIGRTMIN, SIGRTMAX};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		signal_at(sigs[i], 2000);
		ck_assert_int_eq(acts.n, 1);
		ck_assert_int_eq(acts.list[0].kind, ACT_FORWARD);
		ck_assert_int_eq(acts.list[0].sig, sigs[i]);
		ck_assert(!acts.list[0].to_group);
	}
}
END_TEST

START_TEST(forwards_to_the_group_with_g)
{
	cfg.kill_group = true;
	signal_at(SIGTERM, 2000);
	ck_assert_int_eq(acts.n, 1);
	ck_assert(acts.list[0].to_group);
}
END_TEST

START_TEST(rewrites_and_drops)
{
	cfg.rewrite[SIGTERM] = SIGQUIT;
	cfg.rewrite[SIGUSR1] = 0;
	signal_at(SIGTERM, 2000);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].sig, SIGQUIT);
	signal_at(SIGUSR1, 2000);
	ck_assert_int_eq(acts.n, 0);
	signal_at(SIGUSR2, 2000);
	ck_assert_int_eq(acts.list[0].sig, SIGUSR2);
}
END_TEST

START_TEST(a_sweep_is_awaited_only_once_the_workload_ended)
{
	ck_assert(!policy_awaits_sweep(&pol));
	policy_on_reaped(&pol, W, true, EXITED(0), MS(1500), &acts);
	ck_assert(policy_awaits_sweep(&pol));
	swept_at(true, 2000);
	ck_assert(policy_awaits_sweep(&pol));
	swept_at(false, 2001);
	ck_assert(!policy_awaits_sweep(&pol));
}
END_TEST

START_TEST(exits_at_once_when_nothing_is_left)
{
	workload_exits(EXITED(42), false, 2000);
	expect_exit(42);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
}
END_TEST

START_TEST(leftovers_get_term_then_kill_after_grace)
{
	workload_exits(EXITED(3), true, 2000);
	expect_tree(SIGTERM);
	ck_assert_ptr_null(find(ACT_EXIT));
	expect_armed(7000);
	/* Reaping during the grace changes nothing while some remain. */
	swept_at(true, 3000);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
	timer_at(7000);
	expect_tree(SIGKILL);
	swept_at(false, 7001);
	expect_exit(3);
	expect_armed(0);
}
END_TEST

START_TEST(leftovers_that_obey_end_early)
{
	workload_exits(KILLED(SIGSEGV), true, 2000);
	expect_tree(SIGTERM);
	swept_at(false, 2100);
	expect_exit(128 + SIGSEGV);
}
END_TEST

START_TEST(no_grace_kills_at_once)
{
	cfg.grace_us = 0;
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGKILL);
	swept_at(false, 2001);
	expect_exit(0);
}
END_TEST

START_TEST(kill_is_repeated_while_some_remain)
{
	cfg.grace_us = 0;
	workload_exits(EXITED(0), true, 2000);
	expect_armed(3000);
	timer_at(3000);
	expect_tree(SIGKILL);
}
END_TEST

START_TEST(no_cleanup_exits_at_once)
{
	cfg.cleanup = false;
	workload_exits(EXITED(9), true, 2000);
	expect_exit(9);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
}
END_TEST

START_TEST(second_signal_skips_the_grace)
{
	workload_exits(EXITED(0), true, 2000);
	signal_at(SIGINT, 2500);
	expect_tree(SIGKILL);
	swept_at(false, 2501);
	expect_exit(0);
}
END_TEST

START_TEST(timeout_ends_the_tree_and_exits_124)
{
	cfg.timeout_us = MS(10000);
	policy_init(&pol, &cfg, false);
	started_at(1000);
	expect_armed(11000);
	timer_at(11000);
	expect_tree(SIGTERM);
	expect_armed(16000);
	workload_exits(KILLED(SIGTERM), false, 11500);
	expect_exit(124);
}
END_TEST

/* The loop's one timer also serves its sweeps, so it may fire before any
 * deadline of the policy's. */
START_TEST(a_timer_before_every_deadline_changes_nothing)
{
	cfg.timeout_us = MS(10000);
	policy_init(&pol, &cfg, false);
	started_at(1000);
	timer_at(10999);
	ck_assert_uint_eq(acts.n, 0);
	expect_armed(11000);
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGTERM);
	expect_armed(7000);
	timer_at(6999);
	ck_assert_uint_eq(acts.n, 0);
	expect_armed(7000);
}
END_TEST

START_TEST(timeout_signal_and_kill_after_grace)
{
	cfg.timeout_us = MS(10000);
	cfg.timeout_signal = SIGINT;
	policy_init(&pol, &cfg, false);
	started_at(0);
	timer_at(10000);
	expect_tree(SIGINT);
	timer_at(15000);
	expect_tree(SIGKILL);
	workload_exits(KILLED(SIGKILL), false, 15001);
	expect_exit(124);
}
END_TEST

START_TEST(run_that_ended_before_the_deadline_keeps_its_status)
{
	cfg.timeout_us = MS(10000);
	policy_init(&pol, &cfg, false);
	started_at(0);
	workload_exits(EXITED(2), true, 9000);
	timer_at(10000);
	ck_assert_ptr_null(find(ACT_EXIT));
	swept_at(false, 10001);
	expect_exit(2);
}
END_TEST

START_TEST(backoff_arithmetic)
{
	cfg.backoff_min_us = MS(100);
	cfg.backoff_max_us = MS(1000);
	ck_assert_uint_eq(policy_backoff(&cfg, 0), MS(100));
	ck_assert_uint_eq(policy_backoff(&cfg, 1), MS(200));
	ck_assert_uint_eq(policy_backoff(&cfg, 2), MS(400));
	ck_assert_uint_eq(policy_backoff(&cfg, 3), MS(800));
	ck_assert_uint_eq(policy_backoff(&cfg, 4), MS(1000));
	ck_assert_uint_eq(policy_backoff(&cfg, 400), MS(1000));
}
END_TEST

/* Doubling a maximum above 2^63 µs wraps to 0 unless held. */
START_TEST(backoff_saturates_at_huge_maxima)
{
	uint64_t last = 0;

	cfg.backoff_min_us = MS(100);
	cfg.backoff_max_us = UINT64_MAX - 1;
	for (unsigned attempt = 0; attempt < 80; attempt++) {
		uint64_t d = policy_backoff(&cfg, attempt);
		ck_assert_msg(d >= last, "attempt %u: %llu after %llu", attempt,
			      (unsigned long long)d, (unsigned long long)last);
		last = d;
	}
	ck_assert_uint_eq(last, UINT64_MAX - 1);
}
END_TEST

/* Runs the workload to failure at now and checks the restart delay. */
static void fails_and_restarts(uint64_t now, uint64_t delay)
{
	const struct action *a;

	workload_exits(EXITED(3), false, now);
	a = find(ACT_REPORT_RESTART);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->delay_us, MS(delay));
	ck_assert_int_eq(a->wstatus, EXITED(3));
	ck_assert_ptr_null(find(ACT_EXIT));
	expect_armed(now + delay);
	timer_at(now + delay);
	ck_assert_ptr_nonnull(find(ACT_SPAWN));
	started_at(now + delay);
}

START_TEST(restart_on_failure_with_growing_delays_and_a_limit)
{
	cfg.restart = RESTART_ON_FAILURE;
	cfg.max_restarts = 3;
	fails_and_restarts(1000, 100);
	fails_and_restarts(2000, 200);
	fails_and_restarts(3000, 400);
	workload_exits(EXITED(3), false, 4000);
	expect_exit(3);
}
END_TEST

START_TEST(on_failure_stops_at_success)
{
	cfg.restart = RESTART_ON_FAILURE;
	fails_and_restarts(1000, 100);
	workload_exits(EXITED(0), false, 2000);
	expect_exit(0);
}
END_TEST

START_TEST(always_restarts_success_too)
{
	cfg.restart = RESTART_ALWAYS;
	workload_exits(EXITED(0), false, 2000);
	ck_assert_ptr_nonnull(find(ACT_REPORT_RESTART));
}
END_TEST

START_TEST(long_run_resets_the_backoff)
{
	cfg.restart = RESTART_ON_FAILURE;
	cfg.backoff_max_us = MS(1000);
	fails_and_restarts(1000, 100);
	fails_and_restarts(1500, 200);
	/* This run lasted longer than the largest delay. */
	fails_and_restarts(5000, 100);
}
END_TEST

START_TEST(terminating_signal_stops_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	signal_at(SIGTERM, 1500);
	ck_assert_int_eq(find(ACT_FORWARD)->sig, SIGTERM);
	workload_exits(KILLED(SIGTERM), false, 1600);
	expect_exit(128 + SIGTERM);
}
END_TEST

/* HUP means "reload" to the daemons --restart is for: forwarded, it
 * ends nothing, and a crash after it is restarted. */
START_TEST(a_forwarded_hup_keeps_restarting)
{
	cfg.restart = RESTART_ON_FAILURE;
	signal_at(SIGHUP, 1500);
	ck_assert_int_eq(find(ACT_FORWARD)->sig, SIGHUP);
	workload_exits(KILLED(SIGSEGV), false, 1600);
	ck_assert_ptr_nonnull(find(ACT_REPORT_RESTART));
}
END_TEST

/* But a workload that dies of the very signal forwarded to it was
 * stopped by it. */
START_TEST(dying_of_a_forwarded_signal_ends_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	signal_at(SIGUSR1, 1500);
	workload_exits(KILLED(SIGUSR1), false, 1600);
	expect_exit(128 + SIGUSR1);
}
END_TEST

/* As rewritten: the workload dies of what it was sent. */
START_TEST(a_rewritten_signal_counts_as_sent)
{
	cfg.restart = RESTART_ALWAYS;
	cfg.rewrite[SIGUSR1] = SIGUSR2;
	signal_at(SIGUSR1, 1500);
	workload_exits(KILLED(SIGUSR2), false, 1600);
	expect_exit(128 + SIGUSR2);
}
END_TEST

/* The --timeout-signal means stop, as TERM does. */
START_TEST(the_timeout_signal_ends_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	cfg.timeout_signal = SIGUSR2;
	signal_at(SIGUSR2, 1500);
	workload_exits(EXITED(0), false, 1600);
	expect_exit(0);
}
END_TEST

/* A restart whose fork fails (a pids cgroup or RLIMIT_NPROC full for a
 * moment) is a failed run: tried again after the back-off, within
 * --max-restarts. */
START_TEST(a_failed_start_is_retried_after_the_backoff)
{
	const struct action *a;

	cfg.restart = RESTART_ON_FAILURE;
	cfg.max_restarts = 2;
	workload_exits(EXITED(3), false, 2000);
	timer_at(2100);
	ck_assert_ptr_nonnull(find(ACT_SPAWN));
	policy_on_start_failed(&pol, 125, MS(2100), &acts);
	a = find(ACT_REPORT_RESTART);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->wstatus, EXITED(125));
	ck_assert_uint_eq(a->delay_us, MS(200));
	expect_armed(2300);
	timer_at(2300);
	ck_assert_ptr_nonnull(find(ACT_SPAWN));
	policy_on_start_failed(&pol, 125, MS(2300), &acts);
	expect_exit(125);
}
END_TEST

/* A descendant whose parent died during the grace comes to reaper, not
 * yet signalled: the sweep that reaped the parent walks again for new
 * ones. */
START_TEST(a_sweep_in_the_grace_signals_the_new_ones)
{
	const struct action *a;

	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGTERM);
	swept_at(true, 2100);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
	policy_on_reaped(&pol, 300, false, KILLED(SIGTERM), MS(2200), &acts);
	swept_at(true, 2200);
	a = find(ACT_SIGNAL_TREE);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->sig, SIGTERM);
	ck_assert(a->only_new);
	swept_at(true, 2300);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
}
END_TEST

START_TEST(signal_during_backoff_exits_with_last_status)
{
	cfg.restart = RESTART_ON_FAILURE;
	workload_exits(EXITED(3), false, 2000);
	ck_assert_ptr_nonnull(find(ACT_REPORT_RESTART));
	signal_at(SIGUSR1, 2010);
	ck_assert_ptr_null(find(ACT_EXIT));
	signal_at(SIGHUP, 2015);
	ck_assert_ptr_null(find(ACT_EXIT));
	signal_at(SIGQUIT, 2020);
	expect_exit(3);
	expect_armed(0);
}
END_TEST

/* The run ends, and its cleanup with it, past the timeout: no restart
 * is announced only to be taken back; reaper exits 124. */
START_TEST(a_run_ending_past_the_timeout_is_not_restarted)
{
	cfg.restart = RESTART_ALWAYS;
	cfg.timeout_us = MS(10000);
	policy_init(&pol, &cfg, false);
	started_at(0);
	policy_on_reaped(&pol, W, true, EXITED(3), MS(9990), &acts);
	swept_at(false, 10005);
	ck_assert_ptr_null(find(ACT_REPORT_RESTART));
	expect_exit(124);
}
END_TEST

START_TEST(timeout_across_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	cfg.timeout_us = MS(10000);
	policy_init(&pol, &cfg, false);
	started_at(0);
	fails_and_restarts(4000, 100);
	expect_armed(10000);
	workload_exits(EXITED(3), false, 9950);
	/* In back-off when the deadline comes: no more runs. */
	timer_at(10000);
	expect_exit(124);
}
END_TEST

START_TEST(pause_exits_0_on_term_or_int)
{
	const int sigs[] = {SIGTERM, SIGINT};

	cfg.pause = true;
	for (size_t i = 0; i < 2; i++) {
		policy_init(&pol, &cfg, false);
		started_at(5);
		signal_at(SIGUSR1, 10);
		ck_assert_int_eq(acts.n, 0);
		policy_on_reaped(&pol, 5, false, EXITED(1), MS(11), &acts);
		swept_at(false, 11);
		ck_assert_ptr_null(find(ACT_EXIT));
		signal_at(sigs[i], 20);
		swept_at(false, 21);
		expect_exit(0);
	}
}
END_TEST

START_TEST(pause_honours_the_timeout)
{
	cfg.pause = true;
	cfg.timeout_us = MS(500);
	policy_init(&pol, &cfg, false);
	started_at(1000);
	expect_armed(1500);
	timer_at(1500);
	swept_at(false, 1501);
	expect_exit(124);
}
END_TEST

START_TEST(huge_durations_mean_never)
{
	cfg.grace_us = UINT64_MAX - 10;
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGTERM);
	ck_assert_uint_eq(policy_next_deadline(&pol), DEADLINE_NEVER);
	timer_at(3000);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
}
END_TEST

#define stopped_at(sig, job, now) \
	policy_on_stopped(&pol, sig, job, MS(now), &acts)

START_TEST(as_a_shells_job_stops_and_resumes_with_the_workload)
{
	stopped_at(SIGTSTP, true, 1500);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_SUSPEND);
	signal_at(SIGCONT, 2000);
	ck_assert_int_eq(acts.n, 2);
	ck_assert_int_eq(acts.list[0].kind, ACT_FOREGROUND);
	ck_assert_int_eq(acts.list[1].kind, ACT_FORWARD);
	ck_assert_int_eq(acts.list[1].sig, SIGCONT);
	ck_assert(acts.list[1].to_group);
	/* Once resumed, SIGCONT is an ordinary signal again. */
	signal_at(SIGCONT, 2100);
	ck_assert_int_eq(acts.n, 1);
	ck_assert(!acts.list[0].to_group);
}
END_TEST

/* A session leader's workload (script -c, tmux, docker -t) would be in an
 * orphaned group without reaper, where the kernel ignores the terminal's
 * stops: it is continued, and reaper does not stop. */
START_TEST(outside_a_job_a_terminal_stop_is_undone)
{
	const int stops[] = {SIGTSTP, SIGTTIN, SIGTTOU};

	for (size_t i = 0; i < 3; i++) {
		stopped_at(stops[i], false, 1500);
		ck_assert_int_eq(acts.n, 1);
		ck_assert_int_eq(acts.list[0].kind, ACT_FORWARD);
		ck_assert_int_eq(acts.list[0].sig, SIGCONT);
		ck_assert(acts.list[0].to_group);
	}
	/* SIGSTOP stops an orphaned group too: it stays stopped. */
	stopped_at(SIGSTOP, false, 1500);
	ck_assert_int_eq(acts.n, 0);
	/* And SIGCONT, not being awaited, is forwarded as any signal. */
	signal_at(SIGCONT, 1600);
	ck_assert_int_eq(acts.n, 1);
	ck_assert(!acts.list[0].to_group);
}
END_TEST

START_TEST(no_job_control_with_setsid)
{
	cfg.setsid = true;
	stopped_at(SIGTSTP, true, 1500);
	ck_assert_int_eq(acts.n, 0);
	stopped_at(SIGTSTP, false, 1500);
	ck_assert_int_eq(acts.n, 0);
}
END_TEST

START_TEST(exit_codes)
{
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(0)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(255)), 255);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGTERM)), 143);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGSEGV) | WCOREFLAG), 139);
	cfg.remap_exit[3 / 8] |= 1u << 3;
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(3)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(4)), 4);
	cfg.remap_exit[143 / 8] |= 1u << (143 % 8);
	/* -e remaps the final code, 128+N too, as tini does. */
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGTERM)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(143)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGKILL)), 137);
}
END_TEST

START_TEST(orphans_are_counted_and_reported_with_w)
{
	policy_on_reaped(&pol, 200, false, EXITED(1), MS(1500), &acts);
	ck_assert_int_eq(acts.n, 0);
	cfg.warn_on_reap = true;
	policy_on_reaped(&pol, 201, false, KILLED(SIGKILL), MS(1500), &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_REPORT_ORPHAN);
	ck_assert_int_eq(acts.list[0].pid, 201);
	ck_assert_int_eq(acts.list[0].wstatus, KILLED(SIGKILL));
	/* Reaped among orphans, the workload's status is kept. */
	workload_exits(EXITED(7), false, 2000);
	expect_exit(7);
}
END_TEST

/* After the grace, SIGKILL every second; what is left five seconds after
 * the first (reaper may not signal it, or cannot find it) is given up on,
 * and reaper exits with the status it would have had. */
START_TEST(the_kill_phase_gives_up_after_its_bound)
{
	cfg.grace_us = MS(1000);
	workload_exits(EXITED(3), true, 2000);
	expect_tree(SIGTERM);
	timer_at(3000);
	expect_tree(SIGKILL);
	for (uint64_t t = 4000; t < 8000; t += 1000) {
		expect_armed(t);
		timer_at(t);
		expect_tree(SIGKILL);
		ck_assert_ptr_null(find(ACT_EXIT));
		swept_at(true, t);
	}
	expect_armed(8000);
	timer_at(8000);
	ck_assert_ptr_nonnull(find(ACT_REPORT_LEFTOVERS));
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
	expect_exit(3);
}
END_TEST

/* As during the grace, SIGTERM or SIGINT ends the wait at once. */
START_TEST(impatience_during_the_kill_phase_gives_up_at_once)
{
	const int sigs[] = {SIGTERM, SIGINT};

	for (size_t i = 0; i < 2; i++) {
		setup();
		cfg.grace_us = 0;
		workload_exits(EXITED(0), true, 2000);
		expect_tree(SIGKILL);
		signal_at(sigs[i], 2500);
		ck_assert_ptr_nonnull(find(ACT_REPORT_LEFTOVERS));
		expect_exit(0);
	}
}
END_TEST

/* The --timeout whose deadline falls in the grace: the run already ended
 * and keeps its status, and the timer is never set to the passed
 * deadline, which would wake reaper again at once, and again. */
START_TEST(a_timeout_passing_during_the_grace_sets_no_timer_in_the_past)
{
	cfg.timeout_us = MS(500);
	cfg.grace_us = MS(3000);
	policy_init(&pol, &cfg, false);
	started_at(0);
	workload_exits(EXITED(0), true, 100);
	expect_tree(SIGTERM);
	expect_armed(3100);
	timer_at(600);
	ck_assert_uint_eq(acts.n, 0);
	expect_armed(3100);
	timer_at(3100);
	expect_tree(SIGKILL);
	expect_armed(4100);
	swept_at(false, 3200);
	expect_exit(0);
}
END_TEST

/* The SIGPIPE of reaper's own log line to a closed pipe, the SIGHUP and
 * SIGCONT of letting go of its terminal: nobody's to forward, and they
 * stop nothing. */
START_TEST(signals_reaper_raised_on_itself_are_not_forwarded)
{
	const int sigs[] = {SIGPIPE, SIGHUP, SIGCONT, SIGTERM};

	cfg.restart = RESTART_ALWAYS;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		policy_on_signal(&pol, sigs[i], true, MS(1500), &acts);
		ck_assert_uint_eq(acts.n, 0);
	}
	workload_exits(EXITED(1), false, 2000);
	ck_assert_ptr_nonnull(find(ACT_REPORT_RESTART));
}
END_TEST

START_TEST(restarts_are_counted_in_their_reports)
{
	cfg.restart = RESTART_ALWAYS;
	for (unsigned long n = 1; n <= 3; n++) {
		workload_exits(EXITED(0), false, 2000 * n);
		ck_assert_uint_eq(find(ACT_REPORT_RESTART)->count, n);
		timer_at(2000 * n + 1000);
		ck_assert_ptr_nonnull(find(ACT_SPAWN));
		started_at(2000 * n + 1000);
	}
}
END_TEST

/* In pause mode, --timeout ends the descendants: there is no workload
 * to forward to. */
START_TEST(pause_mode_timeout_signals_the_tree)
{
	cfg.pause = true;
	cfg.timeout_us = MS(500);
	cfg.timeout_signal = SIGUSR2;
	policy_init(&pol, &cfg, false);
	started_at(1000);
	timer_at(1500);
	expect_tree(SIGUSR2);
	ck_assert_ptr_null(find(ACT_FORWARD));
}
END_TEST

/* In each phase that waits, the deadline the policy names is the one it
 * acts on: a moment before, nothing; at it, the next phase. */
static void at_its_deadline(uint64_t ms, enum action_kind then)
{
	expect_armed(ms);
	timer_at(ms - 1);
	ck_assert_uint_eq(acts.n, 0);
	expect_armed(ms);
	timer_at(ms);
	ck_assert_ptr_nonnull(find(then));
	ck_assert_uint_gt(policy_next_deadline(&pol), MS(ms));
}

START_TEST(every_phase_acts_on_the_deadline_it_names)
{
	cfg.timeout_us = MS(10000);
	cfg.grace_us = MS(2000);
	cfg.restart = RESTART_ON_FAILURE;
	policy_init(&pol, &cfg, false);
	started_at(0);
	/* a run, then its back-off */
	workload_exits(EXITED(1), false, 1000);
	at_its_deadline(1100, ACT_SPAWN);
	started_at(1100);
	/* the timeout, then the grace, then the SIGKILL rounds */
	at_its_deadline(10000, ACT_SIGNAL_TREE);
	at_its_deadline(12000, ACT_SIGNAL_TREE);
	ck_assert_int_eq(find(ACT_SIGNAL_TREE)->sig, SIGKILL);
	at_its_deadline(13000, ACT_SIGNAL_TREE);
	at_its_deadline(14000, ACT_SIGNAL_TREE);
	at_its_deadline(15000, ACT_SIGNAL_TREE);
	at_its_deadline(16000, ACT_SIGNAL_TREE);
	/* the give-up */
	expect_armed(17000);
	timer_at(17000);
	ck_assert_ptr_nonnull(find(ACT_REPORT_LEFTOVERS));
	expect_exit(124);
}
END_TEST

/* A pod's pause process as PID 1, told to stop: the pod's other
 * containers, stopped by the engine too, end their own way; it looks for
 * them every 100 ms, and exits 0 once none is left, or SIGKILLs them when
 * the grace is over. It sends them no SIGTERM of its own. */
START_TEST(a_stopping_pause_waits_for_the_pods_others)
{
	cfg.pause = true;
	policy_init(&pol, &cfg, true);
	started_at(1000);
	signal_at(SIGTERM, 2000);
	ck_assert_ptr_nonnull(find(ACT_COUNT_OTHERS));
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
	policy_on_others(&pol, true, MS(2000), &acts);
	ck_assert_uint_eq(acts.n, 0);
	/* The next look, not the end of the grace, is what comes next. */
	expect_armed(2100);
	swept_at(false, 2050);
	ck_assert_ptr_null(find(ACT_EXIT));
	timer_at(2100);
	ck_assert_ptr_nonnull(find(ACT_COUNT_OTHERS));
	policy_on_others(&pol, false, MS(2100), &acts);
	expect_exit(0);
}
END_TEST

START_TEST(a_stopping_pause_kills_the_rest_after_the_grace)
{
	const struct action *a;

	cfg.pause = true;
	policy_init(&pol, &cfg, true);
	started_at(1000);
	signal_at(SIGINT, 2000);
	for (uint64_t t = 2000; t < 7000; t += 100) {
		policy_on_others(&pol, true, MS(t), &acts);
		timer_at(t + 100);
	}
	ck_assert_ptr_null(find(ACT_COUNT_OTHERS));
	a = find(ACT_SIGNAL_TREE);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->sig, SIGKILL);
	swept_at(false, 7001);
	expect_exit(0);
}
END_TEST

/* Not PID 1 (a subreaper's pause), its descendants get SIGTERM. */
START_TEST(a_stopping_pause_as_a_subreaper_terminates_its_descendants)
{
	cfg.pause = true;
	policy_init(&pol, &cfg, false);
	started_at(1000);
	signal_at(SIGTERM, 2000);
	ck_assert_ptr_null(find(ACT_COUNT_OTHERS));
	swept_at(true, 2000);
	ck_assert_int_eq(find(ACT_SIGNAL_TREE)->sig, SIGTERM);
}
END_TEST

/* xorshift64: the same sequences every run. */
static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint8_t random_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)rng;
}

/* Random configurations and events at random times, the timer firing at,
 * on and past its deadlines: after every step the next deadline is none
 * or ahead, and the loop was told of it (policy_driver.c). */
START_TEST(deadlines_are_never_in_the_past)
{
	static uint8_t bytes[400];

	for (int round = 0; round < 20000; round++) {
		const char *why;
		for (size_t i = 0; i < sizeof bytes; i++)
			bytes[i] = random_byte();
		why = policy_drive(bytes, sizeof bytes);
		ck_assert_msg(why == NULL, "round %d: %s", round, why);
	}
}
END_TEST

START_TEST(describes_statuses)
{
	char buf[64];

	ck_assert_str_eq(policy_describe(EXITED(3), buf, sizeof buf), "exit 3");
	ck_assert_str_eq(policy_describe(KILLED(SIGSEGV), buf, sizeof buf),
			 "killed by SIGSEGV");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		forwards_to_the_workload,
		forwards_to_the_group_with_g,
		rewrites_and_drops,
		a_sweep_is_awaited_only_once_the_workload_ended,
		exits_at_once_when_nothing_is_left,
		leftovers_get_term_then_kill_after_grace,
		leftovers_that_obey_end_early,
		no_grace_kills_at_once,
		kill_is_repeated_while_some_remain,
		no_cleanup_exits_at_once,
		second_signal_skips_the_grace,
		timeout_ends_the_tree_and_exits_124,
		a_timer_before_every_deadline_changes_nothing,
		timeout_signal_and_kill_after_grace,
		run_that_ended_before_the_deadline_keeps_its_status,
		backoff_arithmetic,
		restart_on_failure_with_growing_delays_and_a_limit,
		on_failure_stops_at_success,
		always_restarts_success_too,
		long_run_resets_the_backoff,
		terminating_signal_stops_restarts,
		signal_during_backoff_exits_with_last_status,
		backoff_saturates_at_huge_maxima,
		a_forwarded_hup_keeps_restarting,
		dying_of_a_forwarded_signal_ends_restarts,
		a_rewritten_signal_counts_as_sent,
		the_timeout_signal_ends_restarts,
		a_failed_start_is_retried_after_the_backoff,
		a_sweep_in_the_grace_signals_the_new_ones,
		timeout_across_restarts,
		a_run_ending_past_the_timeout_is_not_restarted,
		pause_exits_0_on_term_or_int,
		pause_honours_the_timeout,
		huge_durations_mean_never,
		as_a_shells_job_stops_and_resumes_with_the_workload,
		outside_a_job_a_terminal_stop_is_undone,
		no_job_control_with_setsid,
		exit_codes,
		orphans_are_counted_and_reported_with_w,
		describes_statuses,
		the_kill_phase_gives_up_after_its_bound,
		impatience_during_the_kill_phase_gives_up_at_once,
		a_timeout_passing_during_the_grace_sets_no_timer_in_the_past,
		signals_reaper_raised_on_itself_are_not_forwarded,
		restarts_are_counted_in_their_reports,
		pause_mode_timeout_signals_the_tree,
		every_phase_acts_on_the_deadline_it_names,
		a_stopping_pause_waits_for_the_pods_others,
		a_stopping_pause_kills_the_rest_after_the_grace,
		a_stopping_pause_as_a_subreaper_terminates_its_descendants,
		deadlines_are_never_in_the_past,
		NULL,
	};

	return run_tests("policy", 0, setup, NULL, tests);
}
