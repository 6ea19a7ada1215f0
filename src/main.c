/* reaper: a minimal init. main only wires the modules together. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <fcntl.h>
#include <unistd.h>

#include "config.h"
#include "creds.h"
#include "log.h"
#include "loop.h"
#include "policy.h"
#include "signals.h"
#include "syscalls.h"
#include "tty.h"

#ifndef REAPER_VERSION
#define REAPER_VERSION "unknown"
#endif

extern const char reaper_license[];

static int print(const char *text)
{
	return fputs(text, stdout) < 0 || fflush(stdout) != 0 ? 125 : 0;
}

/* -p: the kernel signals reaper when its parent dies; a parent gone
 * before that was set is acted on as if the signal had come. */
static void watch_parent(const struct config *cfg, pid_t parent,
			 struct loop *l)
{
	int sig = cfg->parent_death_signal;

	if (sig == 0)
		return;
	if (prctl(PR_SET_PDEATHSIG, sig) < 0)
		log_warn("-p: %m");
	else if (getppid() != parent)
		l->parent_gone_signal = sig;
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
	    creds_resolve_caps(c, err, sizeof err))
		return true;
	log_error("%s", err);
	return false;
}

/* reaper holds no reference to the caller's directory once the workload
 * can run: it moves to / first, and the workload returns through a
 * descriptor (held only when there is a workload to start). */
static int leave_working_directory(bool workload)
{
	int fd = workload ? open(".", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;

	if (workload && fd < 0) {
		log_debug("cannot hold the working directory: %m; staying there");
		return -1;
	}
	if (chdir("/") < 0) {
		log_warn("chdir /: %m");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int supervise(const struct config *cfg, kernel_sigset inherited,
		     pid_t parent)
{
	struct creds creds;
	struct policy policy;
	struct loop loop = {
		.req = {.argv = cfg->command, .setsid = cfg->setsid,
			.mask = inherited, .creds = &creds, .cwd = -1,
			.unset = config_own_variables},
	};

	if (!cfg->pause && !resolve_creds(cfg, &creds))
		return 125;
	loop.req.cwd = leave_working_directory(!cfg->pause);
	loop.req.start_once = cfg->restart == RESTART_NO;
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_warn("cannot become a subreaper: %m; orphans go to init");
	watch_parent(cfg, parent, &loop);
	policy_init(&policy, cfg, getpid() == 1);
	if (!loop_open(&loop, &policy)) {
		log_error("cannot set up signal handling: %m");
		return 125;
	}
	if (cfg->setsid)
		tty_release();
	if (cfg->pause)
		log_info("pausing: reaping orphans until SIGTERM or SIGINT");
	else if (!loop_start(&loop))
		return loop.code;
	/* A restarted workload starts where the first did, with the same
	 * descriptors (socket activation's LISTEN_FDS among them). */
	if (cfg->restart == RESTART_NO)
		loop_release_inherited(&loop);
	return loop_run(&loop);
}

int main(int argc, char **argv)
{
	kernel_sigset all = signal_handled_set(), inherited;
	pid_t parent = getppid();
	struct config cfg;
	char err[256];
	int code;

	/* First: a signal sent from here on waits in the kernel for the
	 * loop, rather than killing reaper or, to PID 1, being dropped. */
	if (sys_sigprocmask(SIG_BLOCK, &all, &inherited) < 0) {
		log_error("cannot block signals: %m");
		return 125;
	}
	log_open();
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
	code = supervise(&cfg, inherited, parent);
	log_flush();
	return code;
}
