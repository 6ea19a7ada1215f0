#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "creds.h"
#include "parse.h"
#include "signals.h"

const char config_help[] =
	"usage: reaper [OPTIONS] [--] COMMAND [ARG...]\n"
	"\n"
	"Run COMMAND as a child, forward signals to it, reap every orphan,\n"
	"and exit with COMMAND's status. Options stop at the first\n"
	"non-option argument.\n"
	"\n"
	"  -g, --kill-process-group   forward signals to COMMAND's whole process group\n"
	"      --setsid               run COMMAND in a new session, not just a group\n"
	"  -e, --remap-exit CODE      report exit CODE (0-255) as 0; repeatable\n"
	"  -p, --parent-death-signal SIG\n"
	"                             signal SIG to reaper when its parent dies\n"
	"  -P, --pause                no COMMAND: reap orphans until SIGTERM or SIGINT\n"
	"      --grace DURATION       after the workload ends, its descendants get\n"
	"                             SIGTERM, then SIGKILL after DURATION (default 5s)\n"
	"      --no-cleanup           leave the descendants running (tini's way)\n"
	"      --timeout DURATION     end the workload's tree after DURATION; exit 124\n"
	"      --timeout-signal SIG   the signal --timeout sends first (default TERM)\n"
	"      --restart POLICY       no (default), on-failure or always\n"
	"      --max-restarts N       restarts at most N times (default: no limit)\n"
	"      --backoff MIN[:MAX]    delay before a restart, doubling from MIN to\n"
	"                             MAX (default 100ms:30s)\n"
	"      --rewrite FROM:TO      forward signal FROM as TO; TO 0 drops it;\n"
	"                             repeatable\n"
	"  -u, --user USER[:GROUP]    run COMMAND as USER (name or uid) and GROUP\n"
	"                             (default: USER's), with USER's groups\n"
	"      --cap-drop LIST        drop capabilities (NET_RAW,CHOWN or ALL)\n"
	"      --cap-add LIST         keep or grant capabilities, also to a\n"
	"                             non-root --user (made ambient); ALL is\n"
	"                             every one reaper holds (its bounding set)\n"
	"      --no-new-privs         setuid and file capabilities grant nothing\n"
	"  -s, --subreaper            accepted for tini's sake: reaper always is one\n"
	"  -v, --verbose              log more; repeat for more (up to -vvv)\n"
	"  -w, --warn-on-reap         warn for each orphan reaped\n"
	"  -l, --license              print the licence and exit\n"
	"  -h, --help                 print this help and exit\n"
	"      --version              print the version and exit\n"
	"\n"
	"Signals: TERM, SIGTERM, term, 15, RTMIN+3. Durations: 500ms, 1.5s, 2m,\n"
	"1h, 1m30s, or a number of seconds (90, 0.25); a fraction finer than a\n"
	"microsecond rounds up.\n"
	"\n"
	"Environment:\n"
	"  REAPER_KILL_PROCESS_GROUP          as -g (1/0, true/false)\n"
	"  REAPER_VERBOSITY                   verbosity level 0-4 (default 1)\n"
	"  REAPER_GRACE                       as --grace\n"
	"  REAPER_USER                        as --user\n"
	"  REAPER_SUBREAPER, TINI_SUBREAPER   accepted, change nothing\n"
	"  TINI_KILL_PROCESS_GROUP            as -g when set, whatever its value\n"
	"  TINI_VERBOSITY                     a number, as tini reads it\n"
	"The REAPER_ names win, and are removed from COMMAND's environment.\n"
	"\n"
	"Exit status: COMMAND's status, 128+N if it was killed by signal N,\n"
	"124 if --timeout expired, 125 if reaper itself failed, 126 if\n"
	"COMMAND could not be executed, 127 if it was not found.\n";

/* Long-only options, numbered after every short one's letter. */
enum {
	OPT_VERSION = 256,
	OPT_SETSID,
	OPT_GRACE,
	OPT_NO_CLEANUP,
	OPT_TIMEOUT,
	OPT_TIMEOUT_SIGNAL,
	OPT_RESTART,
	OPT_MAX_RESTARTS,
	OPT_BACKOFF,
	OPT_REWRITE,
	OPT_CAP_DROP,
	OPT_CAP_ADD,
	OPT_NO_NEW_PRIVS,
};

