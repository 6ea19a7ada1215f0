#include "procfs.h"

#include <ctype.h>
#include <limits.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "syscalls.h"

/* A process and its parent, from a scan of /proc. */
struct procfs_parent {
	pid_t pid, ppid;
};

static bool out_of_descriptors(int err)
{
	return err == EMFILE || err == ENFILE;
}

/* The reserve goes, and no pidfd is taken for the rest of this walk:
 * the descriptors left are for reading. */
static bool spend_reserve(struct procfs_view *v)
{
	if (v == NULL || v->reserve < 0)
		return false;
	close(v->reserve);
	v->reserve = -1;
	v->pidfds_spent = true;
	return true;
}

static int open_in(struct procfs_view *v, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && out_of_descriptors(errno) && spend_reserve(v))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd;
}

/* 0, or the errno; a file that is not there is a process gone. */
static int read_in(struct procfs_view *v, const char *path, char *buf,
		   size_t len)
{
	int fd = open_in(v, path), err;
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? ESRCH : errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : n == 0 ? ESRCH : err;
}

/* Fields 2 (name), 4 (ppid), 20 (threads) and 22 (start time). The name
 * may hold spaces and parentheses, so counting goes on after its last
 * ')', at field 3. */
static int stat_in(struct procfs_view *v, pid_t pid, struct walk_node *n)
{
	char path[48], buf[1024];
	const char *open_paren, *s;
	unsigned long value = 0;
	int err;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((err = read_in(v, path, buf, sizeof buf)) != 0)
		return err;
	if ((open_paren = strchr(buf, '(')) == NULL ||
	    (s = strrchr(buf, ')')) == NULL || s < open_paren)
		return EINVAL;
	snprintf(n->name, sizeof n->name, "%.*s", (int)(s - open_paren - 1),
		 open_paren + 1);
	for (int field = 3; field <= 22; field++) {
		s += strspn(s, " )");
		if (field == 4 || field == 20 || field == 22) {
			if (!parse_next_ulong(&s, &value))
				return EINVAL;
			if (field == 4)
				n->ppid = (pid_t)value;
			if (field == 20)
				n->threads = (long)value;
		} else {
			s += strcspn(s, " ");
		}
	}
	n->start = value;
	return 0;
}

int procfs_stat(pid_t pid, struct walk_node *n)
{
	return stat_in(NULL, pid, n);
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
void procfs_read_pids(int fd, void (*each)(pid_t pid, void *ctx), void *ctx)
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

static void add_pid(pid_t pid, void *ctx)
{
	(void)walk_pids_add(ctx, pid);
}

static void read_children_file(struct procfs_view *v, pid_t pid, pid_t tid,
			       struct walk_pids *out)
{
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid,
		 (int)tid);
	if ((fd = open_in(v, path)) < 0)
		return;
	procfs_read_pids(fd, add_pid, out);
	close(fd);
}

/* Each thread has its own children file. A process of one thread, most
 * of them, has one file to read; the task directory of a process of
 * many is read whole and closed before any file is opened, so that one
 * descriptor at a time is enough. */
static void files_children(struct procfs_view *v, const struct walk_node *n,
			   struct walk_pids *out)
{
	struct walk_pids tids = {0};
	char path[64];
	struct dirent *e;
	DIR *d;
	int fd;

	if (n->threads == 1) {
		read_children_file(v, n->pid, n->pid, out);
		return;
	}
	snprintf(path, sizeof path, "/proc/%d/task", (int)n->pid);
	if ((fd = open_in(v, path)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		pid_t tid = pid_at(&name);
		if (tid > 0)
			(void)walk_pids_add(&tids, tid);
	}
	closedir(d);
	for (size_t i = 0; i < tids.n; i++)
		read_children_file(v, n->pid, tids.v[i], out);
	free(tids.v);
}

static void scanned_children(const struct procfs_view *v, pid_t pid,
			     struct walk_pids *out)
{
	size_t lo = 0, hi = v->scanned;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->scan[mid].ppid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < v->scanned && v->scan[lo].ppid == pid; lo++)
		(void)walk_pids_add(out, v->scan[lo].pid);
}

static void view_children(void *world, const struct walk_node *n,
			  struct walk_pids *out)
{
	struct procfs_view *v = world;

	if (v->scan != NULL)
		scanned_children(v, n->pid, out);
	else
		files_children(v, n, out);
}

/* Kernels before 5.3, and seccomp profiles that do not know it, refuse
 * pidfds for good; running out of descriptors only means this level of
 * the walk goes without. */
