/* reaper under a seccomp profile that refuses the newer system calls it
 * uses, as Docker's did before it knew them and as hardened runtimes do:
 * pidfd_open, pidfd_send_signal and close_range answer EPERM, then ENOSYS,
 * each alone and all together. The cleanup, forwarding, reaping and the
 * release of inherited descriptors must work the same through the
 * fallbacks, as a subreaper and as PID 1 (the second run, "pid1", needs
 * root). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static bool pid1;

static const char *const refusals[] = {"EPERM", "ENOSYS"};
static const char *const calls[] = {
	"pidfd_open", "pidfd_send_signal", "close_range",
	"pidfd_open,pidfd_send_signal,close_range",
};

/* Each profile in turn: fn(errno name, calls). */
static void each_profile(void (*fn)(const char *refusal, const char *calls))
{
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < sizeof calls / sizeof calls[0]; j++)
			fn(refusals[i], calls[j]);
}

static const struct start_opts *mode(void)
{
	static struct start_opts o;

	o = default_opts;
	o.pid1 = pid1;
	return &o;
}

/* reaper's argv under the profile: RESTRICT refusal calls -- REAPER ... */
#define UNDER(refusal, calls, ...) \
	ARGV(RESTRICT, (char *)(refusal), (char *)(calls), "--", REAPER, \
	     __VA_ARGS__)

/* The leftover gets SIGTERM (a grace of ten minutes: only a signal that
 * went through ends this early), and the fallback is said once at -v. */
static void cleanup(const char *refusal, const char *what)
{
	char out[64], err[2048];
	bool pidfd_refused = strstr(what, "pidfd") != NULL;

	ck_assert_int_eq(run_opts(mode(), BOUND_MS,
				  UNDER(refusal, what, "-v", "--grace", "10m", "--",
					"/bin/sh", "-c", "sleep 600 >/dev/null "
					"2>&1 & echo $!; exit 3"),
				  out, sizeof out, err, sizeof err), 3);
	ck_assert_msg(count_lines(err, "reaper: terminating 1 leftover: ") == 1,
		      "%s %s: %s", refusal, what, err);
	ck_assert_msg(count_lines(err, "signalling by pid, checked against "
				       "start times") <= 1, "%s", err);
	if (pid1)
		return; /* its pids are the namespace's, and all died with it */
	ck_assert_msg(!pidfd_refused || count_lines(err, "signalling by pid") == 1,
		      "%s %s: %s", refusal, what, err);
	ck_assert_msg(kill((pid_t)atol(out), 0) < 0, "the leftover %s lives on", out);
}

START_TEST(the_cleanup_goes_through)
{
	each_profile(cleanup);
}
END_TEST

static void forwarding(const char *refusal, const char *what)
{
	struct proc p;

	start_probe(&p, UNDER(refusal, what, "--", PROBE, "signals"), mode(),
		    NULL);
	signal_and_expect(&p, SIGUSR1);
	signal_and_expect(&p, SIGTERM);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
}

START_TEST(signals_are_forwarded)
{
	each_profile(forwarding);
}
END_TEST

static void reaping(const char *refusal, const char *what)
{
	char out[64];

	ck_assert_int_eq(run_opts(mode(), BOUND_MS,
				  UNDER(refusal, what, "--", PROBE, "orphans", "300"),
				  out, sizeof out, NULL, 0), 0);
	ck_assert_str_eq(out, "reaped 300\n");
}

START_TEST(orphans_are_reaped)
{
	each_profile(reaping);
}
END_TEST

/* The workload lets go of the pipe and lives on: only reaper, had it kept
 * what it inherited, could keep the reader from seeing EOF. */
static void releasing(const char *refusal, const char *what)
{
	struct start_opts o = *mode();
	char buf[8];
	int pipefd[2];
	struct proc p;

	ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
	o.fd3 = pipefd[1];
	proc_start(&p, UNDER(refusal, what, "--", "/bin/sh", "-c",
			     "exec 3>&-; exec sleep 600"), &o);
	close(pipefd[1]);
	ck_assert_int_eq(read_all(pipefd[0], buf, sizeof buf, BOUND_MS), 0);
	close(pipefd[0]);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}

START_TEST(inherited_descriptors_are_let_go)
{
	each_profile(releasing);
}
END_TEST

int main(int argc, char **argv)
{
	const TTest *const tests[] = {
		the_cleanup_goes_through,
		signals_are_forwarded,
		orphans_are_reaped,
		inherited_descriptors_are_let_go,
		NULL,
	};

	pid1 = argc > 1 && strcmp(argv[1], "pid1") == 0;
	if (pid1 && !can_unshare())
		return 77;
	return harness_main(pid1 ? "restricted-pid1" : "restricted", 120, tests);
}
