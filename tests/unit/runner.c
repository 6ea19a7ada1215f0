#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int run_tests(const char *name, int timeout, void (*setup)(void),
	      void (*teardown)(void), const TTest *const tests[])
{
	Suite *s = suite_create(name);
	TCase *t = tcase_create(name);
	/* REAPER_TEST=name runs that one test alone (docs/guarantees.md). */
	const char *only = getenv("REAPER_TEST");
	int added = 0;
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, teardown);
	if (timeout > 0)
		tcase_set_timeout(t, timeout);
	for (; *tests != NULL; tests++) {
		if (only == NULL || strcmp((*tests)->name, only) == 0) {
			tcase_add_test(t, *tests);
			added++;
		}
	}
	if (added == 0) {
		fprintf(stderr, "no test named '%s' here\n", only);
		return EXIT_FAILURE;
	}
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
