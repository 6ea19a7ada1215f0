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

#define DIGITS "0123456789"

/* A number as written: its whole digits and those after a point, either
 * run possibly empty. */
struct number {
	const char *whole, *frac;
	size_t whole_len, frac_len;
};

/* "90", "1.5", ".5" at *s, which is moved past it; a point needs a digit
 * after it. */
static bool scan_number(const char **s, struct number *n)
{
	n->whole = *s;
	n->whole_len = strspn(*s, DIGITS);
	*s += n->whole_len;
	n->frac = *s;
	n->frac_len = 0;
	if (**s == '.') {
		n->frac = *s + 1;
		n->frac_len = strspn(n->frac, DIGITS);
		if (n->frac_len == 0)
			return false;
		*s = n->frac + n->frac_len;
	}
	return n->whole_len > 0 || n->frac_len > 0;
}

/* Whether s is one number alone, which is seconds. */
static bool bare_number(const char *s)
{
	s += strspn(s, DIGITS);
	if (*s == '.')
		s += 1 + strspn(s + 1, DIGITS);
	return *s == '\0';
}

/* 0.DIGITS of unit, in microseconds, exactly: Horner's rule from the last
 * digit, each step's remainder noted; what is left over rounds up. No
 * step holds more than ten units, however many digits. */
static uint64_t fraction_us(const char *digits, size_t len, uint64_t unit)
{
	uint64_t carry = 0;
	bool inexact = false;

	for (size_t i = len; i-- > 0;) {
		uint64_t t = unit * (uint64_t)(digits[i] - '0') + carry;
		inexact |= t % 10 != 0;
		carry = t / 10;
	}
	return carry + inexact;
}

static bool number_us(const struct number *n, uint64_t unit, uint64_t *us)
{
	uint64_t whole = 0, frac;

	for (size_t i = 0; i < n->whole_len; i++) {
		unsigned d = (unsigned)(n->whole[i] - '0');
		if (whole > (UINT64_MAX - d) / 10)
			return false;
		whole = whole * 10 + d;
	}
	if (whole > UINT64_MAX / unit)
		return false;
	frac = fraction_us(n->frac, n->frac_len, unit);
	if (frac > UINT64_MAX - whole * unit)
		return false;
	*us = whole * unit + frac;
	return true;
}

bool parse_duration(const char *s, uint64_t *us)
{
	/* A bare number is seconds; otherwise every number has its unit. */
	bool bare = bare_number(s);
	uint64_t total = 0;

	if (*s == '\0')
		return false;
	while (*s != '\0') {
		struct number n;
		uint64_t unit, part;
		if (!scan_number(&s, &n))
			return false;
		unit = bare ? 1000000 : unit_us(&s);
		if (unit == 0 || !number_us(&n, unit, &part) ||
		    part > UINT64_MAX - total)
			return false;
		total += part;
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
