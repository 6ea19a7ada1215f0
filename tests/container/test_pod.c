/* reaper in pods, under Podman: as a container's entry point in a pod
 * whose containers share one PID namespace (kube play of a Pod manifest
 * with shareProcessNamespace, the README's own among them), where it is
 * a subreaper among the pod's processes; and as the pod's infra process,
 * its PID 1, which on podman pod stop lets the other containers finish
 * their own graceful stop. Skipped, saying why, without Podman. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine.h"
#include "harness.h"
#include "runner.h"

static char pod[64];

static void setup(void)
{
	static int n;

	harness_setup();
	snprintf(pod, sizeof pod, "reaper-pod-%d-%d", (int)getpid(), ++n);
}

static void teardown(void)
{
	char args[96];

	snprintf(args, sizeof args, "pod rm -f %s", pod);
	engine_quietly(args);
	harness_teardown();
}

/* Writes a Pod manifest named pod to engine_dir/pod.yaml: the README's, with
 * the test's image, or one of containers given as YAML. */
static void write_manifest(const char *containers)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/pod.yaml", engine_dir);
	ck_assert_ptr_nonnull(f = fopen(path, "we"));
	fprintf(f, "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n"
		"  shareProcessNamespace: true\n  containers:\n%s", pod,
		containers);
	fclose(f);
}

static void play(void)
{
	char path[128];

	snprintf(path, sizeof path, "%s/pod.yaml", engine_dir);
	ck_assert_int_eq(run(ENGINE("kube", "play", "--network", "none", path),
			     NULL, 0, NULL, 0), 0);
}

/* Follows the container's output until it holds want, which goes to out
 * (want included); ends the follower by its pid. */
static void logs_until(const char *container, const char *want, char *out,
		       size_t len)
{
	struct proc logs;
	size_t n = 0;

	proc_start(&logs, ENGINE("logs", "-f", (char *)container), &default_opts);
	out[0] = '\0';
	while (strstr(out, want) == NULL) {
		read_line(logs.out, out + n, len - n, BOUND_MS);
		n += strlen(out + n);
		if (n + 2 < len) {
			out[n++] = '\n';
			out[n] = '\0';
		}
	}
	ck_assert_int_eq(kill(logs.pid, SIGTERM), 0);
	proc_wait(&logs, BOUND_MS);
}

/* The pod's PID 1 is its infra process (catatonit); reaper, among the
 * pod's processes, is a subreaper: the workload's orphan comes to it. */
