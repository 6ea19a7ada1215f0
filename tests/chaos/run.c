#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "procread.h"
#include "records.h"

/* How often reaper's children are looked at while it runs. */
#define SAMPLE_US 20000
/* A zombie child of reaper seen at two samples this far apart, reaper
 * asleep at both: 50 ms, the guarantee, and 20 for the timer's slack. */
#define ZOMBIE_US 70000
/* The workload's tree is built within this, or something is wrong. */
#define READY_BOUND_US 20000000
#define MAX_ZOMBIES 1024

struct zombies {
	size_t n;
	pid_t pid[MAX_ZOMBIES];
	uint64_t since[MAX_ZOMBIES];
};

/* One scenario in progress. */
struct run {
	const struct scenario *s;
	const struct programs *p;
	struct observed *o;
	char dir[32], report[64], tag[64];
	pid_t reaper, canary;
	int reaper_fd;
	int orders;   /* the workload's stdin */
	int notify;   /* "R ID" lines from the roots */
	int err_read; /* reaper's stderr, drained here, or -1 */
	int err_hold; /* reaper's stderr, held and never read, or -1 */
	int canary_fd;
	size_t njoiners;
	pid_t joiners[MAX_JOINERS];
	int roots_ready, joiners_ready;
	bool exited;
	uint64_t next_sample;
	struct zombies z;
	char *tail;
	size_t tail_len, tail_max;
	char line[256];
	size_t line_len;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A process's state letter, name and group, from its stat; 0 if gone. */
static char stat_of(pid_t pid, char comm[16], pid_t *pgid)
{
	char buf[512];
	const char *open_paren, *close_paren;
	int group = 0;
	char state;

	if (!procread_file(pid, "stat", buf, sizeof buf) ||
	    (open_paren = strchr(buf, '(')) == NULL ||
	    (close_paren = strrchr(buf, ')')) == NULL ||
	    sscanf(close_paren + 2, "%c %*d %d", &state, &group) != 2)
		return 0;
	if (comm != NULL)
		snprintf(comm, 16, "%.*s", (int)(close_paren - open_paren - 1),
			 open_paren + 1);
	if (pgid != NULL)
		*pgid = group;
	return state;
}

/* A zombie child of reaper left unreaped while reaper sleeps: seen at
 * two samples ZOMBIE_US apart, reaper asleep (S) at both. A stopped
 * reaper starts the count again. */
static void sample_zombies(struct run *r, uint64_t now)
{
	static pid_t kids[MAX_ZOMBIES];
	struct zombies next = {0};
	char state = stat_of(r->reaper, NULL, NULL), comm[16];
	size_t n;

	if (state == 'T' || state == 't')
		r->z.n = 0;
	if (state != 'S' || r->o->zombie[0] != '\0')
		return;
	n = procread_children(r->reaper, kids, MAX_ZOMBIES);
	for (size_t i = 0; i < n; i++) {
		uint64_t since = now;
		if (stat_of(kids[i], comm, NULL) != 'Z')
			continue;
		for (size_t j = 0; j < r->z.n; j++)
			if (r->z.pid[j] == kids[i])
				since = r->z.since[j];
		next.pid[next.n] = kids[i];
		next.since[next.n++] = since;
		if (now - since > ZOMBIE_US)
			snprintf(r->o->zombie, sizeof r->o->zombie,
				 "%d (%s), a child of reaper, still unreaped after "
				 "%llums while reaper slept", (int)kids[i], comm,
				 (unsigned long long)(now - since) / 1000);
	}
	r->z = next;
}

static void keep_tail(struct run *r, const char *buf, size_t n)
{
	if (n >= r->tail_max) {
		buf += n - (r->tail_max - 1);
		n = r->tail_max - 1;
	}
	if (r->tail_len + n >= r->tail_max) {
		size_t drop = r->tail_len + n - (r->tail_max - 1);
		memmove(r->tail, r->tail + drop, r->tail_len - drop);
		r->tail_len -= drop;
	}
	memcpy(r->tail + r->tail_len, buf, n);
	r->tail_len += n;
	r->tail[r->tail_len] = '\0';
}

static void drain_stderr(struct run *r)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(r->err_read, buf, sizeof buf)) > 0)
		keep_tail(r, buf, (size_t)n);
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		close(r->err_read); /* EOF, or the pty's EIO once reaper is gone */
		r->err_read = -1;
	}
}

static void take_line(struct run *r)
{
	if (strcmp(r->line, "R r") == 0)
		r->roots_ready++;
	else if (strncmp(r->line, "R j.", 4) == 0)
		r->joiners_ready++;
}

