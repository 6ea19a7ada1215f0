#include <check.h>

#include "runner.h"
#include "clock.h"
#include "sweep.h"

static struct sweep s;

static void setup(void)
{
	s = (struct sweep){0};
}

START_TEST(nothing_is_due_until_requested)
{
	ck_assert(!sweep_due(&s, 0));
	ck_assert(!sweep_due(&s, 1000000));
	ck_assert_uint_eq(sweep_deadline(&s), DEADLINE_NEVER);
	sweep_request(&s);
	ck_assert(sweep_due(&s, 0));
}
END_TEST

START_TEST(a_sweep_pays_the_debt)
{
	sweep_request(&s);
	sweep_done(&s, 1, 100);
	ck_assert(!sweep_due(&s, 100));
	ck_assert(!sweep_due(&s, 1000000));
	ck_assert_uint_eq(sweep_deadline(&s), DEADLINE_NEVER);
}
END_TEST

START_TEST(sweeps_are_spaced_by_the_minimum_at_least)
{
	sweep_done(&s, 1, 100);
	sweep_request(&s);
	ck_assert(!sweep_due(&s, 100));
	ck_assert_uint_eq(sweep_deadline(&s), 100 + SWEEP_MIN_WAIT_US);
	ck_assert(!sweep_due(&s, 100 + SWEEP_MIN_WAIT_US - 1));
	ck_assert(sweep_due(&s, 100 + SWEEP_MIN_WAIT_US));
}
END_TEST

START_TEST(after_a_quiet_spell_a_sweep_is_at_once)
{
	uint64_t later = 100 + SWEEP_MIN_WAIT_US + 1000000;

	sweep_done(&s, 1, 100);
	sweep_request(&s);
	ck_assert(sweep_due(&s, later));
	/* Passed: a timer set to it fires at once. */
	ck_assert_uint_le(sweep_deadline(&s), later);
}
END_TEST

START_TEST(a_long_walk_holds_off_in_proportion)
{
	uint64_t walk = 200, end = 5000, until = end + walk * SWEEP_SHARE;

	sweep_done(&s, walk, end);
	sweep_request(&s);
	ck_assert(!sweep_due(&s, end));
	ck_assert(!sweep_due(&s, until - 1));
	ck_assert_uint_eq(sweep_deadline(&s), until);
	ck_assert(sweep_due(&s, until));
}
END_TEST

START_TEST(waits_only_while_requested)
{
	sweep_done(&s, 1000, 0);
	ck_assert_uint_eq(sweep_deadline(&s), DEADLINE_NEVER);
}
END_TEST

START_TEST(the_wait_is_capped)
{
	sweep_done(&s, 10000000, 7); /* a walk that was preempted for 10 s */
	sweep_request(&s);
	ck_assert_uint_eq(sweep_deadline(&s), 7 + SWEEP_MAX_WAIT_US);
	ck_assert(sweep_due(&s, 7 + SWEEP_MAX_WAIT_US));
}
END_TEST

START_TEST(the_next_short_walk_shortens_the_hold)
{
	uint64_t end = 1000 * SWEEP_SHARE;

	sweep_done(&s, 1000, 0);
	sweep_request(&s);
	ck_assert(sweep_due(&s, end));
	sweep_done(&s, 3, end);
	sweep_request(&s);
	ck_assert_uint_eq(sweep_deadline(&s), end + SWEEP_MIN_WAIT_US);
}
END_TEST

/* What the loop relies on to never block deaf: a requested sweep always
 * names the moment it is due, and is due from that moment on, however
 * late the loop reads the clock. */
START_TEST(a_requested_sweep_is_always_timed)
{
	const uint64_t walks[] = {0, 1, 150, 5000, 10000000};

	for (size_t w = 0; w < sizeof walks / sizeof walks[0]; w++) {
		sweep_done(&s, walks[w], 1000);
		sweep_request(&s);
		for (uint64_t now = 1000; now < 1000 + 2 * SWEEP_MAX_WAIT_US; now++) {
			ck_assert_uint_ne(sweep_deadline(&s), DEADLINE_NEVER);
			ck_assert(sweep_due(&s, now) == (now >= sweep_deadline(&s)));
		}
	}
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		nothing_is_due_until_requested,
		a_sweep_pays_the_debt,
		sweeps_are_spaced_by_the_minimum_at_least,
		after_a_quiet_spell_a_sweep_is_at_once,
		a_long_walk_holds_off_in_proportion,
		waits_only_while_requested,
		the_wait_is_capped,
		the_next_short_walk_shortens_the_hold,
		a_requested_sweep_is_always_timed,
		NULL,
	};

	return run_tests("sweep", 0, setup, NULL, tests);
}
