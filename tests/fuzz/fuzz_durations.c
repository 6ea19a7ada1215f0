/* Durations: a bare number is seconds, with a fraction or not; a sum of
 * parts never wraps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], with_unit[72];
	unsigned long n;
	uint64_t us, again;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!parse_duration(s, &us))
		return 0;
	if (parse_ulong(s, &n) && us != (uint64_t)n * 1000000)
		abort();
	if (strcmp(s, "1m30s") == 0 && us != 90000000)
		abort();
	/* Bare, it is the same number with "s" after it. */
	if (s[strspn(s, "0123456789.")] == '\0') {
		strcpy(with_unit, s);
		strcat(with_unit, "s");
		if (!parse_duration(with_unit, &again) || again != us)
			abort();
	}
	return 0;
}
