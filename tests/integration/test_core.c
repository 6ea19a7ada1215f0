/* The built reaper, run for real as a subreaper: exit statuses, exec
 * failures, usage errors, forwarding, and what the workload inherits. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static int sh(const char *script, char *err, size_t errlen)
{
	return run(ARGV(REAPER, "--", "/bin/sh", "-c", (char *)script), NULL, 0,
		   err, errlen);
}

START_TEST(exit_codes_pass_through)
{
	ck_assert_int_eq(sh("exit 0", NULL, 0), 0);
	ck_assert_int_eq(sh("exit 1", NULL, 0), 1);
	ck_assert_int_eq(sh("exit 42", NULL, 0), 42);
	ck_assert_int_eq(sh("exit 255", NULL, 0), 255);
}
END_TEST

START_TEST(killed_by_signal_is_128_plus_n)
{
	ck_assert_int_eq(sh("kill -USR1 $$", NULL, 0), 128 + SIGUSR1);
	ck_assert_int_eq(sh("kill -KILL $$", NULL, 0), 128 + SIGKILL);
	ck_assert_int_eq(sh("kill -SEGV $$", NULL, 0), 128 + SIGSEGV);
}
END_TEST

START_TEST(remap_exit_reports_zero)
{
	char *const remapped[] = {REAPER, "-e", "3", "-e", "4", "--",
				  "/bin/sh", "-c", "exit 3", NULL};
	char *const other[] = {REAPER, "-e", "3", "--", "/bin/sh", "-c",
			       "exit 5", NULL};
	char *const killed[] = {REAPER, "-e", "143", "--", "/bin/sh", "-c",
				"kill $$", NULL};

	char *const killed_other[] = {REAPER, "-e", "143", "--", "/bin/sh",
				      "-c", "kill -INT $$", NULL};

	ck_assert_int_eq(run(remapped, NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(run(other, NULL, 0, NULL, 0), 5);
	/* As tini: -e maps the final code, 128+N too. */
	ck_assert_int_eq(run(killed, NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(run(killed_other, NULL, 0, NULL, 0), 128 + SIGINT);
}
END_TEST

START_TEST(command_not_found_is_127)
{
	char err[512];

	ck_assert_int_eq(run(ARGV(REAPER, "/nonexistent/cmd"), NULL, 0, err,
			     sizeof err), 127);
	ck_assert_str_eq(err, "reaper: /nonexistent/cmd: No such file or directory\n");
	ck_assert_int_eq(run(ARGV(REAPER, "no-such-command-here"), NULL, 0, err,
			     sizeof err), 127);
	ck_assert_str_eq(err, "reaper: no-such-command-here: No such file or directory\n");
}
END_TEST

START_TEST(command_not_executable_is_126)
{
	char err[512];
	char path[] = "/tmp/reaper-noexec-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(run(ARGV(REAPER, path), NULL, 0, err, sizeof err), 126);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(err, "Permission denied"));
	/* Said as shells say it, not as exec's EACCES would. */
	ck_assert_int_eq(run(ARGV(REAPER, "/"), NULL, 0, err, sizeof err), 126);
	ck_assert_str_eq(err, "reaper: /: Is a directory\n");
	ck_assert_int_eq(run(ARGV(REAPER, "/tmp/"), NULL, 0, err, sizeof err), 126);
	ck_assert_str_eq(err, "reaper: /tmp/: Is a directory\n");
}
END_TEST

START_TEST(usage_errors_are_125)
{
	static const struct {
		const char *args[4];
		const char *message;
	} cases[] = {
		{{NULL}, "reaper: no command given"},
		{{"--", NULL}, "reaper: no command given"},
		{{"-p", "FOO", "true"}, "reaper: -p: 'FOO': unknown signal"},
		{{"-e", "256", "true"}, "reaper: -e: '256': not an exit code"},
		{{"--bogus", "true"}, "reaper: '--bogus': unknown option"},
		{{"-Z", "true"}, "reaper: '-Z': unknown option"},
		{{"-p"}, "reaper: -p: missing value"},
		{{"--no-cleanup", "-xv", "true"}, "reaper: '-x': unknown option"},
		{{"-p", "KILL", "true"}, "reaper: -p: 'KILL': reaper can never "
					"receive it"},
	};
	char err[512], out[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[6] = {REAPER};
		for (int j = 0; j < 4 && cases[i].args[j]; j++)
			argv[j + 1] = (char *)cases[i].args[j];
		ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 125);
		ck_assert_msg(strncmp(err, cases[i].message,
				      strlen(cases[i].message)) == 0,
			      "case %zu: %s", i, err);
		ck_assert_int_eq(count_lines(err, "reaper:"), 1);
		ck_assert_str_eq(out, "");
	}
}
END_TEST

