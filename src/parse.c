#include "parse.h"

#include <limits.h>

bool parse_ulong(const char *s, unsigned long *out)
{
	unsigned long n = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9 || n > (ULONG_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return true;
}
