#include "harness.h"
#include "procread.h"
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

const struct start_opts default_opts = {.fd3 = -1};

char harness_reaper[PATH_MAX], harness_probe[PATH_MAX],
	harness_restrict[PATH_MAX];
static char bin_dir[64];
static pid_t bin_owner;

/* Not $TMPDIR, which may be as private as the checkout. */
static bool make_bin_dir(void)
{
	static const char *const parents[] = {"/tmp", "/var/tmp"};
	struct statvfs fs;

	for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++) {
		if (statvfs(parents[i], &fs) < 0 ||
		    (fs.f_flag & (ST_NOEXEC | ST_NOSUID)) != 0)
			continue;
		snprintf(bin_dir, sizeof bin_dir, "%s/reaper-tests-XXXXXX",
			 parents[i]);
		return mkdtemp(bin_dir) != NULL && chmod(bin_dir, 0755) == 0;
	}
	errno = ENOENT;
	return false;
}

/* from, copied to bin_dir/name, which every user may run; its path in to. */
static bool copy_bin(const char *from, const char *name, char to[PATH_MAX])
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	snprintf(to, PATH_MAX, "%s/%s", bin_dir, name);
	if (in < 0)
		return false;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0) {
		close(in);
		return false;
	}
	while ((n = sendfile(out, in, NULL, 1 << 20)) > 0)
		;
	close(in);
	/* Set after the open, whose mode the umask would narrow. */
	return n == 0 && fchmod(out, 0755) == 0 && close(out) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Only by the process that made them: Check's forked tests exit too. */
