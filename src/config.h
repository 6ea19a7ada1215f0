/* The command line and the environment, turned into one struct config.
 * Pure: reads nothing but its arguments. Durations are in microseconds
 * (clock.h). */
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

enum restart_mode {
	RESTART_NO,
	RESTART_ON_FAILURE,
	RESTART_ALWAYS,
};

#define CONFIG_NSIG 65 /* signal numbers 1..64 */
#define CONFIG_MAX_VERBOSITY 4 /* log.h's levels: errors to trace */

struct config {
	enum config_mode mode;
	char **command;         /* argv of the workload, NULL-terminated */
	bool kill_group;        /* -g: signals go to the workload's group */
	bool setsid;            /* --setsid: new session instead of group */
	bool warn_on_reap;      /* -w */
	int verbosity;          /* log_level scale: 1 by default */
	int parent_death_signal; /* -p, 0 when unset */
	uint8_t remap_exit[32]; /* -e: bitmap of exit codes reported as 0 */
	bool pause;             /* -P: no workload, reap until TERM or INT */
	bool cleanup;           /* end the descendants when the workload ends */
	uint64_t grace_us;      /* between their SIGTERM and their SIGKILL */
	uint64_t timeout_us;    /* 0: none */
	int timeout_signal;
	enum restart_mode restart;
	unsigned long max_restarts; /* ULONG_MAX: unlimited */
	uint64_t backoff_min_us, backoff_max_us;
	uint8_t rewrite[CONFIG_NSIG]; /* signal forwarded for each; 0 drops */
	const char *user;       /* --user USER[:GROUP], or NULL */
	uint64_t cap_drop, cap_add; /* bit N: capability N; CREDS_ALL for ALL */
	bool no_new_privs;
};

/* reaper's defaults, the one place they are written: no option given and
 * no variable set. */
void config_defaults(struct config *cfg);

/* Fills cfg from argv and envp. On a bad value returns false with a
 * one-line message in err: "option: 'value': why". */
bool config_parse(struct config *cfg, int argc, char **argv,
		  char *const envp[], char *err, size_t errlen);

bool config_remaps(const struct config *cfg, int code);

/* The variables reaper reads as its own (REAPER_*), NULL-terminated: the
 * workload does not see them, so that a nested reaper starts afresh.
 * tini's names are left, as tini leaves them. */
extern const char *const config_own_variables[];

extern const char config_help[];

#endif
