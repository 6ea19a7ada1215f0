#include "parse.h"

#include <limits.h>
#include <string.h>

bool parse_next_ulong(const char **s, unsigned long *out)
{
	unsigned long n = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (n > (ULONG_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	*s = p;
	return true;
}

bool parse_ulong(const char *s, unsigned long *out)
{
	return parse_next_ulong(&s, out) && *s == '\0';
}

static uint64_t unit_us(const char **s)
{
	static const struct {
		const char *name;
		size_t len;
		uint64_t us;
	} units[] = {{"ms", 2, 1000}, {"s", 1, 1000000}, {"m", 1, 60000000},
		     {"h", 1, 3600000000}};

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strncmp(*s, units[i].name, units[i].len) == 0) {
			*s += units[i].len;
			return units[i].us;
		}
	}
	return 0;
}

bool parse_duration(const char *s, uint64_t *us)
{
	/* A bare number is seconds; otherwise every number has its unit. */
	bool bare = s[strspn(s, "0123456789")] == '\0';
	uint64_t total = 0;

	if (*s == '\0')
		return false;
	while (*s != '\0') {
		uint64_t part = 0, unit;
		if (*s < '0' || *s > '9')
			return false;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (part > (UINT64_MAX - 9) / 10)
				return false;
			part = part * 10 + (uint64_t)(*s - '0');
		}
		unit = bare ? 1000000 : unit_us(&s);
		if (unit == 0 || part > (UINT64_MAX - total) / unit)
			return false;
		total += part * unit;
	}
	*us = total;
	return true;
}

void parse_one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}
