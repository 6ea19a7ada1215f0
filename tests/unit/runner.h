/* Runs one Check suite and turns its result into an exit status. */
#ifndef REAPER_RUNNER_H
#define REAPER_RUNNER_H

#include <check.h>

int run_suite(Suite *s);

#endif
