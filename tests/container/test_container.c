/* reaper inside a real container engine: a FROM scratch image built with
 * Podman, holding only the static reaper and a static busybox. Skipped,
 * saying why, where Podman is not installed. Containers are named per
 * test and removed by name; the podman clients are this test's children. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define IMAGE "localhost/reaper-ctest:latest"
#define BASE_IMAGE "localhost/reaper-ctest-base:latest"
#define PODMAN "/usr/bin/podman", "--runtime", "runc", "--cgroup-manager", \
	"cgroupfs"
/* No network, and limits no higher than this machine allows. */
#define RUN PODMAN, "run", "--rm", "--network=none", \
	"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"

static char context[] = "/tmp/reaper-image-XXXXXX";
static char name[64];

static void name_container(void)
{
	static int n;

	snprintf(name, sizeof name, "reaper-ctest-%d-%d", (int)getpid(), ++n);
}

static void remove_container(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd,
		 "podman --runtime runc rm -f --ignore %s >/dev/null 2>&1", name);
	(void)!system(cmd);
}

static void setup(void)
{
	harness_setup();
	name_container();
}

static void teardown(void)
{
	remove_container();
	harness_teardown();
}

START_TEST(exit_code_is_the_containers)
{
	ck_assert_int_eq(run(ARGV(RUN, IMAGE, "sh", "-c", "exit 42"), NULL, 0,
			     NULL, 0), 42);
	ck_assert_int_eq(run(ARGV(RUN, IMAGE, "sh", "-c", "exit 0"), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(run(ARGV(RUN, IMAGE, "sh", "-c", "kill -USR1 $$"),
			     NULL, 0, NULL, 0), 128 + SIGUSR1);
	ck_assert_int_eq(run(ARGV(RUN, IMAGE, "no-such-command"), NULL, 0, NULL,
			     0), 127);
}
END_TEST

/* Starts a named container, attached, and waits for its "ready" line. */
static void start_ready(struct proc *p, const char *script)
{
	char line[128];

	proc_start(p, ARGV(RUN, "--name", name, IMAGE, "sh", "-c", (char *)script),
		   &default_opts);
	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
}

START_TEST(podman_stop_runs_the_term_handler)
{
	struct proc p;

	start_ready(&p, "trap 'exit 7' TERM; echo ready; "
			"while :; do sleep 1; done");
	/* Had SIGTERM not reached the handler, podman would SIGKILL it
	 * after the 5 s, and the container would end 137, not 7. */
	ck_assert_int_eq(run(ARGV(PODMAN, "stop", "-t", "5", name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 7);
}
END_TEST

START_TEST(podman_kill_reaches_the_workload)
{
	struct proc p;
	char line[64];

	start_ready(&p, "trap 'echo got HUP' HUP; trap 'echo got USR1' USR1; "
			"echo ready; while :; do sleep 1; done");
	ck_assert_int_eq(run(ARGV(PODMAN, "kill", "-s", "HUP", name), NULL, 0,
			     NULL, 0), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "got HUP");
	ck_assert_int_eq(run(ARGV(PODMAN, "kill", "-s", "USR1", name), NULL, 0,
			     NULL, 0), 0);
	read_line(p.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "got USR1");
	ck_assert_int_eq(run(ARGV(PODMAN, "kill", "-s", "TERM", name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}
END_TEST

START_TEST(orphans_are_reaped_inside)
{
	struct proc p;
	char ps[4096];

	/* A subshell leaves two orphans: one that exits at once (a zombie
	 * until PID 1 reaps it) and one that lives on. The workload waits,
	 * at most 10 s, for no zombie to be left, then says ready. */
	start_ready(&p, "sh -c 'sh -c \"exit 3\" & sleep 1000 & exit 0'; n=0; "
			"while ps -o stat | grep -q Z && [ $n -lt 100 ]; do "
			"sleep 0.1; n=$((n+1)); done; echo ready; exec sleep 1000");
	ck_assert_int_eq(run(ARGV(PODMAN, "exec", name, "ps", "-o", "pid,stat,comm"),
			     ps, sizeof ps, NULL, 0), 0);
	ck_assert_msg(count_lines(ps, " Z ") == 0, "a zombie in:\n%s", ps);
	ck_assert_int_eq(count_lines(ps, "sleep"), 2);
	/* The workload ends; the orphaned sleep is ended with it. */
	ck_assert_int_eq(run(ARGV(PODMAN, "kill", "-s", "TERM", name), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGTERM);
}
END_TEST

START_TEST(ctrl_c_at_the_containers_terminal)
{
	char *const argv[] = {RUN, "-it", IMAGE, "sh", "-c", "echo ready; exec cat",
			      NULL};
	struct start_opts o = default_opts;
	char slave[64];
	struct proc p;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	ck_assert_int_eq(ptsname_r(master, slave, sizeof slave), 0);
	o.tty = slave;
	proc_start(&p, argv, &o);
	read_until(master, "ready", BOUND_MS);
	ck_assert_int_eq(write(master, "\x03", 1), 1);
	ck_assert_int_eq(exit_code(proc_wait(&p, BOUND_MS)), 128 + SIGINT);
	close(master);
}
END_TEST

START_TEST(user_and_cap_drop_inside)
{
	char status[8192];

	ck_assert_int_eq(run(ARGV(RUN, "--entrypoint",
				  "[\"/sbin/reaper\",\"--user\",\"app\",\"--cap-drop\","
				  "\"ALL\",\"--no-new-privs\",\"--\"]",
				  IMAGE, "cat", "/proc/self/status"),
			     status, sizeof status, NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(status, "Uid:\t1000\t1000\t1000\t1000\n"));
	ck_assert_ptr_nonnull(strstr(status, "Groups:\t50 1000 \n"));
	ck_assert_ptr_nonnull(strstr(status, "CapEff:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(status, "CapBnd:\t0000000000000000\n"));
	ck_assert_ptr_nonnull(strstr(status, "NoNewPrivs:\t1\n"));
	/* REAPER_USER, set once in an image, does the same. */
	ck_assert_int_eq(run(ARGV(RUN, "-e", "REAPER_USER=app", IMAGE, "id", "-u"),
			     status, sizeof status, NULL, 0), 0);
	ck_assert_str_eq(status, "1000\n");
}
END_TEST

START_TEST(no_libc_in_the_image)
{
	char out[1024];

	/* The image has no /lib, /lib64 or /usr: reaper, the first thing
	 * it runs, had nothing but itself. */
	ck_assert_int_eq(run(ARGV(RUN, IMAGE, "sh", "-c",
				  "ls -d /lib* /usr 2>/dev/null; ls / /sbin"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_int_eq(count_lines(out, "lib"), 0);
	ck_assert_int_eq(count_lines(out, "usr"), 0);
	ck_assert_int_eq(count_lines(out, "reaper"), 1);
}
END_TEST

START_TEST(as_podmans_init)
{
	char out[256];

	/* podman run --init --init-path: reaper mounted in as the init of
	 * an image's own command. */
	ck_assert_int_eq(run(ARGV(RUN, "--init", "--init-path", REAPER,
				  "--entrypoint", "", IMAGE, "sh", "-c",
				  "cat /proc/1/cmdline | tr '\\0' ' '; exit 5"),
			     out, sizeof out, NULL, 0), 5);
	ck_assert_int_eq(strncmp(out, "/run/podman-init -- sh -c", 25), 0);
}
END_TEST

/* Two images: a base holding a static busybox with links and the passwd
 * and group files --user reads, and on it the project's own
 * docker/Dockerfile.entrypoint, which adds the static reaper. */
static bool build_image(void)
{
	char cmd[4096];

	if (mkdtemp(context) == NULL)
		return false;
	snprintf(cmd, sizeof cmd,
		 "set -e; cd %s; mkdir -p base/rootfs/bin base/rootfs/etc app; "
		 "cp /bin/busybox base/rootfs/bin/; "
		 "for a in sh ps sleep cat id ls tr kill grep; do "
		 "ln -s busybox base/rootfs/bin/$a; done; "
		 "printf 'root:x:0:0::/root:/bin/sh\\napp:x:1000:1000::/home/app:/bin/sh\\n'"
		 " > base/rootfs/etc/passwd; "
		 "printf 'root:x:0:\\napp:x:1000:\\nstaff:x:50:app\\n'"
		 " > base/rootfs/etc/group; "
		 "printf 'FROM scratch\\nCOPY rootfs/ /\\n' > base/Containerfile; "
		 "podman --runtime runc --cgroup-manager cgroupfs build -q "
		 "-t %s -f base/Containerfile base >/dev/null; "
		 "cp %s app/reaper; "
		 "podman --runtime runc --cgroup-manager cgroupfs build -q "
		 "--build-arg BASE=%s -t %s -f %s app >/dev/null",
		 context, BASE_IMAGE, REAPER, BASE_IMAGE, IMAGE, DOCKERFILE);
	return system(cmd) == 0;
}

static void remove_image(void)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd,
		 "podman --runtime runc rmi -f %s %s >/dev/null 2>&1; rm -rf %s",
		 IMAGE, BASE_IMAGE, context);
	(void)!system(cmd);
}

int main(void)
{
	const TTest *const tests[] = {
		exit_code_is_the_containers,
		podman_stop_runs_the_term_handler,
		podman_kill_reaches_the_workload,
		orphans_are_reaped_inside,
		ctrl_c_at_the_containers_terminal,
		user_and_cap_drop_inside,
		no_libc_in_the_image,
		as_podmans_init,
		NULL,
	};
	int rc;

	if (access("/usr/bin/podman", X_OK) != 0) {
		puts("SKIP: Podman is not installed (apt-get install podman runc)");
		return 77;
	}
	if (!REAPER_IS_STATIC) {
		puts("SKIP: a FROM scratch image needs the static build; this "
		     "build is dynamic");
		return 77;
	}
	if (!build_image()) {
		puts("FAIL: podman build of the scratch image");
		remove_image();
		return 1;
	}
	rc = harness_main_with("container", 120, tests, setup, teardown);
	remove_image();
	return rc;
}
