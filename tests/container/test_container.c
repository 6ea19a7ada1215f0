/* reaper inside real container engines, as its users run it: as the
 * image's ENTRYPOINT and as the engine's own --init, under Podman and
 * under Docker itself (the argument says which; engine.h). Skipped,
 * saying why, where the engine is not installed; CI has both. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine.h"
#include "harness.h"
#include "runner.h"

static const char *name;

static void setup(void)
{
	harness_setup();
	name = engine_name_container();
}

static void teardown(void)
{
	engine_remove_container();
	harness_teardown();
}

START_TEST(exit_code_is_the_containers)
{
	ck_assert_int_eq(run(RUN(image, "sh", "-c", "exit 42"), NULL, 0, NULL, 0), 42);
	ck_assert_int_eq(run(RUN(image, "sh", "-c", "exit 0"), NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(run(RUN(image, "sh", "-c", "kill -USR1 $$"), NULL, 0,
			     NULL, 0), 128 + SIGUSR1);
	ck_assert_int_eq(run(RUN(image, "no-such-command"), NULL, 0, NULL, 0), 127);
}
END_TEST

/* The options that make the engine run its own init, reaper: Podman's
 * --init-path, or Docker's, given to the test's dockerd. */
static char *const *init_options(void)
{
	static char *const podman[] = {"--init", "--init-path", REAPER, NULL};
	static char *const docker[] = {"--init", NULL};

	return strcmp(engine_name, "docker") == 0 ? docker : podman;
}

/* Starts a named container, attached, and waits for its "ready" line;
 * as_init: with the engine's init, reaper, and the image's entry point
 * replaced. */
static void start_ready(struct proc *p, bool as_init, const char *script)
{
	char *args[16] = {"--name", (char *)name};
	size_t n = 2;
	char line[128];

	for (char *const *o = init_options(); as_init && *o != NULL; o++)
		args[n++] = *o;
	if (as_init) {
		args[n++] = "--entrypoint";
		args[n++] = "";
	}
	args[n++] = image;
	args[n++] = "sh";
	args[n++] = "-c";
	args[n++] = (char *)script;
	args[n] = NULL;
	proc_start(p, engine_run(args), &default_opts);
	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
}

/* What docker stop and podman stop do: SIGTERM to PID 1, SIGKILL after
 * 5 s. Had SIGTERM not reached the handler, the container would end 137,
 * not 7. */
