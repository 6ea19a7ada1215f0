/* Signal names: whatever parses names a signal whose name parses back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signals.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], name[32];
	int sig;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	sig = signal_parse(s);
	if (sig < 0 || sig > SIG_RT_MAX)
		abort();
	if (sig != 0 && (sig <= 31 || sig >= SIG_RT_MIN) &&
	    signal_parse(signal_name(sig, name, sizeof name)) != sig)
		abort();
	return 0;
}
