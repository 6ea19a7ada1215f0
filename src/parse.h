/* Number parsing shared by the parsers. Pure. */
#ifndef REAPER_PARSE_H
#define REAPER_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* A non-empty run of decimal digits and nothing else, no larger than
 * what fits; no sign, no spaces, no "0x". */
bool parse_ulong(const char *s, unsigned long *out);

/* The decimal number at *s, which is then moved past it; false when *s
 * starts with no digit or the number does not fit. */
bool parse_next_ulong(const char **s, unsigned long *out);

/* Makes s one printable line: each control character becomes '?', so that
 * a value quoted in an error message cannot break it. */
void parse_one_line(char *s);

/* "500ms", "1.5s", ".25s", "2m", "1h", "1m30.5s", or a bare number of
 * seconds ("90", "1.5"), in microseconds; false for anything else, or
 * beyond what 64 bits hold. Exact, with no floating point: a fraction
 * finer than a microsecond is rounded up, so that no duration is shorter
 * than written. */
bool parse_duration(const char *s, uint64_t *us);

#endif