static const struct option long_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"license", no_argument, NULL, 'l'},
	{"subreaper", no_argument, NULL, 's'},
	{"parent-death-signal", required_argument, NULL, 'p'},
	{"verbose", no_argument, NULL, 'v'},
	{"warn-on-reap", no_argument, NULL, 'w'},
	{"kill-process-group", no_argument, NULL, 'g'},
	{"remap-exit", required_argument, NULL, 'e'},
	{"setsid", no_argument, NULL, OPT_SETSID},
	{"pause", no_argument, NULL, 'P'},
	{"grace", required_argument, NULL, OPT_GRACE},
	{"no-cleanup", no_argument, NULL, OPT_NO_CLEANUP},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"timeout-signal", required_argument, NULL, OPT_TIMEOUT_SIGNAL},
	{"restart", required_argument, NULL, OPT_RESTART},
	{"max-restarts", required_argument, NULL, OPT_MAX_RESTARTS},
	{"backoff", required_argument, NULL, OPT_BACKOFF},
	{"rewrite", required_argument, NULL, OPT_REWRITE},
	{"user", required_argument, NULL, 'u'},
	{"cap-drop", required_argument, NULL, OPT_CAP_DROP},
	{"cap-add", required_argument, NULL, OPT_CAP_ADD},
	{"no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS},
	{NULL, 0, NULL, 0},
};

__attribute__((format(printf, 3, 4)))
static bool reject(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, len, fmt, ap); /* truncated at worst */
	va_end(ap);
	parse_one_line(err);
	return false;
}

