#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "runner.h"
#include "policy.h"

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)
#define W 100 /* the workload's pid */

static struct config cfg;
static struct policy pol;
static struct actions acts;

static void setup(void)
{
	cfg = (struct config){
		.verbosity = 1, .cleanup = true, .grace_ms = 5000,
		.timeout_signal = SIGTERM, .max_restarts = ULONG_MAX,
		.backoff_min_ms = 100, .backoff_max_ms = 30000,
	};
	for (int sig = 1; sig < CONFIG_NSIG; sig++)
		cfg.rewrite[sig] = (uint8_t)sig;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 1000, &acts);
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
	ck_assert_int_eq(a->status, code);
	ck_assert_int_eq(pol.phase, PHASE_DONE);
}

static void expect_tree(int sig)
{
	const struct action *a = find(ACT_SIGNAL_TREE);

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->sig, sig);
}

static void expect_armed(uint64_t at)
{
	ck_assert_uint_eq(pol.armed, at);
}

/* The workload exits at now; children_left says what waitpid saw. */
static void workload_exits(int wstatus, bool children_left, uint64_t now)
{
	policy_on_reaped(&pol, W, wstatus, &acts);
	ck_assert_int_eq(acts.n, 0);
	policy_on_drained(&pol, children_left, now, &acts);
}

START_TEST(forwards_to_the_workload)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
			    SIGWINCH, SIGCONT, SIGTSTP, SIGRTMIN, SIGRTMAX};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		policy_on_signal(&pol, sigs[i], 2000, &acts);
		ck_assert_int_eq(acts.n, 1);
		ck_assert_int_eq(acts.list[0].kind, ACT_FORWARD);
		ck_assert_int_eq(acts.list[0].sig, sigs[i]);
		ck_assert_int_eq(acts.list[0].target, W);
	}
}
END_TEST

START_TEST(forwards_to_the_group_with_g)
{
	cfg.kill_group = true;
	policy_on_signal(&pol, SIGTERM, 2000, &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].target, -W);
}
END_TEST

START_TEST(rewrites_and_drops)
{
	cfg.rewrite[SIGTERM] = SIGQUIT;
	cfg.rewrite[SIGUSR1] = 0;
	policy_on_signal(&pol, SIGTERM, 2000, &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].sig, SIGQUIT);
	policy_on_signal(&pol, SIGUSR1, 2000, &acts);
	ck_assert_int_eq(acts.n, 0);
	policy_on_signal(&pol, SIGUSR2, 2000, &acts);
	ck_assert_int_eq(acts.list[0].sig, SIGUSR2);
}
END_TEST

START_TEST(drain_is_awaited_only_once_the_workload_ended)
{
	ck_assert(!policy_awaits_drain(&pol));
	policy_on_reaped(&pol, W, EXITED(0), &acts);
	ck_assert(policy_awaits_drain(&pol));
	policy_on_drained(&pol, true, 2000, &acts);
	ck_assert(policy_awaits_drain(&pol));
	policy_on_drained(&pol, false, 2001, &acts);
	ck_assert(!policy_awaits_drain(&pol));
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
	policy_on_drained(&pol, true, 3000, &acts);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
	policy_on_timer(&pol, 7000, &acts);
	expect_tree(SIGKILL);
	policy_on_drained(&pol, false, 7001, &acts);
	expect_exit(3);
	expect_armed(0);
}
END_TEST

START_TEST(leftovers_that_obey_end_early)
{
	workload_exits(KILLED(SIGSEGV), true, 2000);
	expect_tree(SIGTERM);
	policy_on_drained(&pol, false, 2100, &acts);
	expect_exit(128 + SIGSEGV);
}
END_TEST

START_TEST(no_grace_kills_at_once)
{
	cfg.grace_ms = 0;
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGKILL);
	policy_on_drained(&pol, false, 2001, &acts);
	expect_exit(0);
}
END_TEST

START_TEST(kill_is_repeated_while_some_remain)
{
	cfg.grace_ms = 0;
	workload_exits(EXITED(0), true, 2000);
	expect_armed(3000);
	policy_on_timer(&pol, 3000, &acts);
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
	policy_on_signal(&pol, SIGINT, 2500, &acts);
	expect_tree(SIGKILL);
	policy_on_drained(&pol, false, 2501, &acts);
	expect_exit(0);
}
END_TEST

