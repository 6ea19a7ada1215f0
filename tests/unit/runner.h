/* Runs unit tests as one Check suite and turns the result into an exit
 * status. */
#ifndef REAPER_RUNNER_H
#define REAPER_RUNNER_H

#include <check.h>

/* tests is NULL-terminated; setup and teardown, when not NULL, run
 * around each. */
int run_tests(const char *name, void (*setup)(void),
	      void (*teardown)(void), const TTest *const tests[]);

#endif