static void drain_notify(struct run *r)
{
	char buf[256];
	ssize_t n;

	while ((n = read(r->notify, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (r->line_len + 1 < sizeof r->line)
					r->line[r->line_len++] = buf[i];
				continue;
			}
			r->line[r->line_len] = '\0';
			take_line(r);
			r->line_len = 0;
		}
}

static bool ready(const struct run *r)
{
	if (r->s->family == FAMILY_PAUSE)
		return r->joiners_ready >= (int)r->njoiners;
	return r->roots_ready > 0;
}

/* Waits, sampling and draining, until `until`, reaper's exit, or (with
 * for_ready) the tree is built. */
static void watch(struct run *r, uint64_t until, bool for_ready)
{
	while (!r->exited && !(for_ready && ready(r))) {
		uint64_t now = now_us(), at = until;
		struct pollfd fds[3] = {{.fd = r->reaper_fd, .events = POLLIN},
					{.fd = r->notify, .events = POLLIN},
					{.fd = r->err_read, .events = POLLIN}};
		if (now >= until)
			return;
		if (now >= r->next_sample) {
			sample_zombies(r, now);
			r->next_sample = now + SAMPLE_US;
		}
		if (r->next_sample < at)
			at = r->next_sample;
		if (poll(fds, 3, (int)((at - now + 999) / 1000)) < 0 && errno != EINTR)
			return;
		if (fds[1].revents & POLLIN)
			drain_notify(r);
		if (r->err_read >= 0 && fds[2].revents != 0)
			drain_stderr(r);
		if (fds[0].revents & POLLIN)
			r->exited = true;
	}
}

static int pipe_pair(int p[2])
{
	return pipe2(p, O_CLOEXEC);
}

/* The canary: in a group of its own, which reaper joins, outside the
 * tree; every signal it gets is written to the runner. */
static bool start_canary(struct run *r)
{
	int p[2];
	sigset_t all, old;
	siginfo_t info;

	if (pipe_pair(p) < 0)
		return false;
	/* Blocked across the fork: no signal finds the canary unready. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	r->canary = fork();
	if (r->canary == 0) {
		/* A runner killed half-way leaves no canary behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setpgid(0, 0);
		for (;;) {
			char sig = (char)sigwaitinfo(&all, &info);
			if (sig > 0)
				(void)!write(p[1], &sig, 1);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r->canary < 0)
		return false;
	setpgid(r->canary, r->canary);
	close(p[1]);
	r->canary_fd = p[0];
	return fcntl(r->canary_fd, F_SETFL, O_NONBLOCK) == 0;
}

/* A full pipe: filled while non-blocking, then made blocking again. */
static int full_pipe(struct run *r)
{
	int p[2];
	char block[4096];

	memset(block, 'x', sizeof block);
	if (pipe_pair(p) < 0)
		return -1;
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], block, sizeof block) > 0 || errno == EINTR)
		;
	while (write(p[1], block, 1) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	r->err_hold = p[0];
	return p[1];
}

static int pty_pair(struct run *r)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char *name;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    (name = ptsname(master)) == NULL)
		return -1;
	r->err_read = master;
	return open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* reaper's stderr as the scenario has it; the child's end. */
static int make_stderr(struct run *r)
{
	int p[2];

	switch (r->s->err) {
	case ERR_FULL: return full_pipe(r);
	case ERR_PTY: return pty_pair(r);
	case ERR_NULL: return open("/dev/null", O_WRONLY | O_CLOEXEC);
	case ERR_READ:
	case ERR_CLOSED:
		if (pipe_pair(p) < 0)
			return -1;
		if (r->s->err == ERR_CLOSED)
			close(p[0]);
		else
			r->err_read = p[0];
		return p[1];
	}
	return -1;
}

/* As unshare --mount-proc: /proc of the new PID namespace's own. */
static bool own_proc(void)
{
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		     NULL) == 0;
}

static bool hide_proc(bool own_namespace)
{
	if (!own_namespace && (unshare(CLONE_NEWNS) < 0 ||
			       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0))
		return false;
	return mount("none", "/proc", "tmpfs", 0, NULL) == 0;
}

static void pin_to_cpu0(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	(void)sched_setaffinity(0, sizeof one, &one);
}

/* Every signal as the kernel gives it to a new process; with block,
 * all of them blocked from the first instruction on. */
