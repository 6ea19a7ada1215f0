/* The command line and the environment, turned into one struct config.
 * Pure: reads nothing but its arguments. */
#ifndef REAPER_CONFIG_H
#define REAPER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum config_mode {
	MODE_RUN,
	MODE_HELP,
	MODE_VERSION,
	MODE_LICENSE,
};

struct config {
	enum config_mode mode;
	char **command;         /* argv of the workload, NULL-terminated */
	bool kill_group;        /* -g: signals go to the workload's group */
	bool setsid;            /* --setsid: new session instead of group */
	bool warn_on_reap;      /* -w */
	int verbosity;          /* log_level scale: 1 by default */
	int parent_death_signal; /* -p, 0 when unset */
	uint8_t remap_exit[32]; /* -e: bitmap of exit codes reported as 0 */
};

/* Fills cfg from argv and envp. On a bad value returns false with a
 * one-line message in err: "option: 'value': why". */
bool config_parse(struct config *cfg, int argc, char **argv,
		  char *const envp[], char *err, size_t errlen);

bool config_remaps(const struct config *cfg, int code);

extern const char config_help[];

#endif