START_TEST(timeout_ends_the_tree_and_exits_124)
{
	cfg.timeout_ms = 10000;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 1000, &acts);
	expect_armed(11000);
	policy_on_timer(&pol, 11000, &acts);
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
	cfg.timeout_ms = 10000;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 1000, &acts);
	policy_on_timer(&pol, 10999, &acts);
	ck_assert_uint_eq(acts.n, 0);
	ck_assert_uint_eq(pol.armed, 11000);
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGTERM);
	ck_assert_uint_eq(pol.armed, 7000);
	policy_on_timer(&pol, 6999, &acts);
	ck_assert_uint_eq(acts.n, 0);
	ck_assert_uint_eq(pol.armed, 7000);
}
END_TEST

START_TEST(timeout_signal_and_kill_after_grace)
{
	cfg.timeout_ms = 10000;
	cfg.timeout_signal = SIGINT;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 0, &acts);
	policy_on_timer(&pol, 10000, &acts);
	expect_tree(SIGINT);
	policy_on_timer(&pol, 15000, &acts);
	expect_tree(SIGKILL);
	workload_exits(KILLED(SIGKILL), false, 15001);
	expect_exit(124);
}
END_TEST

START_TEST(run_that_ended_before_the_deadline_keeps_its_status)
{
	cfg.timeout_ms = 10000;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 0, &acts);
	workload_exits(EXITED(2), true, 9000);
	policy_on_timer(&pol, 10000, &acts);
	ck_assert_ptr_null(find(ACT_EXIT));
	policy_on_drained(&pol, false, 10001, &acts);
	expect_exit(2);
}
END_TEST

START_TEST(backoff_arithmetic)
{
	cfg.backoff_min_ms = 100;
	cfg.backoff_max_ms = 1000;
	ck_assert_uint_eq(policy_backoff(&cfg, 0), 100);
	ck_assert_uint_eq(policy_backoff(&cfg, 1), 200);
	ck_assert_uint_eq(policy_backoff(&cfg, 2), 400);
	ck_assert_uint_eq(policy_backoff(&cfg, 3), 800);
	ck_assert_uint_eq(policy_backoff(&cfg, 4), 1000);
	ck_assert_uint_eq(policy_backoff(&cfg, 400), 1000);
}
END_TEST

/* Runs the workload to failure at now and checks the restart delay. */
static void fails_and_restarts(uint64_t now, uint64_t delay)
{
	const struct action *a;

	workload_exits(EXITED(3), false, now);
	a = find(ACT_REPORT_RESTART);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->at, delay);
	ck_assert_int_eq(a->status, EXITED(3));
	ck_assert_int_eq(pol.phase, PHASE_BACKOFF);
	expect_armed(now + delay);
	policy_on_timer(&pol, now + delay, &acts);
	ck_assert_ptr_nonnull(find(ACT_SPAWN));
	policy_started(&pol, W, now + delay, &acts);
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
	ck_assert_uint_eq(pol.restarts, 3);
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
	cfg.backoff_max_ms = 1000;
	fails_and_restarts(1000, 100);
	fails_and_restarts(1500, 200);
	/* This run lasted longer than the largest delay. */
	fails_and_restarts(5000, 100);
}
END_TEST

START_TEST(terminating_signal_stops_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	policy_on_signal(&pol, SIGTERM, 1500, &acts);
	ck_assert_int_eq(find(ACT_FORWARD)->sig, SIGTERM);
	workload_exits(KILLED(SIGTERM), false, 1600);
	expect_exit(128 + SIGTERM);
}
END_TEST

START_TEST(signal_during_backoff_exits_with_last_status)
{
	cfg.restart = RESTART_ON_FAILURE;
	workload_exits(EXITED(3), false, 2000);
	ck_assert_int_eq(pol.phase, PHASE_BACKOFF);
	policy_on_signal(&pol, SIGUSR1, 2010, &acts);
	ck_assert_ptr_null(find(ACT_EXIT));
	policy_on_signal(&pol, SIGHUP, 2020, &acts);
	expect_exit(3);
	expect_armed(0);
}
END_TEST

START_TEST(timeout_across_restarts)
{
	cfg.restart = RESTART_ALWAYS;
	cfg.timeout_ms = 10000;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, W, 0, &acts);
	fails_and_restarts(4000, 100);
	expect_armed(10000);
	workload_exits(EXITED(3), false, 9950);
	/* In back-off when the deadline comes: no more runs. */
	policy_on_timer(&pol, 10000, &acts);
	expect_exit(124);
}
END_TEST