static int take_pidfd(struct procfs_view *v, pid_t pid, bool *gone)
{
	struct procfs_state *s = v->state;
	int fd;

	*gone = false;
	if (s->no_pidfd || v->pidfds_spent)
		return -1;
	if ((fd = sys_pidfd_open(pid)) >= 0)
		return fd;
	if ((*gone = errno == ESRCH))
		return -1;
	if (out_of_descriptors(errno)) {
		v->pidfds_spent = true;
		if (!s->told_too_deep)
			log_info("out of descriptors for pidfds deep in the tree; "
				 "below, checking start times instead");
		s->told_too_deep = true;
		return -1;
	}
	s->no_pidfd = errno == ENOSYS || errno == EPERM;
	if (s->no_pidfd && !s->told_no_pidfd)
		log_info("pidfd_open: %m; signalling by pid, checked against "
			 "start times");
	s->told_no_pidfd |= s->no_pidfd;
	return -1;
}

static enum walk_pin view_pin(void *world, pid_t pid, struct walk_node *n)
{
	struct procfs_view *v = world;
	bool gone;
	int err;

	n->pid = pid;
	n->fd = take_pidfd(v, pid, &gone);
	if (gone)
		return PIN_GONE;
	if ((err = stat_in(v, pid, n)) == 0)
		return PIN_OK;
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	if (err == ESRCH)
		return PIN_GONE;
	if (!v->state->told_unreadable)
		log_warn("cannot read /proc/%d/stat: %s", (int)pid, strerror(err));
	v->state->told_unreadable = true;
	return PIN_UNREADABLE;
}

/* A pidfd turns readable when its process ends. Without one, a start
 * time that still matches; in clock ticks, a pid reused within one tick
 * would pass. */
static bool view_alive(void *world, const struct walk_node *n)
{
	struct pollfd p = {.fd = n->fd, .events = POLLIN};
	struct walk_node now;

	if (n->fd >= 0)
		return poll(&p, 1, 0) == 0;
	return stat_in(world, n->pid, &now) == 0 && now.start == n->start;
}

static void view_unpin(void *world, struct walk_node *n)
{
	(void)world;
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

const struct walk_ops procfs_walk_ops = {
	.pin = view_pin,
	.alive = view_alive,
	.children = view_children,
	.unpin = view_unpin,
};

static int by_parent(const void *a, const void *b)
{
	pid_t x = ((const struct procfs_parent *)a)->ppid;
	pid_t y = ((const struct procfs_parent *)b)->ppid;

	return (x > y) - (x < y);
}

/* Every process's parent, read once. */
static bool scan_parents(struct procfs_view *v)
{
	size_t cap = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		struct walk_node n;
		pid_t pid = pid_at(&name);
		if (pid <= 0 || *name != '\0' || stat_in(v, pid, &n) != 0)
			continue;
		if (v->scanned == cap) {
			struct procfs_parent *more;
			cap = cap ? cap * 2 : 256;
			if ((more = realloc(v->scan, cap * sizeof *more)) == NULL)
				break;
			v->scan = more;
		}
		v->scan[v->scanned++] = (struct procfs_parent){pid, n.ppid};
	}
	closedir(d);
	if (v->scan != NULL)
		qsort(v->scan, v->scanned, sizeof *v->scan, by_parent);
	return v->scan != NULL;
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

/* Reaper's own children file, which cannot be gone, tells whether the
 * kernel has them. */
bool procfs_open(struct procfs_view *v, struct procfs_state *s)
{
	*v = (struct procfs_view){.state = s, .reserve = -1};
	if (!proc_is_ours())
		return false;
	if (access("/proc/thread-self/children", R_OK) != 0 && !scan_parents(v)) {
		procfs_close(v);
		return false;
	}
	v->reserve = open("/", O_PATH | O_CLOEXEC);
	v->pidfds_spent = v->reserve < 0;
	return true;
}

void procfs_close(struct procfs_view *v)
{
	if (v->reserve >= 0)
		close(v->reserve);
	free(v->scan);
	*v = (struct procfs_view){.reserve = -1};
}

unsigned long procfs_count_others(unsigned long enough)
{
	unsigned long found = 0;
	struct dirent *e;
	DIR *d;

	if (!proc_is_ours() || (d = opendir("/proc")) == NULL)
		return ULONG_MAX;
	while (found < enough && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		pid_t pid = pid_at(&name);
		found += pid > 0 && *name == '\0' && pid != getpid();
	}
	closedir(d);
	return found;
}