START_TEST(bad_environment_is_125)
{
	char *env[] = {"REAPER_VERBOSITY=lots", "TINI_VERBOSITY=lots", NULL};
	char *tinis[] = {"TINI_VERBOSITY=lots", NULL};
	struct start_opts o = default_opts;
	char err[512];
	struct proc p;

	o.env = env;
	proc_start(&p, ARGV(REAPER, "true"), &o);
	read_all(p.err, err, sizeof err, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 125);
	ck_assert_str_eq(err, "reaper: REAPER_VERBOSITY: 'lots': not a level from 0 to 4\n");
	/* tini's name takes what tini takes: atoi reads 0. */
	o.env = tinis;
	proc_start(&p, ARGV(REAPER, "true"), &o);
	read_all(p.err, err, sizeof err, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(options_stop_at_the_command)
{
	char out[512];

	ck_assert_int_eq(run(ARGV(REAPER, "/bin/echo", "-l", "-v"), out,
			     sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "-l -v\n");
}
END_TEST

START_TEST(help_version_license_exit_0)
{
	char out[8192];

	ck_assert_int_eq(run(ARGV(REAPER, "--help"), out, sizeof out, NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(out, "--kill-process-group"));
	ck_assert_int_eq(run(ARGV(REAPER, "-h"), out, sizeof out, NULL, 0), 0);
	ck_assert_int_eq(run(ARGV(REAPER, "--version"), out, sizeof out, NULL, 0), 0);
	ck_assert_int_eq(strncmp(out, "reaper ", 7), 0);
	ck_assert_int_eq(run(ARGV(REAPER, "-l"), out, sizeof out, NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(out, "MIT License"));
}
END_TEST

START_TEST(stdio_passes_through)
{
	struct proc p;
	char out[64], err[64];

	proc_start(&p, ARGV(REAPER, "--", "/bin/sh", "-c",
			    "read line; echo \"out:$line\"; echo err >&2"),
		   &default_opts);
	ck_assert_int_eq(write(p.in, "hello\n", 6), 6);
	close(p.in);
	read_all(p.out, out, sizeof out, BOUND_MS);
	read_all(p.err, err, sizeof err, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_str_eq(out, "out:hello\n");
	ck_assert_str_eq(err, "err\n");
}
END_TEST

START_TEST(every_signal_is_forwarded)
{
	const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2,
			    SIGWINCH, SIGCONT, SIGALRM, SIGPIPE, SIGTSTP,
			    SIGTTIN, SIGTTOU, SIGURG, SIGABRT, SIGPWR,
			    SIGRTMIN, SIGRTMIN + 3, SIGRTMAX};
	/* valgrind keeps the last real-time signal for itself. */
	size_t n = sizeof sigs / sizeof sigs[0] - REAPER_UNDER_VALGRIND;
	struct proc p;

	start_probe(&p, ARGV(REAPER, "--", PROBE, "signals"), &default_opts,
		    NULL);
	for (size_t i = 0; i < n; i++)
		signal_and_expect(&p, sigs[i]);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

START_TEST(workload_has_its_own_group)
{
	struct proc p;
	long f[4];

	start_probe(&p, ARGV(REAPER, "--", PROBE, "signals"), &default_opts, f);
	ck_assert_int_eq(f[1], f[0]);          /* its own group */
	ck_assert_int_eq(f[2], getsid(0));     /* in reaper's session */
	ck_assert_int_ne(f[1], getpgid(p.pid));
	signal_and_expect(&p, SIGTERM);
	proc_wait(&p, BOUND_MS);
}
END_TEST

START_TEST(setsid_gives_a_new_session)
{
	struct proc p;
	long f[4];

	start_probe(&p, ARGV(REAPER, "--setsid", "--", PROBE, "signals"),
		    &default_opts, f);
	ck_assert_int_eq(f[2], f[0]);
	ck_assert_int_eq(f[1], f[0]);
	signal_and_expect(&p, SIGTERM);
	proc_wait(&p, BOUND_MS);
}
END_TEST

/* sh ignores USR1 and waits; the probe, its child in the same group, only
 * hears USR1 when reaper signals the whole group. */
#define GRANDCHILD "/bin/sh", "-c", "trap '' USR1; \"$0\" signals & wait", PROBE

static void check_group_forwarding(char *const argv[],
				   const struct start_opts *o)
{
	struct proc p;

	start_probe(&p, argv, o, NULL);
	signal_and_expect(&p, SIGUSR1);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}

START_TEST(group_flag_reaches_grandchild)
{
	check_group_forwarding(ARGV(REAPER, "-g", "--", GRANDCHILD), &default_opts);
}
END_TEST

START_TEST(group_env_reaches_grandchild)
{
	/* tini reads its variable as set or not: any value turns it on. */
	const char *values[] = {"TINI_KILL_PROCESS_GROUP=1",
				"TINI_KILL_PROCESS_GROUP=y",
				"TINI_KILL_PROCESS_GROUP="};
	struct start_opts o = default_opts;

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char *env[] = {(char *)values[i], NULL};
		o.env = env;
		check_group_forwarding(ARGV(REAPER, "--", GRANDCHILD), &o);
	}
}
END_TEST

/* reaper's own variables are not the workload's: a nested reaper starts
 * afresh. tini's are left, as tini leaves them. */
START_TEST(reapers_variables_stay_with_reaper)
{
	char *env[] = {"REAPER_GRACE=2s", "REAPER_VERBOSITY=1",
		       "REAPER_SUBREAPER=1", "REAPER_KILL_PROCESS_GROUP=1",
		       "TINI_VERBOSITY=1", NULL};
	struct start_opts o = default_opts;
	char out[8192];
	struct proc p;

	o.env = env;
	proc_start(&p, ARGV(REAPER, "/usr/bin/env"), &o);
	read_all(p.out, out, sizeof out, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	for (const char *const *v = (const char *const[]){"REAPER_GRACE=",
		"REAPER_VERBOSITY=", "REAPER_SUBREAPER=", "REAPER_KILL_PROCESS_GROUP=",
		NULL}; *v != NULL; v++)
		ck_assert_msg(strstr(out, *v) == NULL, "%s in %s", *v, out);
	ck_assert_ptr_nonnull(strstr(out, "TINI_VERBOSITY=1\n"));
}
END_TEST

/* dumb-init's own suite sends each of signals 1-31 with kill(2): the
 * faults too are forwarded, not taken as reaper's own. */
START_TEST(faults_sent_with_kill_are_forwarded)
{
	const int faults[] = {SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS};
	struct proc p;

	/* valgrind takes the faults sent to its guest for its own. */
	if (REAPER_UNDER_VALGRIND)
		return;

	start_probe(&p, ARGV(REAPER, "--", PROBE, "signals"), &default_opts,
		    NULL);
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		signal_and_expect(&p, faults[i]);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

START_TEST(without_group_only_the_child_hears)
{
	struct proc p;
	char rest[64];
	long f[4];

	start_probe(&p, ARGV(REAPER, "--", GRANDCHILD),
		    &default_opts, f);
	/* The shell ignores USR1, then TERM kills it and reaper exits. */
	ck_assert_int_eq(kill(p.pid, SIGUSR1), 0);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
	/* The probe, sent nothing by reaper, hears only our TERM. A USR1
	 * sent earlier would come first: sigwaitinfo takes the lowest. */
	ck_assert(kill((pid_t)f[0], SIGTERM) == 0 || errno == ESRCH);
	read_all(p.out, rest, sizeof rest, BOUND_MS);
	ck_assert_str_eq(rest, "15\n");
}
END_TEST

START_TEST(signal_at_start_is_not_lost)
{
	sigset_t usr1;
	struct start_opts o = default_opts;
	struct proc p;

	/* Blocked from before reaper exists, USR1 waits in the kernel, so
	 * it reaches reaper whenever reaper is ready, and the probe whenever
	 * the probe is: nothing here depends on timing. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	o.block = &usr1;
	proc_start(&p, ARGV(REAPER, "--", PROBE, "signals"), &o);
	ck_assert_int_eq(kill(p.pid, SIGUSR1), 0);
	{
		char line[128];
		read_line(p.out, line, sizeof line, BOUND_MS);
		ck_assert_int_eq(strncmp(line, "ready", 5), 0);
	}
	expect_signal(&p, SIGUSR1);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}
END_TEST

static void status_line(const char *status, const char *field, char *out)
{
	const char *at = strstr(status, field);

	ck_assert_ptr_nonnull(at);
	sscanf(at + strlen(field), ": %31s", out);
}

START_TEST(workload_gets_clean_signal_state)
{
	char status[8192], blk[32], ign[32];

	ck_assert_int_eq(run(ARGV(REAPER, "cat", "/proc/self/status"), status,
			     sizeof status, NULL, 0), 0);
	status_line(status, "SigBlk", blk);
	status_line(status, "SigIgn", ign);
	ck_assert_str_eq(blk, "0000000000000000");
	ck_assert_str_eq(ign, "0000000000000000");
}
END_TEST

START_TEST(inherited_ignore_and_mask_survive)
{
	struct start_opts o = default_opts;
	char status[8192], blk[32], ign[32];
	sigset_t usr2;
	struct proc p;

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	o.ignore = SIGHUP;
	o.block = &usr2;
	proc_start(&p, ARGV(REAPER, "cat", "/proc/self/status"), &o);
	read_all(p.out, status, sizeof status, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	status_line(status, "SigBlk", blk);
	status_line(status, "SigIgn", ign);
	ck_assert_str_eq(blk, "0000000000000800"); /* USR2 is 12 */
	ck_assert_str_eq(ign, "0000000000000001"); /* HUP is 1 */
}
END_TEST

START_TEST(inherited_sigchld_ignore_still_reaps)
{
	struct start_opts o = default_opts;
	char status[8192], ign[32];
	struct proc p;

	/* Were SIGCHLD left ignored in reaper, the kernel would reap the
	 * workload itself and reaper would wait for it forever. */
	o.ignore = SIGCHLD;
	proc_start(&p, ARGV(REAPER, "/bin/sh", "-c", "exit 7"), &o);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 7);
	/* The workload still inherits the ignored SIGCHLD (which valgrind,
	 * running reaper, does not hand on). */
	if (REAPER_UNDER_VALGRIND)
		return;
	proc_start(&p, ARGV(REAPER, "cat", "/proc/self/status"), &o);
	read_all(p.out, status, sizeof status, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	status_line(status, "SigIgn", ign);
	ck_assert_str_eq(ign, "0000000000010000"); /* CHLD is 17 */
}
END_TEST

START_TEST(workload_gets_only_inherited_descriptors)
{
	char out[256];

	/* valgrind hands its own log descriptor on. */
	if (REAPER_UNDER_VALGRIND)
		return;
	ck_assert_int_eq(run(ARGV(REAPER, PROBE, "fds"), out, sizeof out,
			     NULL, 0), 0);
	ck_assert_str_eq(out, "0 1 2\n");
}
END_TEST

START_TEST(reaper_moves_to_root_directory)
{
	struct start_opts o = default_opts;
	char cwd[PATH_MAX], path[64];
	struct proc p;
	ssize_t n;

	o.cwd = "/tmp";
	start_probe(&p, ARGV(REAPER, "--", PROBE, "signals"), &o, NULL);
	signal_and_expect(&p, SIGUSR1);
	snprintf(path, sizeof path, "/proc/%d/cwd", (int)p.pid);
	n = readlink(path, cwd, sizeof cwd - 1);
	ck_assert_int_gt(n, 0);
	cwd[n] = '\0';
	ck_assert_str_eq(cwd, "/");
	signal_and_expect(&p, SIGTERM);
	proc_wait(&p, BOUND_MS);
}
END_TEST

START_TEST(reaper_holds_no_inherited_pipe)
{
	struct start_opts o = default_opts;
	int pipefd[2];
	char buf[8];
	struct proc p;

	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	o.fd3 = pipefd[1];
	/* The workload lets go of the pipe and lives on: only reaper could
	 * keep the reader from seeing EOF. */
	proc_start(&p, ARGV(REAPER, "--", "/bin/sh", "-c",
			    "exec 3>&-; exec sleep 600"), &o);
	close(pipefd[1]);
	ck_assert_int_eq(read_all(pipefd[0], buf, sizeof buf, BOUND_MS), 0);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}
END_TEST

/* reaper's signalfd then takes descriptor 0 or 1, below stderr: letting go
 * of what it inherited must not close it. */
START_TEST(started_with_stdin_or_stdout_closed)
{
	const char *closed[] = {"<&-", ">&-", "<&- >&-"};
	char script[PATH_MAX + 64];

	for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++) {
		snprintf(script, sizeof script,
			 "exec %s -- /bin/sh -c 'exit 3' %s", REAPER, closed[i]);
		ck_assert_int_eq(run(ARGV("/bin/sh", "-c", script), NULL, 0,
				     NULL, 0), 3);
	}
}
END_TEST

START_TEST(listen_pid_follows_the_workload)
{
	char out[64];
	struct proc p;
	long got, self;

	/* LISTEN_PID must name reaper itself, whose pid is known only after
	 * fork: a shell sets it and execs reaper in its place. */
	proc_start(&p, ARGV("/bin/sh", "-c",
			    "LISTEN_PID=$$ exec \"$0\" /bin/sh -c 'echo $LISTEN_PID $$'",
			    REAPER),
		   &default_opts);
	read_all(p.out, out, sizeof out, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_int_eq(sscanf(out, "%ld %ld", &got, &self), 2);
	ck_assert_int_eq(got, self);

	/* A LISTEN_PID meant for someone else is left alone. */
	proc_start(&p, ARGV("/bin/sh", "-c",
			    "LISTEN_PID=1 exec \"$0\" /bin/sh -c 'echo $LISTEN_PID'",
			    REAPER),
		   &default_opts);
	read_all(p.out, out, sizeof out, BOUND_MS);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_str_eq(out, "1\n");
}
END_TEST

START_TEST(parent_death_signal_is_forwarded)
{
	struct proc p;
	char line[128];
	long reaper_pid;

	/* The shell starts reaper in the background and reports its pid;
	 * killing the shell fires reaper's -p signal, which it forwards. */
	proc_start(&p, ARGV("/bin/sh", "-c",
			    "\"$0\" -p USR2 -- \"$1\" signals & echo $!; wait",
			    REAPER, PROBE),
		   &default_opts);
	/* The shell's echo and the probe's ready line race to stdout. */
	reaper_pid = 0;
	for (int seen = 0; seen < 2; seen++) {
		read_line(p.out, line, sizeof line, BOUND_MS);
		if (strncmp(line, "ready", 5) != 0)
			reaper_pid = atol(line);
	}
	ck_assert_int_gt(reaper_pid, 0);
	ck_assert_int_eq(kill(p.pid, SIGKILL), 0);
	proc_wait(&p, BOUND_MS);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(atoi(line), SIGUSR2);
	ck_assert_int_eq(kill((pid_t)reaper_pid, SIGTERM), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(atoi(line), SIGTERM);
	/* reaper, orphaned to this subreaper, exits with the probe's 0. */
	ck_assert_int_eq(waitpid((pid_t)reaper_pid, NULL, 0), reaper_pid);
}
END_TEST

START_TEST(idle_reaper_does_not_wake)
{
	struct timespec pause = {1, 500000000};
	struct proc p;
	long before, after;

	start_probe(&p, ARGV(REAPER, "--", PROBE, "signals"), &default_opts,
		    NULL);
	signal_and_expect(&p, SIGUSR1);
	while (!proc_sleeping(p.pid))
		sched_yield();
	before = proc_status_field(p.pid, "voluntary_ctxt_switches");
	/* Not synchronisation: the span over which nothing may happen,
	 * longer than tini's one-second tick. */
	nanosleep(&pause, NULL);
	after = proc_status_field(p.pid, "voluntary_ctxt_switches");
	ck_assert_int_eq(after, before);
	signal_and_expect(&p, SIGTERM);
	proc_wait(&p, BOUND_MS);
}
END_TEST

START_TEST(verbosity_logs_the_start)
{
	char err[1024];

	ck_assert_int_eq(run(ARGV(REAPER, "-v", "true"), NULL, 0, err,
			     sizeof err), 0);
	ck_assert_int_eq(count_lines(err, "reaper: started true as "), 1);
	ck_assert_int_eq(run(ARGV(REAPER, "true"), NULL, 0, err, sizeof err), 0);
	ck_assert_str_eq(err, "");
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		exit_codes_pass_through,
		killed_by_signal_is_128_plus_n,
		remap_exit_reports_zero,
		command_not_found_is_127,
		command_not_executable_is_126,
		usage_errors_are_125,
		bad_environment_is_125,
		options_stop_at_the_command,
		help_version_license_exit_0,
		stdio_passes_through,
		every_signal_is_forwarded,
		workload_has_its_own_group,
		setsid_gives_a_new_session,
		group_flag_reaches_grandchild,
		group_env_reaches_grandchild,
		reapers_variables_stay_with_reaper,
		faults_sent_with_kill_are_forwarded,
		without_group_only_the_child_hears,
		signal_at_start_is_not_lost,
		workload_gets_clean_signal_state,
		inherited_ignore_and_mask_survive,
		inherited_sigchld_ignore_still_reaps,
		workload_gets_only_inherited_descriptors,
		reaper_moves_to_root_directory,
		reaper_holds_no_inherited_pipe,
		started_with_stdin_or_stdout_closed,
		listen_pid_follows_the_workload,
		parent_death_signal_is_forwarded,
		idle_reaper_does_not_wake,
		verbosity_logs_the_start,
		NULL,
	};

	return harness_main("core", 60, tests);
}
