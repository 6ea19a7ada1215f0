/* The cleanup's reach: every descendant gets the graceful signal first,
 * however deep the tree, however few the descriptors, whatever dies
 * under the walk; SIGKILL only after a grace that ran whole. Run twice:
 * with no argument reaper is a subreaper; with "pid1" it is PID 1 of a
 * new PID namespace. The leftovers come from the tree helper, which
 * writes a line on descriptor 3 for each SIGTERM it receives. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define TREE TREE_BIN

static bool pid1;

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Where the leftovers write what reached them: a file of its own. */
static int open_record(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/reaper-cleanup-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, O_APPEND), 0);
	return fd;
}

static long lines_in(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;

	ck_assert_ptr_nonnull(f);
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Deep chains are slow to make here: each fork in one costs time that
 * grows with its depth (a 1,000-deep chain takes some 15 s to build on
 * these VMs, 200 deep a tenth of a second), so their runs have a bound
 * of their own. */
#define CHAIN_BOUND_MS 90000

/* Runs argv as this suite's mode says, with the record as descriptor 3;
 * returns its exit code, and how many leftovers had SIGTERM. */
static int run_recorded(char *const argv[], long *termed, char *err,
			size_t errlen)
{
	struct start_opts o = default_opts;
	char path[64];
	int code;

	o.fd3 = open_record(path, sizeof path);
	o.pid1 = pid1;
	code = run_opts(&o, CHAIN_BOUND_MS, argv, NULL, 0, err, errlen);
	close(o.fd3);
	*termed = lines_in(path);
	unlink(path);
	return code;
}

/* A chain whose every process dies of SIGTERM: each death hands the next
 * to reaper while the walk is still below it. Pinned to one CPU, where
 * the walk and the deaths interleave most. The grace is long: only a
 * SIGKILL after it would make reaper wait. */
static void chain_dying_of_term(const char *depth, int runs)
{
	for (int run = 0; run < runs; run++) {
		long termed;
		char err[4096];
		int code = run_recorded(
			ARGV("/usr/bin/taskset", "-c", "0", REAPER, "-v",
			     "--grace", "15s", "--", TREE, "chain", (char *)depth),
			&termed, err, sizeof err);
		ck_assert_msg(code == 0, "run %d: exit %d: %s", run, code, err);
		ck_assert_msg(termed == atol(depth), "run %d: %ld of %s had "
			      "SIGTERM: %s", run, termed, depth, err);
		ck_assert_msg(strstr(err, "SIGKILL") == NULL &&
			      strstr(err, "killing") == NULL, "run %d: %s", run, err);
	}
}

START_TEST(a_chain_of_200_dying_of_term_is_never_killed)
{
	chain_dying_of_term("200", 5);
}
END_TEST

/* Five runs of the shipped binary as a subreaper, whose walk the deaths
 * race; one as PID 1, where kill(-1) signals all in one call, and one
 * under a sanitizer or valgrind, whose runs of the suite come on top in
 * CI. */
START_TEST(a_chain_of_1000_dying_of_term_is_never_killed)
{
	bool shipped = REAPER_IS_STATIC && !REAPER_UNDER_VALGRIND;

	chain_dying_of_term("1000", shipped && !pid1 ? 5 : 1);
}
END_TEST

/* Leftovers that outlive SIGTERM, so that the walk meets all of them
 * alive, under a descriptor limit: each must have had it before the
 * grace's SIGKILL. */
static void all_termed_under(const char *nofile, const char *shape,
			     const char *n)
{
	char limit[32], err[8192];
	long termed;
	int code;

	snprintf(limit, sizeof limit, "--nofile=%s", nofile);
	code = run_recorded(ARGV("/usr/bin/prlimit", limit, REAPER, "-vv",
				 "--grace", "1s", "--", TREE, (char *)shape,
				 (char *)n, "stay"),
			    &termed, err, sizeof err);
	ck_assert_msg(code == 0, "exit %d: %s", code, err);
	ck_assert_msg(termed == atol(n), "%ld of %s had SIGTERM: %s", termed, n,
		      err);
}

START_TEST(a_chain_deeper_than_the_descriptor_limit_is_terminated_whole)
{
	all_termed_under("64", "chain", "100");
}
END_TEST

START_TEST(a_chain_deeper_than_the_usual_limit_is_terminated_whole)
{
	all_termed_under("1024", "chain", "1040");
}
END_TEST

/* Not under valgrind, which keeps descriptors of its own at the top of
 * the limit: with 16 it cannot run reaper at all. */
START_TEST(ten_thousand_under_a_limit_of_16_are_terminated)
{
	if (REAPER_UNDER_VALGRIND) {
		puts("NOTE: left out under valgrind, which needs more than 16 "
		     "descriptors of its own");
		return;
	}
	all_termed_under("16", "fan", "10000");
}
END_TEST

/* s6-overlay#554: TERM at once to all, KILL only at the grace's end, and
 * only to what is still alive. */
START_TEST(only_what_outlives_the_grace_is_killed)
{
	char err[4096];
	long termed;
	double start = seconds();
	int code = run_recorded(ARGV(REAPER, "-v", "--grace", "1s", "--",
				     "/bin/sh", "-c",
				     "\"$0\" fan 3 >/dev/null; \"$0\" fan 1 stay",
				     TREE),
				&termed, err, sizeof err);

	ck_assert_msg(code == 0, "exit %d: %s", code, err);
	ck_assert_int_eq(termed, 4);
	ck_assert_double_ge(seconds() - start, 1.0);
	ck_assert_msg(count_lines(err, "reaper: terminating 4 leftovers: ") == 1, "%s", err);
	ck_assert_msg(count_lines(err, "reaper: killing 1 leftover: ") == 1, "%s", err);
}
END_TEST

/* pid1-rs#6: a stop of a workload that ends at once on SIGTERM does not
 * wait for the grace. */
START_TEST(a_prompt_stop_does_not_wait_for_the_grace)
{
	struct start_opts o = default_opts;
	struct proc p;
	double start;

	o.pid1 = pid1;
	start_probe(&p, ARGV(REAPER, "--grace", "30s", "--", PROBE, "signals"),
		    &o, NULL);
	start = seconds();
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_double_lt(seconds() - start, 10.0);
}
END_TEST

/* go-reaper#2: the workload's status, among a thousand orphans ending
 * at the same moment. */
START_TEST(the_status_survives_a_thousand_orphans_ending_at_once)
{
	struct start_opts o = default_opts;

	o.pid1 = pid1;
	ck_assert_int_eq(run_opts(&o, BOUND_MS,
				  ARGV(REAPER, "--", "/bin/sh", "-c",
				       "i=0; while [ $i -lt 1000 ]; do "
				       "(sleep 0.5 &); i=$((i + 1)); done; "
				       "sleep 0.5; exit 42"),
				  NULL, 0, NULL, 0), 42);
}
END_TEST

/* A pod's application that joined the namespace with nsenter is not
 * reaper's child: told to stop, reaper looks for it every 100 ms, and
 * exits once it has ended (a second into its TERM handler), long before
 * the grace is over. */
START_TEST(a_stopping_pause_exits_once_the_non_children_are_gone)
{
	struct proc p, other;
	char line[256], target[16];
	double start;

	proc_start(&p, ARGV(REAPER, "-v", "--pause", "--grace", "15s"),
		   &(struct start_opts){.fd3 = -1, .pid1 = true});
	read_line(p.err, line, sizeof line, BOUND_MS);
	snprintf(target, sizeof target, "%d", (int)p.pid);
	proc_start(&other, ARGV("/usr/bin/nsenter", "-t", target, "-p", "--",
				"/bin/sh", "-c", "trap 'sleep 1; exit 7' TERM; "
				"echo ready; while :; do sleep 0.1; done"),
		   &default_opts);
	read_line(other.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	ck_assert_int_eq(kill(pid1_of(other.pid), SIGTERM), 0);
	start = seconds();
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(exit_code(proc_wait(&other, BOUND_MS)), 7);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 0);
	ck_assert_double_lt(seconds() - start, 10.0);
}
END_TEST

/* Without /proc the cleanup falls back to the workload's group: said
 * once, however many rounds the cleanup takes. */
START_TEST(without_proc_the_fallback_is_said_once)
{
	char err[4096];

	ck_assert_int_eq(run(ARGV("/usr/bin/unshare", "--mount", "/bin/sh", "-c",
				  "mount -t tmpfs none /proc && exec \"$0\" -v "
				  "--grace 200ms -- /bin/sh -c "
				  "'trap \"\" TERM; sleep 600 >/dev/null & sleep 0.1'",
				  REAPER),
			     NULL, 0, err, sizeof err), 0);
	ck_assert_msg(count_lines(err, "reaper: no usable /proc") == 1, "%s", err);
	ck_assert_msg(count_lines(err, "SIGKILL") == 1, "%s", err);
}
END_TEST

/* Pause mode has no workload, so no group: the line says so. */
START_TEST(a_pause_without_proc_names_no_group)
{
	char err[4096];

	ck_assert_int_eq(run(ARGV("/usr/bin/unshare", "--mount", "/bin/sh", "-c",
				  "mount -t tmpfs none /proc && exec \"$0\" -v "
				  "--pause --timeout 200ms", REAPER),
			     NULL, 0, err, sizeof err), 124);
	ck_assert_msg(count_lines(err, "reaper: no usable /proc") == 1, "%s", err);
	ck_assert_msg(count_lines(err, "group") == 0, "%s", err);
}
END_TEST

/* PID 1 whose /proc is another namespace's cannot count what kill(-1)
 * reached: the summary says so rather than 0. */
START_TEST(pid1_with_another_namespaces_proc_counts_unknown)
{
	char err[4096];

	ck_assert_int_eq(run(ARGV("/usr/bin/unshare", "--pid", "--fork", REAPER,
				  "-v", "--", "/bin/sh", "-c",
				  "sleep 600 >/dev/null & exit 3"),
			     NULL, 0, err, sizeof err), 3);
	ck_assert_msg(count_lines(err, "descendants terminated at the end: "
				  "unknown") == 1, "%s", err);
	ck_assert_msg(count_lines(err, "reaper: sending SIGTERM to every "
				  "process in the namespace") == 1, "%s", err);
}
END_TEST

int main(int argc, char **argv)
{
	/* A sanitizer's runtime needs /proc: the cases that hide it test the
	 * static build, as test_noproc's do. */
	const TTest *const subreaper_only[] = {
		pid1_with_another_namespaces_proc_counts_unknown,
		REAPER_IS_STATIC ? without_proc_the_fallback_is_said_once : NULL,
		REAPER_IS_STATIC ? a_pause_without_proc_names_no_group : NULL,
		NULL,
	};
	const TTest *const pid1_only[] = {
		a_stopping_pause_exits_once_the_non_children_are_gone,
		NULL,
	};
	const TTest *const both[] = {
		a_chain_of_200_dying_of_term_is_never_killed,
		a_chain_of_1000_dying_of_term_is_never_killed,
		a_chain_deeper_than_the_descriptor_limit_is_terminated_whole,
		a_chain_deeper_than_the_usual_limit_is_terminated_whole,
		ten_thousand_under_a_limit_of_16_are_terminated,
		only_what_outlives_the_grace_is_killed,
		a_prompt_stop_does_not_wait_for_the_grace,
		the_status_survives_a_thousand_orphans_ending_at_once,
		NULL,
	};

	pid1 = argc > 1 && strcmp(argv[1], "pid1") == 0;
	if (!can_unshare())
		return 77;
	if (!REAPER_IS_STATIC)
		puts("NOTE: the cases without /proc are left out: a sanitizer's "
		     "runtime needs it");
	/* Ending ten thousand leftovers is work, not a spin: three walks of
	 * /proc, each a pidfd and two reads a process. */
	harness_cpu_share(0.5);
	return harness_main_modes(pid1 ? "cleanup-pid1" : "cleanup", 500, pid1,
				  both, subreaper_only, pid1_only);
}
