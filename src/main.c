/* reaper: a minimal init. main only wires the modules together. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "config.h"
#include "creds.h"
#include "log.h"
#include "loop.h"
#include "policy.h"

#ifndef REAPER_VERSION
#define REAPER_VERSION "unknown"
#endif

extern const char reaper_license[];

static int print(const char *text)
{
	return fputs(text, stdout) < 0 || fflush(stdout) != 0 ? 125 : 0;
}

static void become_reaper(const struct config *cfg)
{
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_warn("cannot become a subreaper: %m; orphans go to init");
	if (cfg->parent_death_signal != 0 &&
	    prctl(PR_SET_PDEATHSIG, cfg->parent_death_signal) < 0)
		log_warn("-p: %m");
}

/* Everything --user and the capability options ask for, resolved and
 * checked now, before anything is forked. */
static bool resolve_creds(const struct config *cfg, struct creds *c)
{
	char err[512];

	*c = (struct creds){.cap_drop = cfg->cap_drop,
			    .cap_add = cfg->cap_add,
			    .no_new_privs = cfg->no_new_privs};
	if ((cfg->user == NULL ||
	     creds_resolve_user(c, cfg->user, "/etc/passwd", "/etc/group",
				getenv("HOME"), err, sizeof err)) &&
	    creds_check(c, err, sizeof err))
		return true;
	log_error("%s", err);
	return false;
}

static int supervise(const struct config *cfg)
{
	struct creds creds;
	struct policy policy;
	struct loop loop = {
		.req = {
			.argv = cfg->command,
			.setsid = cfg->setsid,
			.creds = &creds,
			.foreground = isatty(STDIN_FILENO) &&
				      tcgetpgrp(STDIN_FILENO) == getpgrp(),
		},
	};
	pid_t workload = 0;
	int failed;

	if (!cfg->pause && !resolve_creds(cfg, &creds))
		return 125;
	become_reaper(cfg);
	policy_init(&policy, cfg, loop.req.foreground && getpid() != 1);
	if (!loop_open(&loop, &policy)) {
		log_error("cannot set up signal handling: %m");
		return 125;
	}
	if (cfg->pause)
		log_info("pausing: reaping orphans until SIGTERM or SIGINT");
	else if ((failed = loop_start(&loop, &workload)) >= 0)
		return failed;
	/* A restarted workload starts where the first did, with the same
	 * descriptors (socket activation's LISTEN_FDS among them). */
	if (cfg->restart == RESTART_NO)
		loop_release_inherited(&loop);
	return loop_run(&loop, workload);
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[256];

	if (!config_parse(&cfg, argc, argv, environ, err, sizeof err)) {
		log_error("%s", err);
		return 125;
	}
	switch (cfg.mode) {
	case MODE_HELP:
		return print(config_help);
	case MODE_VERSION:
		return print("reaper " REAPER_VERSION "\n");
	case MODE_LICENSE:
		return print(reaper_license);
	case MODE_RUN:
		break;
	}
	log_set_verbosity(cfg.verbosity);
	return supervise(&cfg);
}
