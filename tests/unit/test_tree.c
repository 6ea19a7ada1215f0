#include <check.h>
#include <stdbool.h>

#include "runner.h"
#include "tree.h"

static bool in(const struct tree_proc *p, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].pid == pid)
			return p[i].in;
	ck_abort_msg("pid %d not listed", (int)pid);
	return false;
}

START_TEST(closure_over_parents)
{
	/* 10 is reaper. 12 -> 30 -> 5 runs against pid order (a wrapped
	 * pid counter); 40's parent 99 is not listed; 1 and 2 are others. */
	struct tree_proc p[] = {
		{1, 0, true}, {2, 1, false}, {10, 1, false}, {11, 10, false},
		{12, 10, false}, {30, 12, false}, {5, 30, false},
		{40, 99, false}, {41, 2, false}, {13, 11, false},
	};
	size_t n = sizeof p / sizeof p[0];

	ck_assert_uint_eq(tree_closure(10, p, n), 5);
	ck_assert(in(p, n, 11) && in(p, n, 12) && in(p, n, 13));
	ck_assert(in(p, n, 30) && in(p, n, 5));
	ck_assert(!in(p, n, 10) && !in(p, n, 1) && !in(p, n, 2));
	ck_assert(!in(p, n, 40) && !in(p, n, 41));
}
END_TEST

START_TEST(no_descendants)
{
	struct tree_proc p[] = {{1, 0, false}, {10, 1, false}};

	ck_assert_uint_eq(tree_closure(10, p, 2), 0);
	ck_assert_uint_eq(tree_closure(10, p, 0), 0);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		closure_over_parents,
		no_descendants,
		NULL,
	};

	return run_tests("tree", 0, NULL, NULL, tests);
}
