/* Runs unit tests as one Check suite and turns the result into an exit
 * status. */
#ifndef REAPER_RUNNER_H
#define REAPER_RUNNER_H

#include <check.h>

/* tests is NULL-terminated; setup and teardown, when not NULL, run around
 * each; timeout bounds each in seconds (0: Check's default). With
 * REAPER_TEST=name in the environment, only that test runs. */
int run_tests(const char *name, int timeout, void (*setup)(void),
	      void (*teardown)(void), const TTest *const tests[]);

#endif
