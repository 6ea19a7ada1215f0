#include "walk.h"

#include <stdint.h>
#include <stdlib.h>

/* A fork bomb could grow the tree as fast as it is walked: a walk ends
 * after this many visits (the kernel's own ceiling on pids). */
#define MAX_VISITS 4194304

bool walk_pids_add(struct walk_pids *l, pid_t pid)
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

/* seen is a hash set, open addressing on the pid; pid 0 marks a free
 * slot, and its size is a power of two kept at most half full. */
static size_t slot_of(const struct walk_seen *s, pid_t pid,
		      unsigned long long start)
{
	size_t i = ((size_t)pid * 2654435761u) & (s->cap - 1);

	while (s->v[i].pid != 0 && !(s->v[i].pid == pid && s->v[i].start == start))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Any process seen with this pid. Two processes alive at once never
 * share a pid, so none alive since the walks began is passed over: only
 * one that took the pid of a seen one since, which the next SIGKILL round,
 * walking afresh, reaches. This spares pinning again what was seen. */
static bool seen_pid(const struct walk_seen *s, pid_t pid)
{
	if (s->cap == 0)
		return false;
	for (size_t i = ((size_t)pid * 2654435761u) & (s->cap - 1);
	     s->v[i].pid != 0; i = (i + 1) & (s->cap - 1))
		if (s->v[i].pid == pid)
			return true;
	return false;
}

static bool seen_grow(struct walk_seen *s)
{
	struct walk_seen bigger = {.cap = s->cap ? s->cap * 2 : 64};

	if ((bigger.v = calloc(bigger.cap, sizeof *bigger.v)) == NULL)
		return false;
	for (size_t i = 0; i < s->cap; i++)
		if (s->v[i].pid != 0)
			bigger.v[slot_of(&bigger, s->v[i].pid, s->v[i].start)] = s->v[i];
	bigger.n = s->n;
	free(s->v);
	*s = bigger;
	return true;
}

static bool seen_add(struct walk_seen *s, const struct walk_node *n)
{
	if (2 * (s->n + 1) > s->cap && !seen_grow(s))
		return false;
	s->v[slot_of(s, n->pid, n->start)] =
		(struct walk_mark){n->pid, n->start};
	s->n++;
	return true;
}

void walk_seen_free(struct walk_seen *s)
{
	free(s->v);
	*s = (struct walk_seen){0};
}

/* One process the walk holds, and the children it has yet to visit. */
struct frame {
	struct walk_node node;
	struct walk_pids kids;
	size_t next;
};

struct walk {
	const struct walk_ops *ops;
	void *world;
	struct walk_seen *seen;
	struct frame *stack;
	size_t depth, cap;
	struct walk_result result;
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

static bool push(struct walk *w, const struct walk_node *n,
		 struct walk_pids kids)
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

/* Proves pid a descendant not seen before, and pins it; its children,
 * read meanwhile, go to kids. */
static bool prove(struct walk *w, pid_t pid, struct walk_node *n,
		  struct walk_pids *kids)
{
	enum walk_pin pinned;

	*kids = (struct walk_pids){0};
	if (seen_pid(w->seen, pid))
		return false;
	if ((pinned = w->ops->pin(w->world, pid, n)) == PIN_UNREADABLE)
		w->result.unreadable++;
	if (pinned != PIN_OK)
		return false;
	if (held_parent(w, n->ppid)) {
		w->ops->children(w->world, n, kids);
		if (w->ops->alive(w->world, n))
			return true;
	}
	w->ops->unpin(w->world, n);
	free(kids->v);
	return false;
}

/* Reaper's children are read again once all were walked: those whose
 * parent died under the walk came to reaper meanwhile. Only new ones
 * count: the others are seen, and skipped. */
static bool reread_root(struct walk *w, unsigned long visits_before)
{
	struct frame *root = &w->stack[0];

	if (w->result.visited == visits_before)
		return false;
	root->kids.n = 0;
	root->next = 0;
	w->ops->children(w->world, &root->node, &root->kids);
	return root->kids.n > 0;
}

static void walk_from_top(struct walk *w,
			  void (*visit)(void *ctx, const struct walk_node *n),
			  void *ctx)
{
	unsigned long since_reread = 0;

	while (w->depth > 0 && w->result.visited < MAX_VISITS) {
		struct frame *top = &w->stack[w->depth - 1];
		struct walk_pids kids;
		struct walk_node n;
		if (top->next == top->kids.n) {
			if (w->depth > 1)
				pop(w);
			else if (!reread_root(w, since_reread))
				return;
			else
				since_reread = w->result.visited;
			continue;
		}
		if (!prove(w, top->kids.v[top->next++], &n, &kids))
			continue;
		if (!seen_add(w->seen, &n) || !push(w, &n, kids)) {
			w->ops->unpin(w->world, &n);
			free(kids.v);
			w->result.out_of_memory = true;
			return;
		}
		w->result.visited++;
		visit(ctx, &n);
	}
}

struct walk_result walk_tree(const struct walk_ops *ops, void *world,
			     const struct walk_node *root, struct walk_seen *seen,
			     void (*visit)(void *ctx, const struct walk_node *n),
			     void *ctx)
{
	struct walk w = {.ops = ops, .world = world, .seen = seen};
	struct walk_pids kids = {0};

	ops->children(world, root, &kids);
	if (push(&w, root, kids))
		walk_from_top(&w, visit, ctx);
	else
		w.result.out_of_memory = true;
	free(w.depth == 0 ? kids.v : NULL);
	while (w.depth > 0)
		pop(&w);
	free(w.stack);
	return w.result;
}