static void stop_runs_the_handler(bool as_init)
{
	struct proc p;

	start_ready(&p, as_init, "trap 'exit 7' TERM; echo ready; "
			       "while :; do sleep 1; done");
	ck_assert_int_eq(run(ENGINE("stop", "-t", "5", (char *)name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 7);
}

START_TEST(stop_runs_the_term_handler)
{
	stop_runs_the_handler(false);
}
END_TEST

START_TEST(kill_reaches_the_workload)
{
	struct proc p;
	char line[64];

	start_ready(&p, false, "trap 'echo got HUP' HUP; trap 'echo got USR1' USR1; "
			      "echo ready; while :; do sleep 1; done");
	ck_assert_int_eq(run(ENGINE("kill", "-s", "HUP", (char *)name), NULL, 0,
			     NULL, 0), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "got HUP");
	ck_assert_int_eq(run(ENGINE("kill", "-s", "USR1", (char *)name), NULL, 0,
			     NULL, 0), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "got USR1");
	ck_assert_int_eq(run(ENGINE("kill", "-s", "TERM", (char *)name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}
END_TEST

/* A subshell leaves two orphans: one that exits at once (a zombie until
 * PID 1 reaps it) and one that lives on. The workload waits, at most
 * 10 s, for no zombie to be left, then says ready. */
static void orphans_reaped(bool as_init)
{
	struct proc p;
	char ps[4096];

	start_ready(&p, as_init,
		    "sh -c 'sh -c \"exit 3\" & sleep 1000 & exit 0'; n=0; "
		    "while ps -o stat | grep -q Z && [ $n -lt 100 ]; do "
		    "sleep 0.1; n=$((n+1)); done; echo ready; exec sleep 1000");
	ck_assert_int_eq(run(ENGINE("exec", (char *)name, "ps", "-o",
				    "pid,stat,comm"), ps, sizeof ps, NULL, 0), 0);
	ck_assert_msg(count_lines(ps, " Z ") == 0, "a zombie in:\n%s", ps);
	ck_assert_int_eq(count_lines(ps, "sleep"), 2);
	/* The workload ends; the orphaned sleep is ended with it. */
	ck_assert_int_eq(run(ENGINE("kill", "-s", "TERM", (char *)name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}

START_TEST(orphans_are_reaped_inside)
{
	orphans_reaped(false);
}
END_TEST

START_TEST(ctrl_c_at_the_containers_terminal)
{
	struct start_opts o = default_opts;
	char slave[64];
	struct proc p;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	ck_assert_int_eq(ptsname_r(master, slave, sizeof slave), 0);
	o.tty = slave;
	proc_start(&p, RUN("-it", image, "sh", "-c", "echo ready; exec cat"), &o);
	read_until(master, "ready", BOUND_MS);
	ck_assert_int_eq(write(master, "\x03", 1), 1);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGINT);
	close(master);
}
END_TEST

START_TEST(user_and_cap_drop_inside)
{
	char status[8192];

	ck_assert_int_eq(run(RUN("--entrypoint", "/sbin/reaper", image, "--user",
				 "app", "--cap-drop", "ALL", "--no-new-privs",
				 "--", "cat", "/proc/self/status"),
			     status, sizeof status, NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(status, "Uid:\t1000\t1000\t1000\t1000\n"));
	ck_assert_ptr_nonnull(strstr(status, "Groups:\t50 1000 \n"));
	ck_assert_ptr_nonnull(strstr(status, "CapEff:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(status, "CapBnd:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(status, "NoNewPrivs:\t1\n"));
	/* REAPER_USER, set once in an image, does the same. */
	ck_assert_int_eq(run(RUN("-e", "REAPER_USER=app", image, "id", "-u"),
			     status, sizeof status, NULL, 0), 0);
	ck_assert_str_eq(status, "1000\n");
}
END_TEST

START_TEST(no_libc_in_the_image)
{
	char out[1024];

	/* The image has no /lib, /lib64 or /usr: reaper, the first thing
	 * it runs, had nothing but itself. */
	ck_assert_int_eq(run(RUN(image, "sh", "-c",
				 "ls -d /lib* /usr 2>/dev/null; ls / /sbin"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_int_eq(count_lines(out, "lib"), 0);
	ck_assert_int_eq(count_lines(out, "usr"), 0);
	ck_assert_int_eq(count_lines(out, "reaper"), 1);
}
END_TEST

/* The engine's --init is reaper (Podman's --init-path; the test's
 * dockerd was started with it): the engine runs "INIT -- COMMAND". */
START_TEST(as_the_engines_init)
{
	char *args[16];
	char out[256];
	const char *init = engine_init_path();
	size_t n = 0;

	for (char *const *o = init_options(); *o != NULL; o++)
		args[n++] = *o;
	for (char *const *a = (char *const[]){"--entrypoint", "", image, "sh",
					      "-c", "cat /proc/1/cmdline | tr "
					      "'\\0' ' '; exit 5", NULL};
	     *a != NULL; a++)
		args[n++] = *a;
	args[n] = NULL;
	ck_assert_int_eq(run(engine_run(args), out, sizeof out, NULL, 0), 5);
	ck_assert_msg(strncmp(out, init, strlen(init)) == 0, "%s", out);
}
END_TEST

START_TEST(as_the_engines_init_stop_runs_the_term_handler)
{
	stop_runs_the_handler(true);
}
END_TEST

START_TEST(as_the_engines_init_orphans_are_reaped)
{
	orphans_reaped(true);
}
END_TEST

int main(int argc, char **argv)
{
	const TTest *const tests[] = {
		exit_code_is_the_containers,
		stop_runs_the_term_handler,
		kill_reaches_the_workload,
		orphans_are_reaped_inside,
		ctrl_c_at_the_containers_terminal,
		user_and_cap_drop_inside,
		no_libc_in_the_image,
		as_the_engines_init,
		as_the_engines_init_stop_runs_the_term_handler,
		as_the_engines_init_orphans_are_reaped,
		NULL,
	};
	int rc = engine_open(argc > 1 ? argv[1] : "podman");

	if (rc != 0)
		return rc;
	/* The engine's daemon is stopped by engine_close, before anything
	 * left is killed. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("PR_SET_CHILD_SUBREAPER");
		engine_close();
		return 1;
	}
	rc = run_tests(argc > 1 ? argv[1] : "podman", 180, setup, teardown, tests);
	if (!engine_close())
		rc = 1;
	harness_teardown();
	return rc;
}
