/* Drives the policy through any sequence of events, read from bytes, and
 * checks after every step what the loop relies on: the next deadline is
 * none or in the future, the timer is told of it, and a timer at or past
 * a deadline moves it. Shared by test_policy (bytes from a fixed-seed
 * generator) and fuzz_policy (bytes from libFuzzer). */
#ifndef REAPER_POLICY_DRIVER_H
#define REAPER_POLICY_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* NULL when every step kept the rules, else which rule broke and where,
 * in a static buffer. */
const char *policy_drive(const uint8_t *data, size_t n);

#endif