static void plain_signals(bool block)
{
	sigset_t set;

	for (int sig = 1; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_DFL);
	if (block)
		sigfillset(&set);
	else
		sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

static __attribute__((noreturn)) void exec_with(char **argv, int in, int out,
						int err, const char *tag)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(120);
	syscall(SYS_close_range, 3u, ~0u, 0);
	setenv("CHAOS_RUN", tag, 1);
	execv(argv[0], argv);
	_exit(127);
}

/* reaper's side of the fork: waits for the runner's go, sets the
 * environment up, and runs argv. */
static __attribute__((noreturn)) void child(struct run *r, char **argv, int go,
					    int in, int out, int err)
{
	const struct scenario *s = r->s;
	char b;

	if (read(go, &b, 1) != 1)
		_exit(121);
	/* Nor a reaper, and, as PID 1, nothing of its namespace. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((s->pid1 && !own_proc()) || (s->hide_proc && !hide_proc(s->pid1)))
		_exit(122);
	if (s->pin_cpu)
		pin_to_cpu0();
	if (s->nofile > 0) {
		struct rlimit l;
		getrlimit(RLIMIT_NOFILE, &l);
		l.rlim_cur = (rlim_t)s->nofile;
		setrlimit(RLIMIT_NOFILE, &l);
	}
	/* A pause process has no workload to pass the mask to: blocked from
	 * its exec on, no signal can find it before its loop. */
	plain_signals(s->family == FAMILY_PAUSE);
	exec_with(argv, in, out, err, r->tag);
}

/* reaper's command line: [restrict ...] reaper OPTIONS [-- probe tree ...] */
static void reaper_argv(const struct run *r, char **argv, size_t max,
			char *buf, size_t len)
{
	size_t n = 0, used;

	if (r->s->restricted) {
		argv[n++] = (char *)r->p->restrict_bin;
		argv[n++] = "EPERM";
		argv[n++] = "pidfd_open,pidfd_send_signal,close_range";
		argv[n++] = "--";
	}
	argv[n++] = (char *)r->p->reaper;
	n += scenario_options(r->s, argv + n, max - n - 6, buf, len / 2);
	if (r->s->family == FAMILY_PAUSE) {
		argv[n] = NULL;
		return;
	}
	used = len / 2;
	argv[n++] = "--";
	argv[n++] = (char *)r->p->probe;
	argv[n++] = "tree";
	argv[n++] = (char *)r->report;
	argv[n++] = "r";
	scenario_tree_args(&r->s->workload, argv + n, max - n, buf + used, len - used);
}

static bool start_reaper(struct run *r)
{
	char *argv[64], buf[2048];
	int in[2], out[2], go[2], err = make_stderr(r);
	sigset_t all, old;

	if (err < 0 || pipe_pair(in) < 0 || pipe_pair(out) < 0 || pipe_pair(go) < 0)
		return false;
	reaper_argv(r, argv, 64, buf, sizeof buf);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	r->o->facts.started = now_us();
	r->reaper = r->s->pid1 ? (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS |
						SIGCHLD, NULL, NULL, NULL, NULL)
			       : fork();
	if (r->reaper == 0)
		child(r, argv, go[0], in[0], out[1], err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r->reaper < 0)
		return false;
	setpgid(r->reaper, r->canary);
	(void)!write(go[1], "g", 1);
	close(go[0]);
	close(go[1]);
	close(in[0]);
	close(out[1]);
	close(err);
	r->orders = in[1];
	r->notify = out[0];
	fcntl(r->notify, F_SETFL, O_NONBLOCK);
	if (r->err_read >= 0)
		fcntl(r->err_read, F_SETFL, O_NONBLOCK);
	r->reaper_fd = (int)syscall(SYS_pidfd_open, r->reaper, 0);
	return r->reaper_fd >= 0;
}

/* A process of a pod's other container: nsenter into reaper's PID
 * namespace, its parent outside. Its stdout is the notify pipe. */
static bool start_joiner(struct run *r, size_t i, int notify_out)
{
	char *argv[32], buf[512], target[16], id[16];
	size_t n = 0;
	sigset_t all, old;
	pid_t pid;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	snprintf(target, sizeof target, "%d", (int)r->reaper);
	snprintf(id, sizeof id, "j.%zu", i);
	argv[n++] = "/usr/bin/nsenter";
	argv[n++] = "-t";
	argv[n++] = target;
	argv[n++] = "-p";
	argv[n++] = "--";
	argv[n++] = (char *)r->p->probe;
	argv[n++] = "tree";
	argv[n++] = r->report;
	argv[n++] = id;
	scenario_tree_args(&r->s->joiners[i], argv + n, 32 - n, buf, sizeof buf);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0) {
		plain_signals(false);
		exec_with(argv, null, notify_out, null, r->tag);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(null);
	if (pid < 0)
		return false;
	r->joiners[r->njoiners++] = pid;
	return true;
}

