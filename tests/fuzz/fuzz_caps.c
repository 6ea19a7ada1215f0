/* Capability lists: what parses is ALL or a set of capabilities the
 * kernel knows, and naming one twice changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "creds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[256], twice[520], bad[64];
	uint64_t mask, again;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!creds_parse_caps(s, &mask, bad, sizeof bad))
		return 0;
	if (mask != CREDS_ALL && cap_max_bits() < 64 &&
	    (mask >> cap_max_bits()) != 0)
		abort();
	strcpy(twice, s);
	strcat(twice, ",");
	strcat(twice, s);
	if (!creds_parse_caps(twice, &again, bad, sizeof bad) || again != mask)
		abort();
	return 0;
}
