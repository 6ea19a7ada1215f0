#include "tree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* A process the walk found, and when it started: its pid may be another
 * process's by the time it is signalled, its start time never. */
struct found {
	pid_t pid;
	unsigned long long start;
};

struct pids {
	struct found *v;
	size_t n, cap;
};

static bool push(struct pids *s, pid_t pid, unsigned long long start)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct found *v = realloc(s->v, cap * sizeof *v);
		if (v == NULL)
			return false;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct found){pid, start};
	return true;
}

static bool read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n >= 0;
}

/* Field 4 (ppid) and field 22 (start time) of /proc/PID/stat; the name in
 * field 2 may hold spaces and parentheses, so counting starts after its
 * last ')', at field 3. */
static bool stat_of(pid_t pid, pid_t *ppid, unsigned long long *start)
{
	char path[48], buf[1024];
	const char *s;
	unsigned long v = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!read_file(path, buf, sizeof buf) || (s = strrchr(buf, ')')) == NULL)
		return false;
	for (int field = 3; field <= 22; field++) {
		s += strspn(s, " )");
		if (field == 4 || field == 22) {
			if (!parse_next_ulong(&s, &v))
				return false;
			if (field == 4)
				*ppid = (pid_t)v;
		} else {
			s += strcspn(s, " ");
		}
	}
	*start = v;
	return true;
}

/* A pid named by a /proc entry or a list, or 0. */
static pid_t pid_at(const char **s)
{
	unsigned long v;

	return parse_next_ulong(s, &v) && v <= (unsigned long)INT32_MAX
		       ? (pid_t)v : 0;
}

/* Hands each pid of one piece of a list to each(); false at one that is
 * no pid. */
static bool each_in(const char *s, void (*each)(pid_t, void *), void *ctx)
{
	for (s += strspn(s, " \n"); *s != '\0'; s += strspn(s, " \n")) {
		pid_t pid = pid_at(&s);
		if (pid == 0)
			return false;
		each(pid, ctx);
	}
	return true;
}

/* Read in pieces: a number cut at the end of one goes on in the next. */
void tree_read_pids(int fd, void (*each)(pid_t pid, void *ctx), void *ctx)
{
	char buf[4096] = ""; /* an empty file reads nothing */
	size_t kept = 0;
	ssize_t n;

	while ((n = read(fd, buf + kept, sizeof buf - 1 - kept)) > 0) {
		size_t len = kept + (size_t)n, end;
		for (end = len; end > 0 && isdigit((unsigned char)buf[end - 1]); end--)
			;
		buf[len] = '\0';
		char cut = buf[end];
		buf[end] = '\0';
		if (!each_in(buf, each, ctx))
			return;
		buf[end] = cut;
		kept = len - end;
		memmove(buf, buf + end, kept + 1);
	}
	each_in(buf, each, ctx);
}

struct listing {
	pid_t parent;
	struct pids *out;
};

/* Appends a listed child with its start time, read now and only if its
 * parent is still the one whose list named it. */
static void add_if_child(pid_t child, void *ctx)
{
	const struct listing *l = ctx;
	unsigned long long start;
	pid_t ppid;

	if (stat_of(child, &ppid, &start) && ppid == l->parent)
		push(l->out, child, start);
}

/* Appends the children of pid, from every one of its threads. A process or
 * thread that is gone meanwhile has none. */
static void children_of(pid_t pid, struct pids *out)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%.16s/children",
			 (int)pid, e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		tree_read_pids(fd, add_if_child,
			       &(struct listing){.parent = pid, .out = out});
		close(fd);
	}
	closedir(d);
}

static int by_pid(const void *a, const void *b)
{
	pid_t x = ((const struct tree_proc *)a)->pid;
	pid_t y = ((const struct tree_proc *)b)->pid;

	return (x > y) - (x < y);
}

