#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "config.h"

static struct config cfg;
static char err[256];

/* argv and envp are NULL-terminated lists; argv[0] is supplied. argv
 * outlives the call: cfg.command points into it. */
static bool parse_env(char **env, char **args)
{
	static char *argv[32] = {"reaper"};
	int argc = 1;

	while (*args != NULL)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	err[0] = '\0';
	return config_parse(&cfg, argc, argv, env, err, sizeof err);
}

#define ARGS(...) ((char *[]){__VA_ARGS__, NULL})
#define parse(...) parse_env(NULL, ARGS(__VA_ARGS__))
#define rejects(msg, ...)                                                  \
	do {                                                               \
		ck_assert(!parse(__VA_ARGS__));                            \
		ck_assert_str_eq(err, msg);                                \
	} while (0)

START_TEST(the_command_is_the_rest)
{
	ck_assert(parse("cmd", "arg"));
	ck_assert_int_eq(cfg.mode, MODE_RUN);
	ck_assert_str_eq(cfg.command[0], "cmd");
	ck_assert_str_eq(cfg.command[1], "arg");
	ck_assert_ptr_null(cfg.command[2]);
}
END_TEST

START_TEST(options_stop_at_first_non_option)
{
	ck_assert(parse("ls", "-l", "-g"));
	ck_assert_str_eq(cfg.command[0], "ls");
	ck_assert_str_eq(cfg.command[1], "-l");
	ck_assert(!cfg.kill_group);
	ck_assert(parse("-g", "--", "-x"));
	ck_assert(cfg.kill_group);
	ck_assert_str_eq(cfg.command[0], "-x");
}
END_TEST

START_TEST(short_and_long_flags)
{
	ck_assert(parse("-g", "-w", "-s", "-vv", "--setsid", "x"));
	ck_assert(cfg.kill_group && cfg.warn_on_reap && cfg.setsid);
	ck_assert_int_eq(cfg.verbosity, 3);
	ck_assert(parse("--kill-process-group", "--warn-on-reap", "--subreaper",
			"--verbose", "x"));
	ck_assert(cfg.kill_group && cfg.warn_on_reap);
	ck_assert_int_eq(cfg.verbosity, 2);
}
END_TEST

START_TEST(parent_death_signal)
{
	ck_assert(parse("-p", "SIGHUP", "x"));
	ck_assert_int_eq(cfg.parent_death_signal, SIGHUP);
	/* Faults too: one sent rather than raised is forwarded. */
	ck_assert(parse("-p", "SEGV", "x"));
	ck_assert_int_eq(cfg.parent_death_signal, SIGSEGV);
	ck_assert(parse("--parent-death-signal=usr1", "x"));
	ck_assert_int_eq(cfg.parent_death_signal, SIGUSR1);
	ck_assert(parse("-pRTMIN+2", "x"));
	ck_assert_int_eq(cfg.parent_death_signal, SIGRTMIN + 2);
	rejects("-p: 'NOPE': unknown signal", "-p", "NOPE", "x");
	rejects("-p: '0': unknown signal", "-p", "0", "x");
	rejects("-p: 'KILL': reaper can never receive it (KILL and STOP cannot "
		"be caught)", "-p", "KILL", "x");
	rejects("-p: 'SIGSTOP': reaper can never receive it (KILL and STOP "
		"cannot be caught)", "-p", "SIGSTOP", "x");
	rejects("-p: missing value", "-p");
	rejects("--parent-death-signal: missing value", "--parent-death-signal");
}
END_TEST

START_TEST(remap_exit)
{
	ck_assert(parse("-e", "0", "-e", "143", "--remap-exit", "255", "x"));
	ck_assert(config_remaps(&cfg, 0));
	ck_assert(config_remaps(&cfg, 143));
	ck_assert(config_remaps(&cfg, 255));
	ck_assert(!config_remaps(&cfg, 1));
	ck_assert(!config_remaps(&cfg, 256));
	ck_assert(!config_remaps(&cfg, -1));
	rejects("-e: '256': not an exit code from 0 to 255", "-e", "256", "x");
	rejects("-e: '-1': not an exit code from 0 to 255", "-e", "-1", "x");
	rejects("-e: 'abc': not an exit code from 0 to 255", "-e", "abc", "x");
	rejects("-e: '': not an exit code from 0 to 255", "-e", "", "x");
}
END_TEST

