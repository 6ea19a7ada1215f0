/* Number parsing shared by the parsers. Pure. */
#ifndef REAPER_PARSE_H
#define REAPER_PARSE_H

#include <stdbool.h>

/* A non-empty run of decimal digits and nothing else, no larger than
 * what fits; no sign, no spaces, no "0x". */
bool parse_ulong(const char *s, unsigned long *out);

#endif
