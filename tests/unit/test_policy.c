#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "runner.h"
#include "policy.h"

/* Wait statuses as the kernel encodes them. */
#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

static struct config cfg;
static struct policy pol;
static struct actions acts;

static void setup(void)
{
	cfg = (struct config){.verbosity = 1};
	policy_init(&pol, &cfg, 100);
}

START_TEST(forwards_to_the_workload)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
			    SIGWINCH, SIGCONT, SIGTSTP, SIGRTMIN, SIGRTMAX};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		policy_on_signal(&pol, sigs[i], &acts);
		ck_assert_int_eq(acts.n, 1);
		ck_assert_int_eq(acts.list[0].kind, ACT_FORWARD);
		ck_assert_int_eq(acts.list[0].sig, sigs[i]);
		ck_assert_int_eq(acts.list[0].target, 100);
	}
}
END_TEST

START_TEST(forwards_to_the_group_with_g)
{
	cfg.kill_group = true;
	policy_on_signal(&pol, SIGTERM, &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].target, -100);
}
END_TEST

START_TEST(exits_with_the_workload_status)
{
	policy_on_reaped(&pol, 100, EXITED(42), &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_EXIT);
	ck_assert_int_eq(acts.list[0].status, 42);
}
END_TEST

START_TEST(exit_codes)
{
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(0)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(1)), 1);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(255)), 255);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGTERM)), 143);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGKILL)), 137);
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGSEGV) | WCOREFLAG), 139);
	cfg.remap_exit[3 / 8] |= 1u << 3;
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(3)), 0);
	ck_assert_int_eq(policy_exit_code(&cfg, EXITED(4)), 4);
	cfg.remap_exit[143 / 8] |= 1u << (143 % 8);
	/* -e remaps codes, not signals. */
	ck_assert_int_eq(policy_exit_code(&cfg, KILLED(SIGTERM)), 143);
}
END_TEST

START_TEST(orphans_are_counted_not_exited_on)
{
	policy_on_reaped(&pol, 200, EXITED(1), &acts);
	ck_assert_int_eq(acts.n, 0);
	policy_on_reaped(&pol, 201, KILLED(SIGKILL), &acts);
	ck_assert_int_eq(acts.n, 0);
	ck_assert_int_eq(pol.orphans_reaped, 2);
}
END_TEST

START_TEST(orphans_are_reported_with_w)
{
	cfg.warn_on_reap = true;
	policy_on_reaped(&pol, 200, EXITED(1), &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_REPORT_ORPHAN);
	ck_assert_int_eq(acts.list[0].target, 200);
	ck_assert_int_eq(acts.list[0].status, EXITED(1));
	policy_on_reaped(&pol, 100, EXITED(0), &acts);
	ck_assert_int_eq(acts.n, 1);
	ck_assert_int_eq(acts.list[0].kind, ACT_EXIT);
}
END_TEST

START_TEST(status_is_kept_when_reaped_among_orphans)
{
	policy_on_reaped(&pol, 300, EXITED(9), &acts);
	policy_on_reaped(&pol, 100, EXITED(7), &acts);
	ck_assert_int_eq(acts.list[0].kind, ACT_EXIT);
	ck_assert_int_eq(acts.list[0].status, 7);
	policy_on_reaped(&pol, 301, EXITED(9), &acts);
	ck_assert_int_eq(acts.n, 0);
	ck_assert_int_eq(pol.orphans_reaped, 2);
}
END_TEST

START_TEST(nothing_is_forwarded_once_the_workload_is_gone)
{
	policy_on_reaped(&pol, 100, EXITED(0), &acts);
	policy_on_signal(&pol, SIGTERM, &acts);
	ck_assert_int_eq(acts.n, 0);
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
	Suite *s = suite_create("policy");
	TCase *t = tcase_create("policy");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, forwards_to_the_workload);
	tcase_add_test(t, forwards_to_the_group_with_g);
	tcase_add_test(t, exits_with_the_workload_status);
	tcase_add_test(t, exit_codes);
	tcase_add_test(t, orphans_are_counted_not_exited_on);
	tcase_add_test(t, orphans_are_reported_with_w);
	tcase_add_test(t, status_is_kept_when_reaped_among_orphans);
	tcase_add_test(t, nothing_is_forwarded_once_the_workload_is_gone);
	tcase_add_test(t, describes_statuses);
	suite_add_tcase(s, t);
	return run_suite(s);
}