START_TEST(modes)
{
	ck_assert(parse("-h"));
	ck_assert_int_eq(cfg.mode, MODE_HELP);
	ck_assert(parse("--help"));
	ck_assert_int_eq(cfg.mode, MODE_HELP);
	ck_assert(parse("--version"));
	ck_assert_int_eq(cfg.mode, MODE_VERSION);
	ck_assert(parse("-l"));
	ck_assert_int_eq(cfg.mode, MODE_LICENSE);
	ck_assert(parse("--license"));
	ck_assert_int_eq(cfg.mode, MODE_LICENSE);
}
END_TEST

START_TEST(usage_errors)
{
	char *none[] = {NULL};

	ck_assert(!parse_env(NULL, none));
	ck_assert_int_eq(strncmp(err, "no command given", 16), 0);
	ck_assert(!parse("--"));
	ck_assert_int_eq(strncmp(err, "no command given", 16), 0);
	rejects("'--nope': unknown option", "--nope", "x");
	rejects("'--nope': unknown option", "--nope=3", "x");
	rejects("'-Z': unknown option", "-Z", "x");
	rejects("'-Z': unknown option", "-gZ", "x");
	/* Inside a cluster, the letter is named, not the word before. */
	rejects("'-x': unknown option", "--no-cleanup", "-xv", "x");
	rejects("'-x': unknown option", "--no-cleanup", "-vx", "x");
	rejects("'-x': unknown option", "-v", "-gxv", "x");
	rejects("'--pause': unknown option", "--pause=3", "x");
	rejects("'--setsid': unknown option", "--setsid=1", "x");
	/* Found by fuzz_config: a value's newline broke the one-line error. */
	rejects("'--?': unknown option", "--\n", "x");
	rejects("-p: 'TE?M': unknown signal", "-p", "TE\tM", "x");
}
END_TEST

