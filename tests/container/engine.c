#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

const char *engine_name;
char image[64], pause_image[72];

char engine_dir[] = "/tmp/reaper-engine-XXXXXX";
/* Podman's storage, in engine_dir: its images, containers and pods, and
 * the state it keeps while they run. */
static char root[64], runroot[64], tmpdir[64];
static char docker_host[96];
static pid_t dockerd = -1;
static char container[64];

/* runc and cgroupfs: what runs on these machines (hybrid cgroups). vfs
 * keeps layers as plain copies: no overlay mount to outlive a failed
 * test and keep engine_dir from being removed. */
static char *const podman_client[] = {"/usr/bin/podman", "--runtime", "runc",
				      "--cgroup-manager", "cgroupfs",
				      "--storage-driver", "vfs", "--root", root,
				      "--runroot", runroot, "--tmpdir", tmpdir,
				      NULL};
/* No network, and limits no higher than this machine allows. */
static char *const podman_run[] = {"run", "--rm", "--network=none", "--ulimit",
				   "nofile=1024:1024", "--ulimit",
				   "nproc=1024:1024", NULL};
static char *const docker_client[] = {"/usr/bin/docker", "-H", docker_host,
				      NULL};
static char *const docker_run[] = {"run", "--rm", "--network", "none", NULL};

static bool is_docker(void)
{
	return strcmp(engine_name, "docker") == 0;
}

static size_t append(char **argv, size_t n, char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		argv[n++] = *list;
	return n;
}

static char *const *joined(char *const a[], char *const b[], char *const c[])
{
	static char *argv[64];
	size_t n = append(argv, append(argv, append(argv, 0, a), b), c);

	argv[n] = NULL;
	return argv;
}

char *const *engine_argv(char *const args[])
{
	return joined(is_docker() ? docker_client : podman_client, args, NULL);
}

char *const *engine_run(char *const args[])
{
	return joined(is_docker() ? docker_client : podman_client,
		      is_docker() ? docker_run : podman_run, args);
}

const char *engine_init_path(void)
{
	return is_docker() ? "/sbin/docker-init -- " : "/run/podman-init -- ";
}

const char *engine_name_container(void)
{
	static int n;

	snprintf(container, sizeof container, "reaper-ctest-%d-%d",
		 (int)getpid(), ++n);
	return container;
}

/* The client's command line, for the shell: no path in it has a space. */
static const char *client(void)
{
	static char line[512];
	size_t n = 0;

	for (char *const *a = engine_argv((char *const[]){NULL}); *a != NULL; a++)
		n += (size_t)snprintf(line + n, sizeof line - n, "%s%s",
				      n > 0 ? " " : "", *a);
	return line;
}

void engine_quietly(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>&1", client(), args);
	(void)!system(cmd);
}

void engine_remove_container(void)
{
	char args[96];

	snprintf(args, sizeof args, "rm -f %s", container);
	engine_quietly(args);
}

/* A daemon of our own; ready when its client gets an answer (it says so
 * on no pipe we could wait on: polled, 60 s at most). */
static bool start_dockerd(void)
{
	char log[160], sock[96], version[160];
	struct timespec tick = {0, 100000000};

	snprintf(sock, sizeof sock, "unix://%s/docker.sock", engine_dir);
	snprintf(docker_host, sizeof docker_host, "%s", sock);
	snprintf(log, sizeof log, "%s/log", engine_dir);
	if ((dockerd = fork()) == 0) {
		char data[128], exec_root[128], pidfile[128];
		int fd = open(log, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		snprintf(data, sizeof data, "%s/data", engine_dir);
		snprintf(exec_root, sizeof exec_root, "%s/exec", engine_dir);
		snprintf(pidfile, sizeof pidfile, "%s/pid", engine_dir);
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/usr/sbin/dockerd", "dockerd", "--iptables=false",
		      "--ip6tables=false", "--bridge=none",
		      "--storage-driver=vfs", "--data-root", data, "--exec-root",
		      exec_root, "-H", sock, "--pidfile", pidfile,
		      "--init-path", REAPER, (char *)NULL);
		_exit(127);
	}
	snprintf(version, sizeof version, "%s version >/dev/null 2>&1", client());
	for (int i = 0; dockerd > 0 && i < 600; i++) {
		if (system(version) == 0)
			return true;
		if (waitpid(dockerd, NULL, WNOHANG) == dockerd) {
			dockerd = -1;
			break;
		}
		nanosleep(&tick, NULL);
	}
	snprintf(log, sizeof log, "tail -5 %s/log", engine_dir);
	(void)!system(log);
	return false;
}

static void stop_dockerd(void)
{
	int fd, status;
	struct pollfd pfd;

	if (dockerd <= 0)
		return;
	fd = (int)syscall(SYS_pidfd_open, dockerd, 0);
	kill(dockerd, SIGTERM);
	pfd = (struct pollfd){.fd = fd, .events = POLLIN};
	if (fd < 0 || poll(&pfd, 1, 30000) != 1)
		kill(dockerd, SIGKILL);
	if (fd >= 0)
		close(fd);
	waitpid(dockerd, &status, 0);
	dockerd = -1;
}

/* The images a user builds to try reaper (scripts/images.sh): a busybox
 * base with the passwd and group files --user reads and /srv/server for
 * the README's manifest; on it docker/Dockerfile.entrypoint; and reaper
 * alone as a pod's pause image. */
static bool build_images(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s -t %s -b %s %s >/dev/null", IMAGES,
		 image, REAPER, client());
	return system(cmd) == 0;
}

int engine_open(const char *name)
{
	engine_name = name;
	snprintf(image, sizeof image, "localhost/reaper-ctest-%d", (int)getpid());
	snprintf(pause_image, sizeof pause_image, "%s-pause", image);
	if (strcmp(name, "podman") != 0 && strcmp(name, "docker") != 0) {
		printf("usage: test_container podman|docker\n");
		return 1;
	}
	if (access(is_docker() ? "/usr/sbin/dockerd" : "/usr/bin/podman", X_OK) != 0) {
		printf("SKIP: %s is not installed (apt-get install %s)\n", name,
		       is_docker() ? "docker.io" : "podman runc");
		return 77;
	}
	if (!REAPER_IS_STATIC) {
		puts("SKIP: a FROM scratch image needs the static build; this "
		     "build is dynamic");
		return 77;
	}
	if (is_docker() && geteuid() != 0) {
		puts("SKIP: the test's own Docker daemon needs root");
		return 77;
	}
	if (mkdtemp(engine_dir) == NULL) {
		printf("FAIL: mkdtemp %s: %s\n", engine_dir, strerror(errno));
		return 1;
	}
	snprintf(root, sizeof root, "%s/root", engine_dir);
	snprintf(runroot, sizeof runroot, "%s/run", engine_dir);
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", engine_dir);
	if (is_docker() && !start_dockerd()) {
		puts("FAIL: dockerd did not start (its log above)");
		engine_close();
		return 1;
	}
	if (!build_images()) {
		printf("FAIL: %s build of the scratch images\n", name);
		engine_close();
		return 1;
	}
	return 0;
}

bool engine_close(void)
{
	char cmd[128];

	if (engine_dir[strlen(engine_dir) - 1] == 'X')
		return true;
	if (is_docker()) {
		stop_dockerd();
	} else {
		engine_quietly("pod rm -fa");
		engine_quietly("rm -fa");
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", engine_dir);
	if (system(cmd) == 0 && access(engine_dir, F_OK) != 0)
		return true;
	printf("FAIL: %s is left behind\n", engine_dir);
	return false;
}
