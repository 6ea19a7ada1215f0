#include "tree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "parse.h"
#include "signals.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
/* Linux 6.9: the signal goes to the process group whose leader the pidfd
 * names, found by the kernel's own reference rather than by number. */
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)
#endif

/* A fork bomb could grow the tree as fast as it is walked: a walk ends
 * after this many visits (the kernel's own ceiling on pids). */
#define MAX_VISITS 4194304

bool tree_pids_add(struct tree_pids *l, pid_t pid)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		pid_t *v = realloc(l->v, cap * sizeof *v);
		if (v == NULL)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = pid;
	return true;
}

/* One process the walk holds, and the children it has yet to visit. */
struct frame {
	struct tree_node node;
	struct tree_pids kids;
	size_t next;
};

struct walk {
	const struct tree_ops *ops;
	void *world;
	struct frame *stack;
	size_t depth, cap;
};

/* Whether ppid is a process the walk holds, as alive now as when it was
 * proven: reaper itself, at the root, always is. */
static bool held_parent(const struct walk *w, pid_t ppid)
{
	for (size_t i = w->depth; i-- > 0;)
		if (w->stack[i].node.pid == ppid)
			return i == 0 || w->ops->alive(w->world, &w->stack[i].node);
	return false;
}

static bool push(struct walk *w, const struct tree_node *n,
		 struct tree_pids kids)
{
	if (w->depth == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct frame *s = realloc(w->stack, cap * sizeof *s);
		if (s == NULL)
			return false;
		w->stack = s;
		w->cap = cap;
	}
	w->stack[w->depth++] = (struct frame){*n, kids, 0};
	return true;
}

static void pop(struct walk *w)
{
	struct frame *f = &w->stack[--w->depth];

	if (w->depth > 0)
		w->ops->unpin(w->world, &f->node);
	free(f->kids.v);
}

/* Pins pid and proves it a descendant; its children read meanwhile go to
 * kids. */
static bool prove(struct walk *w, pid_t pid, struct tree_node *n,
		  struct tree_pids *kids)
{
	*kids = (struct tree_pids){0};
	if (!w->ops->pin(w->world, pid, n))
		return false;
	if (held_parent(w, n->ppid)) {
		w->ops->children(w->world, pid, kids);
		if (w->ops->alive(w->world, n))
			return true;
	}
	w->ops->unpin(w->world, n);
	free(kids->v);
	return false;
}

bool tree_walk(const struct tree_ops *ops, void *world,
	       const struct tree_node *root,
	       void (*visit)(void *ctx, const struct tree_node *n), void *ctx)
{
	struct walk w = {.ops = ops, .world = world};
	struct tree_pids kids = {0};
	unsigned long visits = 0;
	bool ok;

	ops->children(world, root->pid, &kids);
	if (!(ok = push(&w, root, kids)))
		free(kids.v);
	while (ok && w.depth > 0 && visits < MAX_VISITS) {
		struct frame *top = &w.stack[w.depth - 1];
		struct tree_node n;
		if (top->next == top->kids.n) {
			pop(&w);
			continue;
		}
		if (!prove(&w, top->kids.v[top->next++], &n, &kids))
			continue;
		visit(ctx, &n);
		visits++;
		if (!(ok = push(&w, &n, kids))) {
			ops->unpin(world, &n);
			free(kids.v);
		}
	}
	while (w.depth > 0)
		pop(&w);
	free(w.stack);
	return ok;
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
	return n > 0;
}

/* Fields 2 (name), 4 (ppid) and 22 (start time) of /proc/PID/stat. The
 * name may hold spaces and parentheses, so counting goes on after its
 * last ')', at field 3. */
static bool read_stat(pid_t pid, struct tree_node *n)
{
	char path[48], buf[1024];
	const char *open_paren, *s;
	unsigned long v = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (!read_file(path, buf, sizeof buf) ||
	    (open_paren = strchr(buf, '(')) == NULL ||
	    (s = strrchr(buf, ')')) == NULL || s < open_paren)
		return false;
	snprintf(n->name, sizeof n->name, "%.*s", (int)(s - open_paren - 1),
		 open_paren + 1);
	for (int field = 3; field <= 22; field++) {
		s += strspn(s, " )");
		if (field == 4 || field == 22) {
			if (!parse_next_ulong(&s, &v))
				return false;
			if (field == 4)
				n->ppid = (pid_t)v;
		} else {
			s += strcspn(s, " ");
		}
	}
	n->start = v;
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

/* A process and its parent, from a scan of /proc. */
struct parentage {
	pid_t pid, ppid;
};

/* The kernel, as tree.c's walk reads it. */
struct kernel {
	struct tree *t;
	/* Without children files: every process's parent, by parent. */
	struct parentage *scan;
	size_t scanned;
};

static bool kernel_pin(void *world, pid_t pid, struct tree_node *n)
{
	struct kernel *k = world;

	n->pid = pid;
	n->fd = -1;
	if (!k->t->no_pidfd &&
	    (n->fd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
		if (errno == ESRCH)
			return false;
		/* Kernels before 5.3, and seccomp profiles that do not know
		 * it; running out of descriptors is no reason to stop. */
		k->t->no_pidfd = errno == ENOSYS || errno == EPERM;
		if (k->t->no_pidfd && !k->t->told_fallback) {
			log_info("pidfd_open: %m; signalling by pid, checked "
				 "against start times");
			k->t->told_fallback = true;
		}
	}
	if (read_stat(pid, n))
		return true;
	if (n->fd >= 0)
		close(n->fd);
	return false;
}

/* A pidfd turns readable when its process ends. Without one, a start
 * time that still matches; in clock ticks, a pid reused within one tick
 * would pass. */
static bool kernel_alive(void *world, const struct tree_node *n)
{
	struct pollfd p = {.fd = n->fd, .events = POLLIN};
	struct tree_node now;

	(void)world;
	if (n->fd >= 0)
		return poll(&p, 1, 0) == 0;
	return read_stat(n->pid, &now) && now.start == n->start;
}

static void add_child(pid_t pid, void *ctx)
{
	(void)tree_pids_add(ctx, pid);
}

static void files_children(pid_t pid, struct tree_pids *out)
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
		tree_read_pids(fd, add_child, out);
		close(fd);
	}
	closedir(d);
}