/* The joiners need a pipe of their own to say they are ready: reaper's
 * stdout is the child's end of the first. */
static bool start_joiners(struct run *r)
{
	int p[2];

	if (r->s->njoiners == 0)
		return true;
	if (pipe_pair(p) < 0)
		return false;
	for (int i = 0; i < r->s->njoiners; i++)
		if (!start_joiner(r, (size_t)i, p[1]))
			return false;
	close(p[1]);
	close(r->notify);
	r->notify = p[0];
	return fcntl(r->notify, F_SETFL, O_NONBLOCK) == 0;
}

/* The workload's root, as the runner sees it: reaper's child named so. */
static pid_t workload_pid(const struct run *r)
{
	static pid_t kids[MAX_ZOMBIES];
	size_t n = procread_children(r->reaper, kids, MAX_ZOMBIES);
	char comm[16];

	for (size_t i = 0; i < n; i++)
		if (stat_of(kids[i], comm, NULL) != 'Z' && strcmp(comm, "chaos-root") == 0)
			return kids[i];
	return 0;
}

/* Carries e out; false when there was no one to carry it out on. */
static bool send_event(struct run *r, const struct event *e)
{
	char order[16];
	pid_t pid, kid;
	int n;

	switch (e->kind) {
	case EV_SIGNAL:
		for (int i = 0; i < e->count; i++)
			kill(r->reaper, e->sig);
		return true;
	case EV_STOP:
	case EV_CONT:
		return kill(r->reaper, e->sig) == 0;
	case EV_KILL:
		return (pid = workload_pid(r)) > 0 && kill(pid, SIGKILL) == 0;
	case EV_EXIT:
		n = snprintf(order, sizeof order, "x %d\n", e->code);
		return write(r->orders, order, (size_t)n) == n;
	case EV_JOINERS:
		for (size_t i = 0; i < r->njoiners; i++)
			if (procread_children(r->joiners[i], &kid, 1) == 1)
				kill(kid, SIGTERM);
		return true;
	}
	return false;
}

static void play_events(struct run *r)
{
	struct facts *f = &r->o->facts;
	uint64_t base = f->ready;

	for (int i = 0; i < r->s->nevents && !r->exited; i++) {
		const struct event *e = &r->s->events[i];
		watch(r, base + (uint64_t)e->at_ms * 1000u, false);
		if (r->exited)
			break;
		uint64_t at = now_us(); /* before: what it sets off may come first */
		if (send_event(r, e) && f->nsent < MAX_EVENTS)
			f->sent[f->nsent++] = (struct sent){e->kind, e->sig, e->count, at};
	}
}

/* reaper's CPU, read while it is a zombie, and its status. */
static void collect_reaper(struct run *r)
{
	struct facts *f = &r->o->facts;
	char buf[1024];
	const char *s;
	unsigned long long utime, stime;
	siginfo_t info;
	int status;

	if (!r->exited) {
		f->overran = true;
		kill(r->reaper, SIGKILL);
	}
	waitid(P_PID, (id_t)r->reaper, &info, WEXITED | WNOWAIT);
	f->ended = now_us();
	r->o->cpu_ms = -1;
	if (procread_file(r->reaper, "stat", buf, sizeof buf) && (s = strrchr(buf, ')')) != NULL &&
	    sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &utime, &stime) == 2)
		r->o->cpu_ms = (long)((utime + stime) * 1000 /
				      (unsigned long long)sysconf(_SC_CLK_TCK));
	waitpid(r->reaper, &status, 0);
	f->code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	close(r->reaper_fd);
}

static bool ours(const struct run *r, pid_t pid)
{
	char path[48], env[16384];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, env, sizeof env - 1);
	close(fd);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(env + i) + 1) {
		env[n] = '\0';
		if (strncmp(env + i, "CHAOS_RUN=", 10) == 0)
			return strcmp(env + i + 10, r->tag) == 0;
	}
	return false;
}

/* Whether pid is on its way out: exiting already (PF_EXITING in its
 * stat's flags), or a SIGKILL pending. */
