/* The command line and the environment: NUL-separated words; a word that
 * starts with "=" goes to the environment without it, the rest to argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);
	char *argv[64] = {"reaper"}, *envp[64];
	int argc = 1, envc = 0;
	struct config cfg;
	char err[256];

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (char *w = copy; w < copy + size && argc < 63 && envc < 63;
	     w += strlen(w) + 1) {
		if (*w == '=')
			envp[envc++] = w + 1;
		else
			argv[argc++] = w;
	}
	argv[argc] = NULL;
	envp[envc] = NULL;
	err[0] = '\0';
	if (config_parse(&cfg, argc, argv, envp, err, sizeof err)) {
		/* A run has a command, or pauses, and never both. */
		if (cfg.mode == MODE_RUN && (cfg.command == NULL) != cfg.pause)
			abort();
	} else if (err[0] == '\0' || strchr(err, '\n') != NULL) {
		abort(); /* every rejection is one line that says why */
	}
	free(copy);
	return 0;
}