START_TEST(in_a_pod_reaper_is_a_subreaper)
{
	char app[96], ps[4096], out[1024], containers[512];
	long reaper = 0, orphan_parent = 0;

	snprintf(containers, sizeof containers,
		 "    - name: app\n      image: %s\n"
		 "      command: [\"/sbin/reaper\", \"--\", \"sh\", \"-c\", "
		 "\"(sleep 1000 &); echo ready; exec sleep 999\"]\n", image);
	write_manifest(containers);
	play();
	snprintf(app, sizeof app, "%s-app", pod);
	logs_until(app, "ready", out, sizeof out);
	ck_assert_int_eq(run(ENGINE("exec", app, "ps", "-o", "pid,ppid,args"),
			     ps, sizeof ps, NULL, 0), 0);
	for (char *line = ps; line != NULL && *line != '\0';) {
		long pid, ppid;
		char args[256];
		if (sscanf(line, "%ld %ld %255[^\n]", &pid, &ppid, args) == 3) {
			if (strncmp(args, "/sbin/reaper", 12) == 0)
				reaper = pid;
			if (strcmp(args, "sleep 1000") == 0)
				orphan_parent = ppid;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	ck_assert_msg(reaper > 1, "reaper is not among the pod's processes, or is its PID 1:\n%s", ps);
	ck_assert_msg(orphan_parent == reaper, "the orphan's parent is %ld, not reaper %ld:\n%s",
		      orphan_parent, reaper, ps);
}
END_TEST

/* The engine keeps what the suite makes in a directory of its own,
 * which engine_close removes: the user's own storage gains nothing, not
 * even the pod's infra image, podman-pause, which kube play builds. */
START_TEST(the_pods_images_stay_in_the_suites_storage)
{
	char out[1024], want[256], containers[512];

	snprintf(containers, sizeof containers,
		 "    - name: app\n      image: %s\n"
		 "      command: [\"/sbin/reaper\", \"--\", \"sleep\", \"1000\"]\n",
		 image);
	write_manifest(containers);
	play();
	ck_assert_int_eq(run(ENGINE("info", "--format",
				    "{{.Store.GraphRoot}} {{.Store.RunRoot}}"),
			     out, sizeof out, NULL, 0), 0);
	snprintf(want, sizeof want, "%s/root %s/run\n", engine_dir, engine_dir);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(run(ENGINE("images", "--format", "{{.Repository}}"),
			     out, sizeof out, NULL, 0), 0);
	ck_assert_msg(strstr(out, "localhost/podman-pause\n") != NULL, "%s", out);
}
END_TEST

/* The README's Kubernetes manifest as written, but for the image. */
START_TEST(the_readmes_manifest_runs)
{
	char cmd[1024], app[96], out[1024];

	snprintf(cmd, sizeof cmd,
		 "sed -n '/^    apiVersion: v1/,/^$/p' %s | sed 's/^    //; "
		 "s#example/app#%s#; s/{name: web}/{name: %s}/' > %s/pod.yaml",
		 README, image, pod, engine_dir);
	ck_assert_int_eq(system(cmd), 0);
	play();
	snprintf(app, sizeof app, "%s-app", pod);
	logs_until(app, "CapEff", out, sizeof out);
	ck_assert_msg(strstr(out, "server as 1000\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "CapEff:\t0000000000000000\n") != NULL, "%s", out);
}
END_TEST

/* reaper --pause as the pod's infra, PID 1 of the shared namespace. On
 * podman pod stop every container gets SIGTERM; the application's handler
 * needs a second, and ends with its own code, 7, where an infra that
 * exits at once (catatonit -P) ends it with the namespace: 137. */
START_TEST(as_the_pods_infra_pod_stop_is_graceful)
{
	char ps[1024], line[64];
	struct proc app;

	ck_assert_int_eq(run(ENGINE("pod", "create", "--name", pod, "--network",
				    "none", "--share", "pid,ipc,uts",
				    "--infra-image", pause_image),
			     NULL, 0, NULL, 0), 0);
	proc_start(&app, ENGINE("run", "--rm", "--pod", pod, image, "sh", "-c",
				"trap 'sleep 1; exit 7' TERM; echo ready; "
				"while :; do sleep 0.1; done"), &default_opts);
	read_line(app.out, line, sizeof line, BOUND_MS);
	ck_assert_str_eq(line, "ready");
	ck_assert_int_eq(run(ENGINE("pod", "top", pod, "pid", "args"), ps,
			     sizeof ps, NULL, 0), 0);
	ck_assert_msg(strstr(ps, "/sbin/reaper --pause") != NULL, "%s", ps);
	ck_assert_int_eq(run(ENGINE("pod", "stop", "-t", "5", pod), NULL, 0,
			     NULL, 0), 0);
	ck_assert_int_eq(exit_code(proc_wait(&app, BOUND_MS)), 7);
}
END_TEST

/* The pod's infra container cannot raise its limits on these machines:
 * a containers.conf of the test's own sets them no higher. */
static bool write_conf(void)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/containers.conf", engine_dir);
	if ((f = fopen(path, "we")) == NULL)
		return false;
	fputs("[containers]\ndefault_ulimits = [\"nofile=1024:1024\", "
	      "\"nproc=1024:1024\"]\n", f);
	fclose(f);
	return setenv("CONTAINERS_CONF", path, 1) == 0;
}

int main(void)
{
	const TTest *const tests[] = {
		in_a_pod_reaper_is_a_subreaper,
		the_readmes_manifest_runs,
		as_the_pods_infra_pod_stop_is_graceful,
		the_pods_images_stay_in_the_suites_storage,
		NULL,
	};
	int rc;

	if ((rc = engine_open("podman")) != 0)
		return rc;
	if (!write_conf() || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("test_pod");
		engine_close();
		return 1;
	}
	rc = run_tests("pod", 180, setup, teardown, tests);
	if (!engine_close())
		rc = 1;
	harness_teardown();
	return rc;
}