static bool dying(pid_t pid)
{
	char status[4096];
	const char *at;
	unsigned long long mask = 0;
	unsigned flags = 0;

	if (procread_file(pid, "stat", status, sizeof status) &&
	    (at = strrchr(status, ')')) != NULL &&
	    sscanf(at + 2, "%*c %*d %*d %*d %*d %*d %u", &flags) == 1 &&
	    (flags & 0x4))
		return true;
	if (!procread_file(pid, "status", status, sizeof status))
		return false;
	for (const char *field = "SigPnd:"; field != NULL;
	     field = strcmp(field, "SigPnd:") == 0 ? "ShdPnd:" : NULL)
		if ((at = strstr(status, field)) != NULL)
			mask |= strtoull(at + strlen(field), NULL, 16);
	return mask & (1ULL << (SIGKILL - 1));
}

/* Every live process of the tree, found by its name and its mark; one
 * already sent SIGKILL is on its way out, and not left behind. */
static void find_survivors(struct run *r)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct observed *o = r->o;

	while (d != NULL && (e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name), pgid;
		char comm[16], state;
		if (pid <= 0 || (state = stat_of(pid, comm, &pgid)) == 0 ||
		    state == 'Z' || strncmp(comm, "chaos-", 6) != 0 || !ours(r, pid) ||
		    dying(pid) || o->nsurvivors == MAX_SURVIVORS)
			continue;
		o->survivors[o->nsurvivors++] = (struct survivor){pid, pgid, ""};
		snprintf(o->survivors[o->nsurvivors - 1].comm, 16, "%s", comm);
	}
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < o->nsurvivors; i++)
		kill(o->survivors[i].pid, SIGKILL);
}

static void check_canary(struct run *r)
{
	char sigs[64];
	ssize_t n = read(r->canary_fd, sigs, sizeof sigs);

	r->o->canary_signals = n > 0 ? (int)n : 0;
	r->o->canary_dead = waitpid(r->canary, NULL, WNOHANG) == r->canary;
	close(r->canary_fd);
}

/* Everything left is the runner's child now, a subreaper: killing one
 * hands its children here; again until none is left. */
static void end_children(void)
{
	static pid_t kids[MAX_ZOMBIES];
	size_t n;

	while ((n = procread_children(getpid(), kids, MAX_ZOMBIES)) > 0) {
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		for (size_t i = 0; i < n; i++)
			waitpid(kids[i], NULL, 0);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void close_all(struct run *r)
{
	int fds[] = {r->orders, r->notify, r->err_read, r->err_hold};

	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static bool prepare(struct run *r)
{
	int fd;

	snprintf(r->dir, sizeof r->dir, "/tmp/chaos-XXXXXX");
	if (mkdtemp(r->dir) == NULL)
		return false;
	snprintf(r->report, sizeof r->report, "%s/report", r->dir);
	snprintf(r->tag, sizeof r->tag, "%d-%016llx", (int)getpid(),
		 (unsigned long long)r->s->seed);
	if ((fd = open(r->report, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return false;
	close(fd);
	return start_canary(r);
}

static void play(struct run *r)
{
	struct facts *f = &r->o->facts;

	if (r->s->family == FAMILY_PAUSE && !start_joiners(r))
		fprintf(stderr, "chaos: could not start the joiners\n");
	watch(r, f->started + READY_BOUND_US, true);
	if (ready(r))
		f->ready = now_us();
	if (f->ready != 0)
		play_events(r);
	while (!r->exited) {
		uint64_t until = model_deadline(r->s, f);
		if (now_us() >= until)
			break;
		watch(r, until, false);
	}
}

bool run_scenario(const struct scenario *s, const struct programs *p,
		  struct observed *o, char *tail, size_t len)
{
	struct run r = {.s = s, .p = p, .o = o, .orders = -1, .notify = -1,
			.err_read = -1, .err_hold = -1, .canary_fd = -1,
			.tail = tail, .tail_max = len};
	struct records *records = calloc(1, sizeof *records);
	bool ok;

	*o = (struct observed){.facts.records = records};
	tail[0] = '\0';
	ok = records != NULL && prepare(&r);
	snprintf(o->dir, sizeof o->dir, "%s", r.dir);
	ok = ok && start_reaper(&r);
	if (ok) {
		play(&r);
		collect_reaper(&r);
		if (r.err_read >= 0)
			drain_stderr(&r);
		check_canary(&r);
		find_survivors(&r);
		records_read(records, r.report);
	}
	end_children();
	close_all(&r);
	return ok;
}

void run_release(struct observed *o, bool keep)
{
	struct records *r = (struct records *)o->facts.records;
	char report[64];

	snprintf(report, sizeof report, "%s/report", o->dir);
	if (!keep && o->dir[0] != '\0' && unlink(report) == 0)
		rmdir(o->dir);

	if (r != NULL)
		records_free(r);
	free(r);
	o->facts.records = NULL;
}