START_TEST(environment)
{
	struct config want;

	ck_assert(parse_env(ARGS("TINI_KILL_PROCESS_GROUP=1"), ARGS("x")));
	ck_assert(cfg.kill_group);
	ck_assert(parse_env(ARGS("TINI_KILL_PROCESS_GROUP="), ARGS("x")));
	ck_assert(cfg.kill_group);
	ck_assert(parse_env(ARGS("REAPER_KILL_PROCESS_GROUP=yes"), ARGS("x")));
	ck_assert(cfg.kill_group);
	ck_assert(parse_env(ARGS("REAPER_KILL_PROCESS_GROUP=0",
				 "TINI_KILL_PROCESS_GROUP=1"), ARGS("x")));
	ck_assert(!cfg.kill_group);
	ck_assert(parse_env(ARGS("REAPER_KILL_PROCESS_GROUP=false"),
			    ARGS("-g", "x")));
	ck_assert(cfg.kill_group);

	ck_assert(parse_env(ARGS("TINI_VERBOSITY=3"), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 3);
	ck_assert(parse_env(ARGS("REAPER_VERBOSITY=0", "TINI_VERBOSITY=3"),
			    ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 0);
	ck_assert(parse_env(ARGS("REAPER_VERBOSITY=2"), ARGS("-v", "x")));
	ck_assert_int_eq(cfg.verbosity, 3);

	ck_assert(parse_env(ARGS("TINI_SUBREAPER=", "REAPER_SUBREAPER=1"),
			    ARGS("x")));
	/* tini's names take tini's values: set is on, whatever it says;
	 * a verbosity is read as atoi reads it. */
	ck_assert(parse_env(ARGS("TINI_KILL_PROCESS_GROUP=y"), ARGS("x")));
	ck_assert(cfg.kill_group);
	ck_assert(parse_env(ARGS("TINI_KILL_PROCESS_GROUP=0"), ARGS("x")));
	ck_assert(cfg.kill_group);
	ck_assert(parse_env(ARGS("TINI_VERBOSITY=lots"), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 0);
	ck_assert(parse_env(ARGS("TINI_VERBOSITY= 2x"), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 2);
	ck_assert(parse_env(ARGS("TINI_VERBOSITY=99999999999999999999"), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 4);
	ck_assert(parse_env(ARGS("TINI_VERBOSITY=-3"), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, 0);
	/* Names that merely start like ours are someone else's. */
	ck_assert(parse_env(ARGS("REAPER_VERBOSITYX=9"), ARGS("x")));
	config_defaults(&want);
	ck_assert_int_eq(cfg.verbosity, want.verbosity);
}
END_TEST

START_TEST(environment_rejections)
{
	ck_assert(!parse_env(ARGS("REAPER_VERBOSITY=5"), ARGS("x")));
	ck_assert_str_eq(err, "REAPER_VERBOSITY: '5': not a level from 0 to 4");
	ck_assert(!parse_env(ARGS("REAPER_VERBOSITY=x", "TINI_VERBOSITY=1"),
			     ARGS("x")));
	ck_assert_str_eq(err, "REAPER_VERBOSITY: 'x': not a level from 0 to 4");
	ck_assert(!parse_env(ARGS("REAPER_KILL_PROCESS_GROUP=maybe"), ARGS("x")));
	ck_assert_str_eq(err, "REAPER_KILL_PROCESS_GROUP: 'maybe': not a "
			      "boolean (1/0, true/false)");
}
END_TEST

#define NOT_A_DURATION "not a duration (500ms, 1.5s, 2m, 1h, 1m30s, or seconds)"

START_TEST(durations)
{
	static const struct {
		const char *text;
		uint64_t us;
	} good[] = {
		{"0", 0}, {"5", 5000000}, {"500ms", 500000}, {"5s", 5000000},
		{"2m", 120000000}, {"1h", 3600000000}, {"1m30s", 90000000},
		{"1h2m3s4ms", 3723004000}, {"0ms", 0},
		/* the most that fits, in microseconds */
		{"18446744073709ms", 18446744073709000},
		{"18446744073709", 18446744073709000000u},
	};
	static const char *const bad[] = {
		"", "s", "ms", "5x", "5 s", " 5s", "-1", "5S", "5sec",
		"m5", "1m30", "1s30", "99999999999999999999", "18446744073710",
		"18446744073710s", "18446744073709551615s", "5124095577h",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_msg(parse("--grace", (char *)good[i].text, "x"), "%s",
			      good[i].text);
		ck_assert_uint_eq(cfg.grace_us, good[i].us);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char msg[160];
		snprintf(msg, sizeof msg, "--grace: '%s': " NOT_A_DURATION, bad[i]);
		rejects(msg, "--grace", (char *)bad[i], "x");
	}
}
END_TEST

/* As GNU timeout's: a number with a fraction, in any unit or bare, and a
 * point needs a digit after it. Kept exact, in whole microseconds; what
 * is finer is rounded up, so that no duration is shorter than written. */
START_TEST(durations_with_fractions)
{
	static const struct {
		const char *text;
		uint64_t us;
	} good[] = {
		{"1.5s", 1500000}, {"0.25s", 250000}, {".5s", 500000},
		{"1.5", 1500000}, {".25", 250000}, {"1m30.5s", 90500000},
		{"1.5m", 90000000}, {"2.5h", 9000000000}, {"1.25ms", 1250},
		{"0.001s", 1000}, {"1.000000s", 1000000}, {"0.1234567m", 7407402},
		/* finer than a microsecond, rounded up */
		{"1.0000001s", 1000001}, {"0.0000001s", 1}, {"0.0005ms", 1},
		{"0.00000001m", 1}, {"1.0000000000000000000000000001s", 1000001},
		{"0.9999999s", 1000000},
		/* the most that fits, in microseconds, to the last one */
		{"18446744073709.551615s", 18446744073709551615u},
	};
	static const char *const bad[] = {
		"1.s", ".s", ".", "1.", "1..5s", "1.5.5s", "1,5s", "1.5e3s",
		"s.5", "1.-5s", "+1.5s", "1. 5s", "1.5 s", "1.5S", "1m30.5",
		"18446744073709.551616s", "18446744073709.5516151s",
		"5124095576.1h",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_msg(parse("--grace", (char *)good[i].text, "x"), "%s",
			      good[i].text);
		ck_assert_msg(cfg.grace_us == good[i].us, "%s: %llu", good[i].text,
			      (unsigned long long)cfg.grace_us);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char msg[160];
		snprintf(msg, sizeof msg, "--grace: '%s': " NOT_A_DURATION, bad[i]);
		rejects(msg, "--grace", (char *)bad[i], "x");
	}
}
END_TEST

/* With no option and no variable, parsing changes nothing of the
 * defaults but the command. */
START_TEST(no_option_leaves_the_defaults)
{
	struct config want;

	config_defaults(&want);
	ck_assert(parse("x"));
	ck_assert_int_eq(cfg.mode, want.mode);
	ck_assert(cfg.kill_group == want.kill_group && cfg.setsid == want.setsid &&
		  cfg.warn_on_reap == want.warn_on_reap && cfg.pause == want.pause &&
		  cfg.cleanup == want.cleanup && cfg.no_new_privs == want.no_new_privs);
	ck_assert_int_eq(cfg.verbosity, want.verbosity);
	ck_assert_int_eq(cfg.parent_death_signal, want.parent_death_signal);
	ck_assert_mem_eq(cfg.remap_exit, want.remap_exit, sizeof want.remap_exit);
	for (int code = 0; code < 256; code++)
		ck_assert(!config_remaps(&cfg, code));
	ck_assert_uint_eq(cfg.grace_us, want.grace_us);
	ck_assert_uint_eq(cfg.timeout_us, want.timeout_us);
	ck_assert_int_eq(cfg.timeout_signal, want.timeout_signal);
	ck_assert_int_eq(cfg.restart, want.restart);
	ck_assert_uint_eq(cfg.max_restarts, want.max_restarts);
	ck_assert_uint_eq(cfg.backoff_min_us, want.backoff_min_us);
	ck_assert_uint_eq(cfg.backoff_max_us, want.backoff_max_us);
	ck_assert_mem_eq(cfg.rewrite, want.rewrite, sizeof want.rewrite);
	ck_assert_ptr_eq(cfg.user, want.user);
	ck_assert_uint_eq(cfg.cap_drop, want.cap_drop);
	ck_assert_uint_eq(cfg.cap_add, want.cap_add);
}
END_TEST

/* What --help gives as the default of an option (or a variable): the
 * words after its "(default ", up to the ")". */
static char *help_default(const char *name, char value[32])
{
	const char *at = strstr(config_help, name), *end;

	ck_assert_msg(at != NULL, "--help does not name %s", name);
	at = strstr(at, "(default ");
	ck_assert_msg(at != NULL, "--help gives %s no default", name);
	at += strlen("(default ");
	end = strchr(at, ')');
	ck_assert_int_lt(end - at, 32);
	snprintf(value, 32, "%.*s", (int)(end - at), at);
	return value;
}

/* The defaults are the ones --help states: each given as a value means
 * what config_defaults wrote. */
START_TEST(the_defaults_are_what_help_says)
{
	char grace[32], backoff[32], sig[32], level[64];
	struct config want;

	config_defaults(&want);
	ck_assert(parse("--grace", help_default("--grace ", grace), "--backoff",
			help_default("--backoff ", backoff), "--timeout-signal",
			help_default("--timeout-signal ", sig), "x"));
	ck_assert_uint_eq(cfg.grace_us, want.grace_us);
	ck_assert_uint_eq(cfg.backoff_min_us, want.backoff_min_us);
	ck_assert_uint_eq(cfg.backoff_max_us, want.backoff_max_us);
	ck_assert_int_eq(cfg.timeout_signal, want.timeout_signal);
	snprintf(level, sizeof level, "REAPER_VERBOSITY=%s",
		 help_default("REAPER_VERBOSITY ", sig));
	ck_assert(parse_env(ARGS(level), ARGS("x")));
	ck_assert_int_eq(cfg.verbosity, want.verbosity);
}
END_TEST

START_TEST(lifecycle_options)
{
	struct config want;

	ck_assert(parse("--no-cleanup", "--timeout", "1m30s", "--timeout-signal",
			"INT", "--restart", "on-failure", "--max-restarts", "3",
			"--backoff", "200ms:2s", "x"));
	ck_assert(!cfg.cleanup);
	ck_assert_uint_eq(cfg.timeout_us, 90000000);
	ck_assert_int_eq(cfg.timeout_signal, SIGINT);
	ck_assert_int_eq(cfg.restart, RESTART_ON_FAILURE);
	ck_assert_uint_eq(cfg.max_restarts, 3);
	ck_assert_uint_eq(cfg.backoff_min_us, 200000);
	ck_assert_uint_eq(cfg.backoff_max_us, 2000000);
	ck_assert(parse("--restart", "always", "--backoff", "1s", "x"));
	ck_assert_int_eq(cfg.restart, RESTART_ALWAYS);
	ck_assert_uint_eq(cfg.backoff_min_us, 1000000);
	/* MIN alone leaves the default MAX, or raises it to MIN. */
	config_defaults(&want);
	ck_assert_uint_eq(cfg.backoff_max_us, want.backoff_max_us);
	ck_assert(parse("--backoff", "1m", "x"));
	ck_assert_uint_eq(cfg.backoff_max_us, 60000000);
	ck_assert(parse("--restart", "no", "x"));
	ck_assert_int_eq(cfg.restart, RESTART_NO);
	ck_assert(parse_env(ARGS("REAPER_GRACE=250ms"), ARGS("x")));
	ck_assert_uint_eq(cfg.grace_us, 250000);
	ck_assert(parse_env(ARGS("REAPER_GRACE=250ms"), ARGS("--grace", "1s", "x")));
	ck_assert_uint_eq(cfg.grace_us, 1000000);
}
END_TEST

START_TEST(lifecycle_rejections)
{
	rejects("--restart: 'sometimes': not one of no, on-failure, always",
		"--restart", "sometimes", "x");
	/* -3 is a number: what it is not is a count. */
	rejects("--max-restarts: '-3': not a count (0 or more)", "--max-restarts",
		"-3", "x");
	rejects("--max-restarts: 'x': not a count (0 or more)", "--max-restarts",
		"x", "x");
	rejects("--max-restarts: '': not a count (0 or more)", "--max-restarts",
		"", "x");
	rejects("--backoff: '2s:1s': not MIN[:MAX], two durations, 0 < MIN <= MAX",
		"--backoff", "2s:1s", "x");
	rejects("--backoff: '0': not MIN[:MAX], two durations, 0 < MIN <= MAX",
		"--backoff", "0", "x");
	rejects("--backoff: '1s:': not MIN[:MAX], two durations, 0 < MIN <= MAX",
		"--backoff", "1s:", "x");
	rejects("--timeout: '0': " NOT_A_DURATION ", above 0", "--timeout", "0",
		"x");
	rejects("--timeout: '0.0s': " NOT_A_DURATION ", above 0", "--timeout",
		"0.0s", "x");
	rejects("--timeout-signal: 'NOPE': unknown signal", "--timeout-signal",
		"NOPE", "x");
	ck_assert(!parse_env(ARGS("REAPER_GRACE=soon"), ARGS("x")));
	ck_assert_str_eq(err, "REAPER_GRACE: 'soon': " NOT_A_DURATION);
}
END_TEST

START_TEST(rewrite)
{
	ck_assert(parse("--rewrite", "TERM:QUIT", "--rewrite", "usr1:0",
			"--rewrite", "SIGRTMIN+1:2", "x"));
	ck_assert_int_eq(cfg.rewrite[SIGTERM], SIGQUIT);
	ck_assert_int_eq(cfg.rewrite[SIGUSR1], 0);
	ck_assert_int_eq(cfg.rewrite[SIGRTMIN + 1], SIGINT);
	ck_assert_int_eq(cfg.rewrite[SIGHUP], SIGHUP);
	rejects("--rewrite: 'TERM': not FROM:TO, two signals (TO may be 0)",
		"--rewrite", "TERM", "x");
	rejects("--rewrite: 'TERM:NOPE': not FROM:TO, two signals (TO may be 0)",
		"--rewrite", "TERM:NOPE", "x");
	rejects("--rewrite: ':TERM': not FROM:TO, two signals (TO may be 0)",
		"--rewrite", ":TERM", "x");
	rejects("--rewrite: 'TERM:': not FROM:TO, two signals (TO may be 0)",
		"--rewrite", "TERM:", "x");
	rejects("--rewrite: 'CHLD:TERM': SIGCHLD is reaper's own",
		"--rewrite", "CHLD:TERM", "x");
	rejects("--rewrite: 'KILL:TERM': reaper can never receive it (KILL "
		"and STOP cannot be caught)", "--rewrite", "KILL:TERM", "x");
	rejects("--rewrite: 'STOP:0': reaper can never receive it (KILL "
		"and STOP cannot be caught)", "--rewrite", "STOP:0", "x");
	/* To KILL or STOP is fine: reaper sends those. */
	ck_assert(parse("--rewrite", "TERM:KILL", "x"));
}
END_TEST

START_TEST(pause_mode)
{
	char *none[] = {"-P", NULL};

	ck_assert(parse_env(NULL, none));
	ck_assert(cfg.pause);
	ck_assert_ptr_null(cfg.command);
	ck_assert(parse("--pause", "--grace", "1s"));
	ck_assert(cfg.pause);
	rejects("--pause: 'sleep': takes no command", "-P", "sleep", "1");
}
END_TEST

START_TEST(privileges)
{
	ck_assert(parse("-u", "app:web", "--cap-drop", "CHOWN", "--cap-drop",
			"kill", "--cap-add", "NET_BIND_SERVICE", "--no-new-privs",
			"x"));
	ck_assert_str_eq(cfg.user, "app:web");
	ck_assert_uint_eq(cfg.cap_drop, (1ull << 0) | (1ull << 5));
	ck_assert_uint_eq(cfg.cap_add, 1ull << 10);
	ck_assert(cfg.no_new_privs);
	ck_assert(parse("--user=1000", "x"));
	ck_assert_str_eq(cfg.user, "1000");
	ck_assert(parse_env(ARGS("REAPER_USER=app"), ARGS("x")));
	ck_assert_str_eq(cfg.user, "app");
	ck_assert(parse_env(ARGS("REAPER_USER=app"), ARGS("-u", "root", "x")));
	ck_assert_str_eq(cfg.user, "root");
	ck_assert(parse_env(ARGS("REAPER_USER="), ARGS("x")));
	ck_assert_ptr_null(cfg.user);
	rejects("--cap-drop: 'NOPE': unknown capability", "--cap-drop", "NOPE", "x");
	rejects("--cap-add: 'FOO': unknown capability", "--cap-add", "CHOWN,FOO", "x");
	rejects("-u: missing value", "-u");
}
END_TEST

START_TEST(own_variables_are_reapers)
{
	size_t n = 0;

	for (const char *const *v = config_own_variables; *v != NULL; v++, n++)
		ck_assert_int_eq(strncmp(*v, "REAPER_", 7), 0);
	ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(parses_again_from_scratch)
{
	ck_assert(parse("-g", "-e", "3", "a"));
	ck_assert(parse("b"));
	ck_assert(!cfg.kill_group);
	ck_assert(!config_remaps(&cfg, 3));
	ck_assert_str_eq(cfg.command[0], "b");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		the_command_is_the_rest,
		options_stop_at_first_non_option,
		short_and_long_flags,
		parent_death_signal,
		remap_exit,
		modes,
		usage_errors,
		environment,
		environment_rejections,
		durations,
		durations_with_fractions,
		no_option_leaves_the_defaults,
		the_defaults_are_what_help_says,
		lifecycle_options,
		lifecycle_rejections,
		rewrite,
		pause_mode,
		privileges,
		own_variables_are_reapers,
		parses_again_from_scratch,
		NULL,
	};

	return run_tests("config", 0, NULL, NULL, tests);
}