static void scanned_children(const struct kernel *k, pid_t pid,
			     struct tree_pids *out)
{
	size_t lo = 0, hi = k->scanned;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->scan[mid].ppid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->scanned && k->scan[lo].ppid == pid; lo++)
		(void)tree_pids_add(out, k->scan[lo].pid);
}

static void kernel_children(void *world, pid_t pid, struct tree_pids *out)
{
	struct kernel *k = world;

	if (k->scan != NULL)
		scanned_children(k, pid, out);
	else
		files_children(pid, out);
}

static void kernel_unpin(void *world, struct tree_node *n)
{
	(void)world;
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

static const struct tree_ops kernel_ops = {
	kernel_pin, kernel_alive, kernel_children, kernel_unpin,
};

static int by_parent(const void *a, const void *b)
{
	pid_t x = ((const struct parentage *)a)->ppid;
	pid_t y = ((const struct parentage *)b)->ppid;

	return (x > y) - (x < y);
}

/* Every process's parent, read once; the walk still proves each. */
static bool scan_parents(struct kernel *k)
{
	size_t cap = 0;
	struct dirent *e;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		struct tree_node n;
		pid_t pid = pid_at(&name);
		if (pid <= 0 || *name != '\0' || !read_stat(pid, &n))
			continue;
		if (k->scanned == cap) {
			struct parentage *more;
			cap = cap ? cap * 2 : 256;
			if ((more = realloc(k->scan, cap * sizeof *more)) == NULL)
				break;
			k->scan = more;
		}
		k->scan[k->scanned++] = (struct parentage){pid, n.ppid};
	}
	closedir(d);
	if (k->scan != NULL)
		qsort(k->scan, k->scanned, sizeof *k->scan, by_parent);
	return k->scan != NULL;
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

/* How to find descendants, decided once a round: through /proc, which
 * must be this namespace's, by each process's children files where the
 * kernel has them (CONFIG_PROC_CHILDREN; reaper's own, which cannot be
 * gone, tells), else by a scan of every process's parent. Returns false
 * when /proc cannot tell. */
static bool open_kernel(struct kernel *k, struct tree *t)
{
	*k = (struct kernel){.t = t};
	if (!proc_is_ours())
		return false;
	if (access("/proc/thread-self/children", R_OK) == 0)
		return true;
	return scan_parents(k);
}

/* Only while its parent was proven: the signal goes through the pidfd;
 * without one, or when the pidfd call is refused, by pid once the start
 * time matches. Returns 0 or the errno. */
static int signal_node(struct tree *t, const struct tree_node *n, int sig)
{
	struct tree_node now;

	if (n->fd >= 0) {
		if (syscall(SYS_pidfd_send_signal, n->fd, sig, NULL, 0) == 0)
			return 0;
		if (errno == ESRCH)
			return ESRCH;
	}
	if (!read_stat(n->pid, &now) || now.start != n->start)
		return ESRCH;
	if (kill(n->pid, sig) < 0)
		return errno;
	/* It was the pidfd call that was refused, not the signal. */
	if (n->fd >= 0 && !t->told_fallback) {
		log_info("pidfd_send_signal refused; signalling by pid, checked "
			 "against start times");
		t->told_fallback = true;
	}
	return 0;
}

/* "4711 (redis-server), 4713 (sleep)", and how many more did not fit. */
struct names {
	char text[384];
	size_t len;
	unsigned long listed, more;
};

static void name_one(struct names *l, const struct tree_node *n)
{
	char one[48];
	int len = snprintf(one, sizeof one, "%s%d (%s)", l->listed ? ", " : "",
			   (int)n->pid, n->name);

	if (len > 0 && l->len + (size_t)len < sizeof l->text) {
		memcpy(l->text + l->len, one, (size_t)len + 1);
		l->len += (size_t)len;
		l->listed++;
	} else {
		l->more++;
	}
}

/* One round of the cleanup. */
struct round {
	struct tree *t;
	int sig; /* 0: only count and name them */
	unsigned long reached;
	struct names names;
};

static void signal_visited(void *ctx, const struct tree_node *n)
{
	struct round *r = ctx;

	if (r->sig != 0 && signal_node(r->t, n, r->sig) != 0)
		return;
	if (r->sig != 0 && r->sig != SIGKILL && r->sig != SIGCONT)
		(void)signal_node(r->t, n, SIGCONT);
	r->reached++;
	if (log_enabled(LOG_INFO))
		name_one(&r->names, n);
}

/* Without /proc, the group alone: through the pidfd of its leader, which
 * reaches that group and no other; else by number, and only until the
 * group is seen empty, after which the number may be another group's. */
static unsigned long signal_group(struct tree_group *g, int sig)
{
	if (g->pgid <= 0 || g->gone)
		return 0;
	if (g->fd >= 0 &&
	    syscall(SYS_pidfd_send_signal, g->fd, sig, NULL,
		    PIDFD_SIGNAL_PROCESS_GROUP) == 0)
		return 1;
	if (g->fd < 0 || errno != ESRCH) {
		if (kill(-g->pgid, sig) == 0)
			return 1;
		if (errno != ESRCH)
			return 0;
	}
	g->gone = true;
	return 0;
}

/* Walks from reaper down, visiting with r. */
static void walk_kernel(struct kernel *k, void (*visit)(void *, const struct tree_node *),
			struct round *r)
{
	struct tree_node self = {.pid = getpid(), .fd = -1};

	if (!tree_walk(&kernel_ops, k, &self, visit, r))
		log_warn("out of memory walking the process tree");
	free(k->scan);
}

static void report_round(const struct round *r, int sig)
{
	char name[32], what[64];
	const char *s = r->reached == 1 ? "" : "s";

	if (!log_enabled(LOG_INFO) || r->reached == 0)
		return;
	if (sig == SIGKILL)
		snprintf(what, sizeof what, "killing %lu leftover%s", r->reached, s);
	else if (sig == SIGTERM)
		snprintf(what, sizeof what, "terminating %lu leftover%s", r->reached, s);
	else
		snprintf(what, sizeof what, "sending %s to %lu leftover%s",
			 signal_name(sig, name, sizeof name), r->reached, s);
	if (r->names.listed == 0)
		log_info("%s: the workload's group", what);
	else if (r->names.more == 0)
		log_info("%s: %s", what, r->names.text);
	else
		log_info("%s: %s, and %lu more", what, r->names.text, r->names.more);
}

/* What a signal to the group, or to all, does not itself do: SIGCONT
 * after it, so that a stopped process can act on it. */
static bool needs_cont(int sig)
{
	return sig != SIGKILL && sig != SIGCONT;
}

/* As PID 1, everything in the namespace but reaper itself. The walk,
 * first, only counts and names them: after the signal they would be
 * exiting and coming to reaper as it went. */
static void signal_namespace(int sig)
{
	if (kill(-1, sig) < 0 && errno != ESRCH)
		log_warn("kill -1: %m");
	if (needs_cont(sig))
		(void)kill(-1, SIGCONT);
}

unsigned long tree_signal(struct tree *t, int sig, struct tree_group *g)
{
	bool pid1 = getpid() == 1;
	struct round r = {.t = t, .sig = pid1 ? 0 : sig};
	struct kernel k;
	bool walkable = open_kernel(&k, t);

	if (walkable)
		walk_kernel(&k, signal_visited, &r);
	if (pid1) {
		signal_namespace(sig);
	} else if (!walkable) {
		log_info("no usable /proc: signalling the workload's group only");
		r.reached = signal_group(g, sig);
		if (r.reached != 0 && needs_cont(sig))
			(void)signal_group(g, SIGCONT);
	}
	report_round(&r, sig);
	return r.reached;
}

bool tree_others_alive(void)
{
	bool found = false;
	struct dirent *e;
	DIR *d;

	if (!proc_is_ours() || (d = opendir("/proc")) == NULL)
		return true;
	while (!found && (e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		pid_t pid = pid_at(&name);
		found = pid > 0 && *name == '\0' && pid != getpid();
	}
	closedir(d);
	return found;
}

/* Enough to find the daemon that leaked; the rest are counted. */
#define MAX_NAMED 20

static void report_left(void *ctx, const struct tree_node *n)
{
	struct round *r = ctx;
	int err = signal_node(r->t, n, 0);

	if (err == ESRCH)
		return;
	if (r->reached++ < MAX_NAMED)
		log_warn("giving up on %d (%s): %s", (int)n->pid, n->name,
			 err != 0 ? strerror(err) : "still running after SIGKILL");
}

void tree_give_up(struct tree *t)
{
	struct round r = {.t = t};
	struct kernel k;

	if (!open_kernel(&k, t)) {
		log_warn("giving up on descendants out of reach without /proc");
		return;
	}
	walk_kernel(&k, report_left, &r);
	if (r.reached > MAX_NAMED)
		log_warn("giving up on %lu more", r.reached - MAX_NAMED);
}