static void remove_bins(void)
{
	if (getpid() == bin_owner)
		nftw(bin_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

__attribute__((constructor)) static void copy_bins(void)
{
	if (!make_bin_dir()) {
		perror("harness: no directory in /tmp or /var/tmp for the binaries");
		exit(EXIT_FAILURE);
	}
	bin_owner = getpid();
	atexit(remove_bins);
	if (!copy_bin(REAPER_BIN, "reaper", harness_reaper) ||
	    !copy_bin(PROBE_BIN, "probe", harness_probe) ||
	    !copy_bin(RESTRICT_BIN, "restrict", harness_restrict) ||
	    (REAPER_UNDER_VALGRIND &&
	     !copy_bin(VALGRIND_WRAPPER, "reaper-valgrind", harness_reaper))) {
		fprintf(stderr, "harness: copying the binaries under test into "
			"%s: %s\n", bin_dir, strerror(errno));
		exit(EXIT_FAILURE);
	}
}

static double cpu_share = 0.10;

void harness_cpu_share(double share)
{
	cpu_share = share;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void make_pipe(int p[2])
{
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
}

static void child_signals(const struct start_opts *o)
{
	sigset_t none;

	for (int sig = 1; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_DFL);
	if (o->ignore != 0)
		signal(o->ignore, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, o->block != NULL ? o->block : &none, NULL);
}

static void child_terminal(const char *tty)
{
	int fd;

	if (setsid() < 0 || (fd = open(tty, O_RDWR)) < 0)
		_exit(100);
	for (int i = 0; i < 3; i++)
		dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/* As unshare --mount-proc does: a /proc of the new namespace's own, in a
 * mount namespace of its own. */
static void own_proc(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		_exit(103);
}

static __attribute__((noreturn)) void
child(char *const argv[], const struct start_opts *o, int in[2], int out[2],
      int err[2])
{
	if (o->pid1)
		own_proc();
	if (o->tty != NULL) {
		child_terminal(o->tty);
	} else {
		if (!o->keep_stdin)
			dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(o->err_fd != 0 ? o->err_fd : err[1], 2);
	}
	if (o->fd3 >= 0)
		dup2(o->fd3, 3);
	syscall(SYS_close_range, o->fd3 >= 0 ? 4 : 3, ~0u, 0);
	if (o->cwd != NULL && chdir(o->cwd) < 0)
		_exit(101);
	for (char *const *e = o->env; e != NULL && *e != NULL; e++)
		putenv(*e);
	child_signals(o);
	execv(argv[0], argv);
	_exit(102);
}

void proc_start(struct proc *p, char *const argv[], const struct start_opts *o)
{
	int in[2], out[2], err[2];
	sigset_t all, old;

	make_pipe(in);
	make_pipe(out);
	make_pipe(err);
	/* Blocked across fork, so that a signal the test sends at once
	 * meets the child's own mask, never this process's. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	p->started_ms = now_ms();
	/* clone as fork does it, with new PID and mount namespaces. */
	p->pid = o->pid1 ? (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS |
					  SIGCHLD, NULL, NULL, NULL, NULL)
			 : fork();
	if (p->pid == 0)
		child(argv, o, in, out, err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ck_assert_int_ge(p->pid, 0);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
}

/* The name and CPU time of a process, from its stat; a zombie keeps
 * both until reaped. */
static bool cpu_of(pid_t pid, char name[16], long *cpu_ms)
{
	char buf[1024];
	const char *s, *open_paren;
	unsigned long long utime, stime;

	if (!procread_file(pid, "stat", buf, sizeof buf) ||
	    (open_paren = strchr(buf, '(')) == NULL ||
	    (s = strrchr(buf, ')')) == NULL ||
	    sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &utime, &stime) != 2)
		return false;
	snprintf(name, 16, "%.*s", (int)(s - open_paren - 1), open_paren + 1);
	*cpu_ms = (long)((utime + stime) * 1000 / (unsigned long long)sysconf(_SC_CLK_TCK));
	return true;
}

/* Called while p is a zombie, its figures still there. */
static void check_cpu(const struct proc *p)
{
	long wall = now_ms() - p->started_ms, cpu, budget;
	long floor = REAPER_IS_STATIC ? 50 : 300;
	char name[16];

	if (!cpu_of(p->pid, name, &cpu) || strcmp(name, "reaper") != 0)
		return;
	budget = (long)(cpu_share * (double)wall) + floor;
	ck_assert_msg(cpu <= budget,
		      "reaper %d used %ld ms of CPU in %ld ms, over its budget of "
		      "%ld ms: does it spin?", (int)p->pid, cpu, wall, budget);
}

/* Whether pid ends within ms, through a pidfd: our child or not, and a
 * pid already gone has ended. */
static bool ends_within(pid_t pid, int ms)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int ready;

	if (fd < 0 && errno == ESRCH)
		return true;
	ck_assert_int_ge(fd, 0);
	ready = poll(&pfd, 1, ms);
	close(fd);
	return ready == 1;
}

void wait_gone(pid_t pid)
{
	ck_assert_msg(ends_within(pid, BOUND_MS), "pid %d still running after "
		      "%d ms", (int)pid, BOUND_MS);
}

int proc_wait(struct proc *p, int ms)
{
	siginfo_t info;
	int status;

	ck_assert_msg(ends_within(p->pid, ms), "pid %d still running after %d ms",
		      (int)p->pid, ms);
	ck_assert_int_eq(waitid(P_PID, (id_t)p->pid, &info, WEXITED | WNOWAIT), 0);
	check_cpu(p);
	ck_assert_int_eq(waitpid(p->pid, &status, 0), p->pid);
	return status;
}

int exit_code(int wstatus)
{
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
				    : WEXITSTATUS(wstatus);
}

static bool wait_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, ms) == 1;
}

void read_line(int fd, char *buf, size_t len, int ms)
{
	size_t n = 0;

	while (n + 1 < len) {
		ck_assert_msg(wait_readable(fd, ms), "no line after %d ms", ms);
		ssize_t r = read(fd, buf + n, 1);
		ck_assert_msg(r == 1, "EOF before a whole line: '%.*s'", (int)n, buf);
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
}

void read_until(int fd, const char *needle, int ms)
{
	char seen[8192];
	size_t n = 0;

	seen[0] = '\0';
	while (strstr(seen, needle) == NULL) {
		ck_assert_msg(wait_readable(fd, ms), "no '%s' after %d ms in '%s'",
			      needle, ms, seen);
		if (n + 1 >= sizeof seen) { /* keep the tail, where needle may start */
			memmove(seen, seen + n / 2, n - n / 2 + 1);
			n -= n / 2;
		}
		ssize_t r = read(fd, seen + n, sizeof seen - 1 - n);
		ck_assert_msg(r > 0, "EOF before '%s' in '%s'", needle, seen);
		n += (size_t)r;
		seen[n] = '\0';
	}
}

size_t read_all(int fd, char *buf, size_t len, int ms)
{
	size_t n = 0;
	ssize_t r;

	do {
		ck_assert_msg(wait_readable(fd, ms), "no EOF after %d ms", ms);
		r = read(fd, buf + n, len - 1 - n);
		ck_assert_int_ge(r, 0);
		n += (size_t)r;
	} while (r > 0 && n + 1 < len);
	buf[n] = '\0';
	return n;
}

int run(char *const argv[], char *out, size_t outlen, char *err, size_t errlen)
{
	return run_within(BOUND_MS, argv, out, outlen, err, errlen);
}

int run_within(int ms, char *const argv[], char *out, size_t outlen, char *err,
	       size_t errlen)
{
	return run_opts(&default_opts, ms, argv, out, outlen, err, errlen);
}

int run_opts(const struct start_opts *o, int ms, char *const argv[], char *out,
	     size_t outlen, char *err, size_t errlen)
{
	char scratch[4096];
	struct proc p;

	proc_start(&p, argv, o);
	close(p.in);
	read_all(p.out, out ? out : scratch, out ? outlen : sizeof scratch, ms);
	read_all(p.err, err ? err : scratch, err ? errlen : sizeof scratch, ms);
	close(p.out);
	close(p.err);
	return exit_code(proc_wait(&p, ms));
}

bool proc_running(pid_t pid)
{
	char buf[1024];
	const char *state;

	if (!procread_file(pid, "stat", buf, sizeof buf) ||
	    (state = strrchr(buf, ')')) == NULL || state[1] != ' ')
		return false;
	return state[2] != 'Z' && state[2] != 'X';
}

bool proc_sleeping(pid_t pid)
{
	char wchan[128];

	/* wchan reads "0" while the task runs or is about to switch out. */
	return procread_file(pid, "wchan", wchan, sizeof wchan) &&
	       strcmp(wchan, "0") != 0;
}

long fd_flags(pid_t pid, int fd)
{
	char file[32], info[1024];
	const char *at;

	snprintf(file, sizeof file, "fdinfo/%d", fd);
	ck_assert(procread_file(pid, file, info, sizeof info));
	ck_assert_ptr_nonnull(at = strstr(info, "flags:"));
	return strtol(at + strlen("flags:"), NULL, 8);
}

long proc_status_field(pid_t pid, const char *field)
{
	char status[4096];
	char *at;

	ck_assert(procread_file(pid, "status", status, sizeof status));
	at = strstr(status, field);
	ck_assert_msg(at != NULL, "no %s in /proc/%d/status", field, (int)pid);
	return strtol(at + strlen(field) + 1, NULL, 10);
}

int terminal_open(char *slave, size_t len)
{
	struct termios t;
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	ck_assert_int_eq(ptsname_r(master, slave, len), 0);
	/* No echo of ^C and no \r, so what is written reads back as plain
	 * lines. */
	ck_assert_int_eq(tcgetattr(master, &t), 0);
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_oflag &= ~(tcflag_t)OPOST;
	ck_assert_int_eq(tcsetattr(master, TCSANOW, &t), 0);
	return master;
}

int count_lines(const char *text, const char *needle)
{
	int n = 0;

	for (const char *line = text; *line != '\0';) {
		const char *end = strchrnul(line, '\n');
		const char *hit = strstr(line, needle);
		if (hit != NULL && hit < end)
			n++;
		line = *end ? end + 1 : end;
	}
	return n;
}

bool can_unshare(void)
{
	if (system("/usr/bin/unshare --pid --fork --mount-proc /bin/true "
		   ">/dev/null 2>&1") == 0)
		return true;
	puts("SKIP: cannot create a PID namespace here "
	     "(unshare --pid --fork --mount-proc needs root)");
	return false;
}

pid_t pid1_of(pid_t unshare)
{
	pid_t kids[2];

	ck_assert_int_eq(procread_children(unshare, kids, 2), 1);
	return kids[0];
}

void harness_setup(void)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

void harness_teardown(void)
{
	pid_t kids[1024];
	size_t n;

	/* Killing a child hands its own children to us; repeat until none. */
	while ((n = procread_children(getpid(), kids, 1024)) > 0) {
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		for (size_t i = 0; i < n; i++)
			waitpid(kids[i], NULL, 0);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

void start_probe(struct proc *p, char *const argv[],
		 const struct start_opts *o, long info[4])
{
	char line[128];
	long scratch[4];
	long *f = info ? info : scratch;

	proc_start(p, argv, o);
	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(sscanf(line, "ready %ld %ld %ld %ld", &f[0], &f[1],
				&f[2], &f[3]), 4);
}

void expect_signal(struct proc *p, int sig)
{
	char line[32];

	read_line(p->out, line, sizeof line, BOUND_MS);
	ck_assert_int_eq(atoi(line), sig);
}

void fifo_make(char *dir, const char *name, char *path, size_t len)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, len, "%s/%s", dir, name);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
}

int fifo_writer(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

void write_and_close(int fd, const char *text)
{
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

void signal_and_expect(struct proc *p, int sig)
{
	ck_assert_int_eq(kill(p->pid, sig), 0);
	expect_signal(p, sig);
}

int harness_main(const char *name, int timeout, const TTest *const tests[])
{
	return harness_main_with(name, timeout, tests, harness_setup,
				 harness_teardown);
}

int harness_main_modes(const char *name, int timeout, bool pid1,
		       const TTest *const both[],
		       const TTest *const subreaper_only[],
		       const TTest *const pid1_only[])
{
	const TTest *tests[64];
	size_t n = 0;

	for (const TTest *const *t = both; *t != NULL && n < 63; t++)
		tests[n++] = *t;
	for (const TTest *const *t = pid1 ? pid1_only : subreaper_only;
	     *t != NULL && n < 63; t++)
		tests[n++] = *t;
	tests[n] = NULL;
	return harness_main(name, timeout, tests);
}

int harness_main_with(const char *name, int timeout, const TTest *const tests[],
		      void (*setup)(void), void (*teardown)(void))
{
	int rc;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("PR_SET_CHILD_SUBREAPER");
		return EXIT_FAILURE;
	}
	rc = run_tests(name, timeout, setup, teardown, tests);
	harness_teardown();
	return rc;
}