static const char *env_get(char *const envp[], const char *name)
{
	size_t n = strlen(name);

	/* The first letter alone turns most variables away, and this runs
	 * over the whole environment for each variable read, at every start. */
	for (; envp != NULL && *envp != NULL; envp++)
		if (**envp == *name && strncmp(*envp, name, n) == 0 &&
		    (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

const char *const config_own_variables[] = {
	"REAPER_KILL_PROCESS_GROUP", "REAPER_VERBOSITY", "REAPER_GRACE",
	"REAPER_USER", "REAPER_SUBREAPER", NULL,
};

static const char uncatchable[] =
	"reaper can never receive it (KILL and STOP cannot be caught)";

static const char bad_duration[] =
	"not a duration (500ms, 1.5s, 2m, 1h, 1m30s, or seconds)";

static bool parse_duration_option(const char *name, const char *arg,
				  uint64_t *us, char *err, size_t len)
{
	if (!parse_duration(arg, us))
		return reject(err, len, "%s: '%s': %s", name, arg, bad_duration);
	return true;
}

/* An empty value counts as set. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = {"", "1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

/* TINI_VERBOSITY as tini reads it, with atoi: leading blanks and a sign,
 * then digits, up to the first other character; no number is 0. Held
 * within reaper's levels. */
static int tini_level(const char *s)
{
	unsigned long n = 0;

	s += strspn(s, " \t\n\v\f\r");
	if (*s == '-')
		return 0;
	if (*s == '+')
		s++;
	for (; *s >= '0' && *s <= '9' && n <= CONFIG_MAX_VERBOSITY; s++)
		n = n * 10 + (unsigned long)(*s - '0');
	return n > CONFIG_MAX_VERBOSITY ? CONFIG_MAX_VERBOSITY : (int)n;
}

/* reaper's own names are strict; tini's take what tini takes, so that an
 * image written for tini runs unchanged. */
static bool parse_env(struct config *cfg, char *const envp[], char *err,
		      size_t len)
{
	const char *v;
	unsigned long n;

	if ((v = env_get(envp, "REAPER_KILL_PROCESS_GROUP")) != NULL) {
		int b = parse_bool(v);
		if (b < 0)
			return reject(err, len, "REAPER_KILL_PROCESS_GROUP: '%s': "
				      "not a boolean (1/0, true/false)", v);
		cfg->kill_group = b;
	} else if (env_get(envp, "TINI_KILL_PROCESS_GROUP") != NULL) {
		cfg->kill_group = true;
	}
	if ((v = env_get(envp, "REAPER_VERBOSITY")) != NULL) {
		if (!parse_ulong(v, &n) || n > CONFIG_MAX_VERBOSITY)
			return reject(err, len, "REAPER_VERBOSITY: '%s': not a "
				      "level from 0 to 4", v);
		cfg->verbosity = (int)n;
	} else if ((v = env_get(envp, "TINI_VERBOSITY")) != NULL) {
		cfg->verbosity = tini_level(v);
	}
	v = env_get(envp, "REAPER_USER");
	if (v != NULL && *v != '\0')
		cfg->user = v;
	v = env_get(envp, "REAPER_GRACE");
	return v == NULL ||
	       parse_duration_option("REAPER_GRACE", v, &cfg->grace_us, err, len);
}

static bool parse_restart(struct config *cfg, const char *arg, char *err,
			  size_t len)
{
	static const char *const names[] = {"no", "on-failure", "always"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(arg, names[i]) == 0) {
			cfg->restart = (enum restart_mode)i;
			return true;
		}
	}
	return reject(err, len,
		    "--restart: '%s': not one of no, on-failure, always", arg);
}

static bool parse_backoff(struct config *cfg, const char *arg, char *err,
			  size_t len)
{
	char min[64];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);

	if (n < sizeof min) {
		memcpy(min, arg, n);
		min[n] = '\0';
		if (parse_duration(min, &cfg->backoff_min_us) &&
		    (colon == NULL ||
		     parse_duration(colon + 1, &cfg->backoff_max_us)) &&
		    cfg->backoff_min_us > 0) {
			if (colon == NULL && cfg->backoff_max_us < cfg->backoff_min_us)
				cfg->backoff_max_us = cfg->backoff_min_us;
			if (cfg->backoff_min_us <= cfg->backoff_max_us)
				return true;
		}
	}
	return reject(err, len,
		    "--backoff: '%s': not MIN[:MAX], two durations, 0 < MIN <= MAX",
		    arg);
}

static bool parse_rewrite(struct config *cfg, const char *arg, char *err,
			  size_t len)
{
	char from[32];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : 0;
	int f = 0, t = -1;

	if (colon != NULL && n < sizeof from) {
		memcpy(from, arg, n);
		from[n] = '\0';
		f = signal_parse(from);
		t = strcmp(colon + 1, "0") == 0 ? 0 : signal_parse(colon + 1);
	}
	if (f == 0 || t < 0 || (t == 0 && strcmp(colon + 1, "0") != 0))
		return reject(err, len,
			    "--rewrite: '%s': not FROM:TO, two signals (TO may be 0)",
			    arg);
	if (f == SIGCHLD)
		return reject(err, len, "--rewrite: '%s': SIGCHLD is reaper's own", arg);
	if (!signal_catchable(f))
		return reject(err, len, "--rewrite: '%s': %s", arg, uncatchable);
	cfg->rewrite[f] = (uint8_t)t;
	return true;
}

static bool parse_timeout(struct config *cfg, const char *arg, char *err,
			  size_t len)
{
	if (!parse_duration(arg, &cfg->timeout_us) || cfg->timeout_us == 0)
		return reject(err, len, "--timeout: '%s': %s, above 0", arg,
			    bad_duration);
	return true;
}

/* The signal arg names, or 0 when it names none (err says why); with
 * caught, one that reaper itself can be sent. */
static int parse_signal(const char *name, const char *arg, bool caught,
			char *err, size_t len)
{
	int sig = signal_parse(arg);

	if (sig == 0)
		return reject(err, len, "%s: '%s': unknown signal", name, arg);
	if (caught && !signal_catchable(sig))
		return reject(err, len, "%s: '%s': %s", name, arg, uncatchable);
	return sig;
}

static bool parse_max_restarts(struct config *cfg, const char *arg, char *err,
			       size_t len)
{
	unsigned long n;

	if (!parse_ulong(arg, &n) || n == ULONG_MAX)
		return reject(err, len, "--max-restarts: '%s': not a count (0 or "
			    "more)", arg);
	cfg->max_restarts = n;
	return true;
}

static bool parse_remap(struct config *cfg, const char *arg, char *err,
			size_t len)
{
	unsigned long n;

	if (!parse_ulong(arg, &n) || n > 255)
		return reject(err, len, "-e: '%s': not an exit code from 0 to 255",
			    arg);
	cfg->remap_exit[n / 8] |= (uint8_t)(1u << (n % 8));
	return true;
}

static bool parse_caps(const char *name, const char *arg, uint64_t *caps,
		       char *err, size_t len)
{
	uint64_t mask;
	char bad[64];

	if (!creds_parse_caps(arg, &mask, bad, sizeof bad))
		return reject(err, len, "%s: '%s': unknown capability", name, bad);
	*caps |= mask;
	return true;
}

static bool parse_option(struct config *cfg, int opt, const char *arg,
			 char *err, size_t len)
{
	switch (opt) {
	case 'h': cfg->mode = MODE_HELP; break;
	case OPT_VERSION: cfg->mode = MODE_VERSION; break;
	case 'l': cfg->mode = MODE_LICENSE; break;
	case 's': break;
	case 'v': cfg->verbosity++; break;
	case 'w': cfg->warn_on_reap = true; break;
	case 'g': cfg->kill_group = true; break;
	case OPT_SETSID: cfg->setsid = true; break;
	case 'P': cfg->pause = true; break;
	case 'u': cfg->user = arg; break;
	case OPT_NO_CLEANUP: cfg->cleanup = false; break;
	case OPT_NO_NEW_PRIVS: cfg->no_new_privs = true; break;
	case 'p':
		cfg->parent_death_signal = parse_signal("-p", arg, true, err, len);
		return cfg->parent_death_signal != 0;
	case OPT_TIMEOUT_SIGNAL:
		cfg->timeout_signal = parse_signal("--timeout-signal", arg, false,
						   err, len);
		return cfg->timeout_signal != 0;
	case 'e': return parse_remap(cfg, arg, err, len);
	case OPT_GRACE:
		return parse_duration_option("--grace", arg, &cfg->grace_us, err, len);
	case OPT_TIMEOUT: return parse_timeout(cfg, arg, err, len);
	case OPT_RESTART: return parse_restart(cfg, arg, err, len);
	case OPT_MAX_RESTARTS: return parse_max_restarts(cfg, arg, err, len);
	case OPT_BACKOFF: return parse_backoff(cfg, arg, err, len);
	case OPT_REWRITE: return parse_rewrite(cfg, arg, err, len);
	case OPT_CAP_DROP:
		return parse_caps("--cap-drop", arg, &cfg->cap_drop, err, len);
	case OPT_CAP_ADD:
		return parse_caps("--cap-add", arg, &cfg->cap_add, err, len);
	}
	return true;
}

/* The option as the user typed it: "--name" for a long one, "-c" for a
 * short one even when it came bundled ("-vx"). Inside a cluster, getopt
 * has not yet moved optind past it, so the word before is another's;
 * the unknown letter is in optopt and in the word at optind. After a
 * missing value, musl's getopt leaves optind past the end: the option
 * was the last word. */
static const char *offending(int argc, char **argv, int opt, char *buf,
			     size_t len)
{
	const char *typed = argv[optind - 1 < argc ? optind - 1 : argc - 1];
	const char *at = optind < argc ? argv[optind] : "";
	bool in_cluster = opt == '?' && optopt > 0 && optopt < 256 &&
			  at[0] == '-' && at[1] != '-' &&
			  strchr(at + 1, optopt) != NULL;

	if (!in_cluster && strncmp(typed, "--", 2) == 0) {
		snprintf(buf, len, "%.*s", (int)strcspn(typed, "="), typed);
		return buf;
	}
	snprintf(buf, len, "-%c", optopt);
	return buf;
}

void config_defaults(struct config *cfg)
{
	*cfg = (struct config){
		.verbosity = 1,
		.cleanup = true,
		.grace_us = 5000000,
		.timeout_signal = SIGTERM,
		.max_restarts = ULONG_MAX,
		.backoff_min_us = 100000,
		.backoff_max_us = 30000000,
	};
	for (int sig = 1; sig < CONFIG_NSIG; sig++)
		cfg->rewrite[sig] = (uint8_t)sig;
}

bool config_parse(struct config *cfg, int argc, char **argv,
		  char *const envp[], char *err, size_t len)
{
	char buf[64];
	int opt;

	config_defaults(cfg);
	if (!parse_env(cfg, envp, err, len))
		return false;
	optind = 0; /* a full reset, so that the parser can run again */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hlsp:vwge:Pu:", long_options,
				  NULL)) != -1) {
		if (opt == '?')
			return reject(err, len, "'%s': unknown option",
				    offending(argc, argv, opt, buf, sizeof buf));
		if (opt == ':')
			return reject(err, len, "%s: missing value",
				    offending(argc, argv, opt, buf, sizeof buf));
		if (!parse_option(cfg, opt, optarg, err, len))
			return false;
	}
	if (cfg->mode != MODE_RUN)
		return true;
	if (cfg->pause) {
		if (optind < argc)
			return reject(err, len, "--pause: '%s': takes no command",
				    argv[optind]);
		return true;
	}
	if (optind >= argc)
		return reject(err, len, "no command given (usage: reaper [OPTIONS] [--] "
			    "COMMAND [ARG...]; see reaper --help)");
	cfg->command = argv + optind;
	return true;
}

bool config_remaps(const struct config *cfg, int code)
{
	return code >= 0 && code <= 255 &&
	       (cfg->remap_exit[code / 8] & (1u << (code % 8)));
}