size_t tree_closure(pid_t root, struct tree_proc *procs, size_t n)
{
	size_t found = 0;
	bool grew = true;

	if (n == 0)
		return 0; /* qsort and bsearch want a real array */
	qsort(procs, n, sizeof *procs, by_pid);
	for (size_t i = 0; i < n; i++)
		procs[i].in = false;
	/* Each pass adds the children of what the last one found; a chain
	 * of pids that runs against their order takes one pass a link. */
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			struct tree_proc key = {.pid = procs[i].ppid}, *parent;
			if (procs[i].in || procs[i].pid == root)
				continue;
			parent = bsearch(&key, procs, n, sizeof *procs, by_pid);
			if (procs[i].ppid == root || (parent != NULL && parent->in)) {
				procs[i].in = true;
				found++;
				grew = true;
			}
		}
	}
	return found;
}

/* Without children files: a snapshot of every process's parent from
 * /proc/PID/stat, closed over from reaper down. */
static bool scan_descendants(pid_t root, struct pids *out)
{
	struct tree_proc *procs = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		pid_t pid = pid_at(&name), ppid;
		unsigned long long start;
		if (pid <= 0 || !stat_of(pid, &ppid, &start))
			continue;
		if (n == cap) {
			struct tree_proc *more;
			cap = cap ? cap * 2 : 256;
			if ((more = realloc(procs, cap * sizeof *more)) == NULL)
				break;
			procs = more;
		}
		procs[n++] = (struct tree_proc){.pid = pid, .ppid = ppid,
						.start = start};
	}
	closedir(d);
	tree_closure(root, procs, n);
	for (size_t i = 0; i < n; i++)
		if (procs[i].in)
			push(out, procs[i].pid, procs[i].start);
	free(procs);
	return true;
}

/* Kernels built without CONFIG_PROC_CHILDREN have no children files;
 * reaper's own, which cannot be gone, tells. */
static bool children_files(void)
{
	return access("/proc/thread-self/children", R_OK) == 0;
}

static void descendants(struct pids *out)
{
	children_of(getpid(), out);
	for (size_t i = 0; i < out->n; i++)
		children_of(out->v[i].pid, out);
}

bool tree_signal_if_same(pid_t pid, unsigned long long start, int sig)
{
	unsigned long long now;
	pid_t ppid;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool ok;

	/* Kernels before 5.3 have no pidfd: the check and the kill are then
	 * two steps, and a pid freed and taken between them is hit. */
	if (fd < 0)
		return errno == ENOSYS && stat_of(pid, &ppid, &now) &&
		       now == start && kill(pid, sig) == 0;
	ok = stat_of(pid, &ppid, &now) && now == start &&
	     syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == 0;
	close(fd);
	return ok;
}

/* A /proc mounted for another PID namespace names other processes. */
static bool proc_is_ours(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof link - 1);

	if (n <= 0)
		return false;
	link[n] = '\0';
	return pid_at(&(const char *){link}) == getpid();
}

/* Returns false when /proc cannot tell. */
static bool find_descendants(struct pids *out)
{
	if (!proc_is_ours())
		return false;
	if (children_files()) {
		descendants(out);
		return true;
	}
	return scan_descendants(getpid(), out);
}

unsigned long tree_signal(int sig, int pgid)
{
	struct pids tree = {0};
	unsigned long reached = 0;

	if (getpid() == 1) {
		/* Everything in the namespace but reaper itself. The walk,
		 * first, only counts them for the log: after the signal they
		 * would be exiting and moving to reaper as it counted. */
		if (find_descendants(&tree))
			reached = tree.n;
		if (kill(-1, sig) < 0 && errno != ESRCH)
			log_warn("kill -1: %m");
	} else if (find_descendants(&tree)) {
		for (size_t i = 0; i < tree.n; i++)
			reached += tree_signal_if_same(tree.v[i].pid,
						       tree.v[i].start, sig);
	} else {
		log_info("no usable /proc: signalling the workload's group only");
		reached = kill(-pgid, sig) == 0;
	}
	free(tree.v);
	return reached;
}
