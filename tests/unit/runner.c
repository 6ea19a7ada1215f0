#include "runner.h"

#include <stdlib.h>

int run_tests(const char *name, void (*setup)(void),
	      void (*teardown)(void), const TTest *const tests[])
{
	Suite *s = suite_create(name);
	TCase *t = tcase_create(name);
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, teardown);
	for (; *tests != NULL; tests++)
		tcase_add_test(t, *tests);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
