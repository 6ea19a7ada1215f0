/* The policy under any sequence of events at any times: every deadline
 * it names is none or ahead, and the timer is told of it
 * (tests/unit/policy_driver.c). */
#include <stdio.h>
#include <stdlib.h>

#include "policy_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = policy_drive(data, size);

	if (why != NULL) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
	return 0;
}