START_TEST(pause_exits_0_on_term_or_int)
{
	const int sigs[] = {SIGTERM, SIGINT};

	cfg.pause = true;
	for (size_t i = 0; i < 2; i++) {
		policy_init(&pol, &cfg, false);
		policy_started(&pol, 0, 5, &acts);
		policy_on_signal(&pol, SIGUSR1, 10, &acts);
		ck_assert_int_eq(acts.n, 0);
		policy_on_reaped(&pol, 5, EXITED(1), &acts);
		policy_on_drained(&pol, false, 11, &acts);
		ck_assert_ptr_null(find(ACT_EXIT));
		policy_on_signal(&pol, sigs[i], 20, &acts);
		policy_on_drained(&pol, false, 21, &acts);
		expect_exit(0);
		ck_assert_uint_eq(pol.orphans_reaped, 1);
	}
}
END_TEST

START_TEST(pause_honours_the_timeout)
{
	cfg.pause = true;
	cfg.timeout_ms = 500;
	policy_init(&pol, &cfg, false);
	policy_started(&pol, 0, 1000, &acts);
	expect_armed(1500);
	policy_on_timer(&pol, 1500, &acts);
	policy_on_drained(&pol, false, 1501, &acts);
	expect_exit(124);
}
END_TEST

START_TEST(huge_durations_mean_never)
{
	cfg.grace_ms = UINT64_MAX - 10;
	workload_exits(EXITED(0), true, 2000);
	expect_tree(SIGTERM);
	expect_armed(UINT64_MAX);
	policy_on_timer(&pol, 3000, &acts);
	ck_assert_ptr_null(find(ACT_SIGNAL_TREE));
}
END_TEST

START_TEST(job_control_stops_and_resumes_with_the_workload)
{
	policy_init(&pol, &cfg, true);
	policy_started(&pol, W, 1000, &acts);
	policy_on_stopped(&pol, W, &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_SUSPEND);
	policy_on_signal(&pol, SIGCONT, 2000, &acts);
	ck_assert_int_eq(acts.n, 2);
	ck_assert_int_eq(acts.list[0].kind, ACT_FOREGROUND);
	ck_assert_int_eq(acts.list[0].target, W);
	ck_assert_int_eq(acts.list[1].kind, ACT_FORWARD);
	ck_assert_int_eq(acts.list[1].sig, SIGCONT);
	ck_assert_int_eq(acts.list[1].target, -W);
	/* Once resumed, SIGCONT is an ordinary signal again. */
	policy_on_signal(&pol, SIGCONT, 2100, &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].target, W);
}
END_TEST

START_TEST(no_job_control_without_a_terminal_or_with_setsid)
{
	policy_on_stopped(&pol, W, &acts);
	ck_assert_int_eq(acts.n, 0);
	cfg.setsid = true;
	policy_init(&pol, &cfg, true);
	policy_started(&pol, W, 1000, &acts);
	policy_on_stopped(&pol, W, &acts);
	ck_assert_int_eq(acts.n, 0);
}
END_TEST

START_TEST(a_stopped_orphan_stops_nothing)
{
	policy_init(&pol, &cfg, true);
	policy_started(&pol, W, 1000, &acts);
	policy_on_stopped(&pol, 555, &acts);
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
	/* -e remaps codes, not signals. */
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGTERM)), 143);
}
END_TEST

START_TEST(orphans_are_counted_and_reported_with_w)
{
	policy_on_reaped(&pol, 200, EXITED(1), &acts);
	ck_assert_int_eq(acts.n, 0);
	cfg.warn_on_reap = true;
	policy_on_reaped(&pol, 201, KILLED(SIGKILL), &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_REPORT_ORPHAN);
	ck_assert_int_eq(acts.list[0].target, 201);
	ck_assert_uint_eq(pol.orphans_reaped, 2);
	/* Reaped among orphans, the workload's status is kept. */
	workload_exits(EXITED(7), false, 2000);
	expect_exit(7);
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
		drain_is_awaited_only_once_the_workload_ended,
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
		timeout_across_restarts,
		pause_exits_0_on_term_or_int,
		pause_honours_the_timeout,
		huge_durations_mean_never,
		job_control_stops_and_resumes_with_the_workload,
		no_job_control_without_a_terminal_or_with_setsid,
		a_stopped_orphan_stops_nothing,
		exit_codes,
		orphans_are_counted_and_reported_with_w,
		describes_statuses,
		NULL,
	};

	return run_tests("policy", 0, setup, NULL, tests);
}
