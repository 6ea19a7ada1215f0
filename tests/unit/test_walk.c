#include <check.h>
#include <stdint.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"
#include "procfs.h"
#include "walk.h"

/* A world of processes for the walk, which a test can change while the
 * walk reads it, as the kernel's changes under reaper. A pin holds a
 * process's generation, as a pidfd holds the process and not its pid. */
struct fake {
	pid_t pid, ppid;
	int gen;
	bool alive;
};

struct world {
	struct fake procs[64];
	size_t n;
	int gens;
	/* Runs when the walk reads pid's children, before they are listed. */
	void (*meanwhile)(struct world *w, pid_t pid);
	/* Runs when the walk pins pid, before it looks. */
	void (*before_pin)(struct world *w, pid_t pid);
	/* Runs when the walk asks whether pid lives, before the answer. */
	void (*before_alive)(struct world *w, pid_t pid);
	/* Runs when the walk visits pid: as a signal would, it may end it. */
	void (*on_visit)(struct world *w, pid_t pid);
	pid_t visited[64];
	size_t nvisited;
};

static struct fake *find(struct world *w, pid_t pid)
{
	for (size_t i = w->n; i-- > 0;)
		if (w->procs[i].pid == pid && w->procs[i].alive)
			return &w->procs[i];
	return NULL;
}

static void spawn(struct world *w, pid_t pid, pid_t ppid)
{
	ck_assert_uint_lt(w->n, 64);
	w->procs[w->n++] = (struct fake){pid, ppid, ++w->gens, true};
}

/* pid ends; its children go to reaper (pid 1 here), their subreaper. */
static void end(struct world *w, pid_t pid)
{
	struct fake *f = find(w, pid);

	ck_assert_ptr_nonnull(f);
	f->alive = false;
	for (size_t i = 0; i < w->n; i++)
		if (w->procs[i].alive && w->procs[i].ppid == pid)
			w->procs[i].ppid = 1;
}

static enum walk_pin fake_pin(void *world, pid_t pid, struct walk_node *n)
{
	struct world *w = world;
	struct fake *f;

	if (w->before_pin != NULL)
		w->before_pin(w, pid);
	f = find(w, pid);

	if (f == NULL)
		return PIN_GONE;
	/* Each process its own start time, as the kernel's; the walk proves
	 * by the pin, not by them. */
	*n = (struct walk_node){.pid = pid, .ppid = f->ppid, .fd = f->gen,
				.start = (unsigned long long)f->gen};
	return PIN_OK;
}

static bool fake_alive(void *world, const struct walk_node *n)
{
	struct world *w = world;
	struct fake *f;

	if (w->before_alive != NULL)
		w->before_alive(w, n->pid);
	f = find(w, n->pid);
	return f != NULL && f->gen == n->fd;
}

static void fake_children(void *world, const struct walk_node *n,
			  struct walk_pids *out)
{
	struct world *w = world;
	pid_t pid = n->pid;

	if (w->meanwhile != NULL)
		w->meanwhile(w, pid);
	for (size_t i = 0; i < w->n; i++)
		if (w->procs[i].alive && w->procs[i].ppid == pid)
			ck_assert(walk_pids_add(out, w->procs[i].pid));
}

static void fake_unpin(void *world, struct walk_node *n)
{
	(void)world;
	n->fd = -1;
}

static const struct walk_ops fake_ops = {
	.pin = fake_pin,
	.alive = fake_alive,
	.children = fake_children,
	.unpin = fake_unpin,
};

static void record(void *ctx, const struct walk_node *n)
{
	struct world *w = ctx;

	ck_assert_uint_lt(w->nvisited, 64);
	w->visited[w->nvisited++] = n->pid;
	if (w->on_visit != NULL)
		w->on_visit(w, n->pid);
}

/* Walks w from reaper, pid 1, with seen kept from walks before. */
static void walk_seeing(struct world *w, struct walk_seen *seen)
{
	struct walk_node root = {.pid = 1, .fd = -1};
	struct walk_result r;

	w->nvisited = 0;
	r = walk_tree(&fake_ops, w, &root, seen, record, w);
	ck_assert(!r.out_of_memory);
	ck_assert_uint_eq(r.visited, w->nvisited);
}

static void walk(struct world *w)
{
	struct walk_seen seen = {0};

	walk_seeing(w, &seen);
	walk_seen_free(&seen);
}

static size_t visit_index(const struct world *w, pid_t pid)
{
	for (size_t i = 0; i < w->nvisited; i++)
		if (w->visited[i] == pid)
			return i;
	return SIZE_MAX;
}

static bool visited(const struct world *w, pid_t pid)
{
	return visit_index(w, pid) != SIZE_MAX;
}

/* Reaper is 1; 0 stands for whatever is outside its tree. */
static void tree_of_five(struct world *w)
{
	*w = (struct world){0};
	spawn(w, 1, 0);
	spawn(w, 20, 1);
	spawn(w, 30, 20);
	spawn(w, 5, 30);   /* pids against their order: a wrapped counter */
	spawn(w, 21, 1);
	spawn(w, 40, 21);
	spawn(w, 90, 0);   /* a stranger */
	spawn(w, 91, 90);  /* and its child */
}

START_TEST(every_descendant_is_visited_parents_first)
{
	static struct world w;

	tree_of_five(&w);
	walk(&w);
	ck_assert_uint_eq(w.nvisited, 5);
	ck_assert(visit_index(&w, 20) < visit_index(&w, 30));
	ck_assert(visit_index(&w, 30) < visit_index(&w, 5));
	ck_assert(visit_index(&w, 21) < visit_index(&w, 40));
	ck_assert(!visited(&w, 1) && !visited(&w, 90) && !visited(&w, 91));
}
END_TEST

/* 30 ends while the walk reads its children; its pid goes at once to a
 * stranger's new process, whose own child now lists under pid 30. The
 * walk pinned 30 before reading, sees after that the process it pinned
 * is gone, and drops what it read: neither the stranger nor its child is
 * visited, though the child's parent pid is one the walk found and all
 * start alike. */
static void reused_while_read(struct world *w, pid_t pid)
{
	if (pid != 30 || w->procs[2].pid != 30 || !w->procs[2].alive)
		return;
	end(w, 30);
	spawn(w, 30, 90);
	spawn(w, 95, 30);
}

START_TEST(a_pid_reused_while_its_children_are_read_is_not_followed)
{
	static struct world w;

	tree_of_five(&w);
	w.meanwhile = reused_while_read;
	walk(&w);
	ck_assert(!visited(&w, 95));
	/* Nor the 30 that was pinned: it ended before it was proven. Its
	 * child 5 went to reaper, and is found there. */
	ck_assert(!visited(&w, 30));
	ck_assert(visited(&w, 20) && visited(&w, 21) && visited(&w, 40));
	ck_assert(visited(&w, 5));
	ck_assert_uint_eq(w.nvisited, 4);
}
END_TEST

/* Once 20's children are read, 30 ends and its pid goes at once to a
 * new process of reuser's, which forks 96. */
static pid_t reuser;

static void reused_before_pinned(struct world *w, pid_t pid)
{
	if (pid != 20 || find(w, 95) != NULL)
		return;
	spawn(w, 95, 0); /* marks that this ran once */
	end(w, 30);
	spawn(w, 30, reuser);
	spawn(w, 96, 30);
}

/* A stranger took the pid before the walk pinned it: the stranger's
 * parent is no process the walk holds. */
START_TEST(a_pid_reused_before_it_is_pinned_is_not_visited)
{
	static struct world w;

	tree_of_five(&w);
	reuser = 90;
	w.meanwhile = reused_before_pinned;
	walk(&w);
	ck_assert(!visited(&w, 30) && !visited(&w, 96));
	/* 5, whose parent 30 ended, is reaper's now: found when reaper's
	 * children are read again. */
	ck_assert(visited(&w, 5));
	ck_assert(visited(&w, 20) && visited(&w, 21) && visited(&w, 40));
}
END_TEST

/* A new child of a walked process that takes a freed pid is as much a
 * descendant as the one before it. */
START_TEST(a_pid_reused_within_the_tree_is_visited)
{
	static struct world w;

	tree_of_five(&w);
	reuser = 20;
	w.meanwhile = reused_before_pinned;
	walk(&w);
	ck_assert(visited(&w, 30) && visited(&w, 96));
	/* Reaper's now, no longer under 30: found all the same. */
	ck_assert(visited(&w, 5));
	ck_assert_uint_eq(w.nvisited, 6);
}
END_TEST

/* When the walk comes to pin 30, 20, proven before, has ended; a stranger
 * took its pid, and a child of the stranger's took 30's: its parent pid is
 * one the walk holds, but the process the walk holds is gone. */
static void parent_and_child_reused(struct world *w, pid_t pid)
{
	if (pid != 30 || find(w, 95) != NULL)
		return;
	spawn(w, 95, 0); /* marks that this ran once */
	end(w, 30);
	end(w, 20);
	spawn(w, 20, 90);
	spawn(w, 30, 20);
}

START_TEST(a_parent_that_ended_since_it_was_proven_vouches_for_nothing)
{
	static struct world w;

	tree_of_five(&w);
	w.before_pin = parent_and_child_reused;
	walk(&w);
	ck_assert(visited(&w, 20)); /* the first 20, before it ended */
	ck_assert(!visited(&w, 30));
	ck_assert(visited(&w, 21) && visited(&w, 40));
}
END_TEST

/* 21 ends while its children are read: they are reaper's now, and are
 * found when reaper's children are read again; the walk does not stop. */
static void ends_while_read(struct world *w, pid_t pid)
{
	if (pid == 21 && find(w, 21) != NULL)
		end(w, 21);
}

START_TEST(a_parent_ending_during_the_walk_stops_nothing_else)
{
	static struct world w;

	tree_of_five(&w);
	w.meanwhile = ends_while_read;
	walk(&w);
	ck_assert(!visited(&w, 21));
	ck_assert(visited(&w, 40));
	ck_assert(visited(&w, 20) && visited(&w, 30) && visited(&w, 5));
}
END_TEST

/* 30 is pinned and its parent read as 20; then 20 ends, of the signal it
 * was sent, before the walk asks whether 20 lives: 20 vouches for
 * nothing. But 30 went to reaper meanwhile, and is found there, with 5
 * below it. */
static void parent_ends_before_its_proof(struct world *w, pid_t pid)
{
	if (pid == 20 && find(w, 20) != NULL && find(w, 20)->gen == 2 &&
	    w->nvisited > 0)
		end(w, 20);
}

START_TEST(a_parent_ending_before_its_childs_proof_leaves_no_child_behind)
{
	static struct world w;

	tree_of_five(&w);
	w.before_alive = parent_ends_before_its_proof;
	walk(&w);
	ck_assert(visited(&w, 20) && visited(&w, 30) && visited(&w, 5));
	ck_assert(visited(&w, 21) && visited(&w, 40));
	ck_assert_uint_eq(w.nvisited, 5);
}
END_TEST

/* Each process dies as it is visited, as a chain of shells does of
 * SIGTERM: its child goes to reaper before the walk gets to it. */
static void dies_of_its_visit(struct world *w, pid_t pid)
{
	end(w, pid);
}

START_TEST(a_chain_dying_of_its_signal_is_walked_whole)
{
	static struct world w;

	spawn(&w, 1, 0);
	for (pid_t pid = 10; pid < 40; pid++)
		spawn(&w, pid, pid == 10 ? 1 : pid - 1);
	spawn(&w, 90, 0);
	w.on_visit = dies_of_its_visit;
	walk(&w);
	ck_assert_uint_eq(w.nvisited, 30);
	for (pid_t pid = 10; pid < 40; pid++)
		ck_assert_uint_eq(visit_index(&w, pid), (size_t)(pid - 10));
	ck_assert(!visited(&w, 90));
}
END_TEST

/* The walks of one cleanup share what they have seen: a later walk
 * visits only what is new, such as a child reaper gained since. */
START_TEST(a_later_walk_visits_only_the_new)
{
	static struct world w;
	struct walk_seen seen = {0};

	tree_of_five(&w);
	walk_seeing(&w, &seen);
	ck_assert_uint_eq(w.nvisited, 5);
	end(&w, 20); /* 30 goes to reaper: seen already */
	spawn(&w, 60, 1);
	spawn(&w, 61, 60);
	walk_seeing(&w, &seen);
	ck_assert_uint_eq(w.nvisited, 2);
	ck_assert(visited(&w, 60) && visited(&w, 61));
	walk_seen_free(&seen);
}
END_TEST

/* A process whose /proc cannot be read is counted, not taken as gone. */
static enum walk_pin unreadable_pin(void *world, pid_t pid, struct walk_node *n)
{
	return pid == 30 ? PIN_UNREADABLE : fake_pin(world, pid, n);
}

START_TEST(an_unreadable_process_is_counted)
{
	static struct world w;
	struct walk_ops ops = fake_ops;
	struct walk_node root = {.pid = 1, .fd = -1};
	struct walk_seen seen = {0};
	struct walk_result r;

	tree_of_five(&w);
	ops.pin = unreadable_pin;
	r = walk_tree(&ops, &w, &root, &seen, record, &w);
	ck_assert_uint_eq(r.unreadable, 1);
	ck_assert_uint_eq(r.visited, 3);
	ck_assert(!visited(&w, 30) && !visited(&w, 5));
	walk_seen_free(&seen);
}
END_TEST

START_TEST(nothing_to_visit)
{
	static struct world w;

	spawn(&w, 1, 0);
	spawn(&w, 90, 0);
	walk(&w);
	ck_assert_uint_eq(w.nvisited, 0);
}
END_TEST

/* What procfs_read_pids handed over. */
struct got {
	pid_t pids[4096];
	size_t n;
};

static void collect(pid_t pid, void *ctx)
{
	struct got *g = ctx;

	ck_assert_uint_lt(g->n, 4096);
	g->pids[g->n++] = pid;
}

/* Each piece is one read: a SOCK_SEQPACKET read returns one write. */
static void read_pieces(const char *const pieces[], size_t n, struct got *g)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(write(sv[1], pieces[i], strlen(pieces[i])),
				 (ssize_t)strlen(pieces[i]));
	close(sv[1]);
	g->n = 0;
	procfs_read_pids(sv[0], collect, g);
	close(sv[0]);
}

START_TEST(pids_cut_between_reads_come_whole)
{
	const char *const pieces[] = {"1 22 3", "33 4", "44\n5", "55 6666", "6",
				      "7\n", "8"};
	const pid_t want[] = {1, 22, 333, 444, 555, 666667, 8};
	static struct got g;

	read_pieces(pieces, 7, &g);
	ck_assert_uint_eq(g.n, 7);
	for (size_t i = 0; i < 7; i++)
		ck_assert_int_eq(g.pids[i], want[i]);
}
END_TEST

/* Thousands of children: the list runs over many reads and the buffer's
 * length, each read cutting a pid. */
START_TEST(a_long_list_comes_whole)
{
	static char list[4000 * 8], *pieces[64];
	static struct got g;
	size_t len = 0, n = 0;

	for (int pid = 100000; pid < 104000; pid++)
		len += (size_t)sprintf(list + len, "%d ", pid);
	/* 997-byte pieces, a prime: the cuts fall at every place in a pid. */
	for (size_t at = 0; at < len; at += 997) {
		char *piece = strndup(list + at, 997);
		ck_assert_ptr_nonnull(piece);
		pieces[n++] = piece;
	}
	read_pieces((const char *const *)pieces, n, &g);
	ck_assert_uint_eq(g.n, 4000);
	for (size_t i = 0; i < 4000; i++)
		ck_assert_int_eq(g.pids[i], 100000 + (pid_t)i);
	for (size_t i = 0; i < n; i++)
		free(pieces[i]);
}
END_TEST

START_TEST(an_empty_list_or_garbage_names_none)
{
	const char *const empty[] = {""}, *const garbage[] = {"12 x4 56"};
	static struct got g;

	read_pieces(empty, 0, &g);
	ck_assert_uint_eq(g.n, 0);
	read_pieces(garbage, 1, &g);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_int_eq(g.pids[0], 12);
}
END_TEST

int main(void)
{
	const TTest *const tests[] = {
		every_descendant_is_visited_parents_first,
		a_pid_reused_while_its_children_are_read_is_not_followed,
		a_pid_reused_before_it_is_pinned_is_not_visited,
		a_pid_reused_within_the_tree_is_visited,
		a_parent_ending_during_the_walk_stops_nothing_else,
		a_parent_that_ended_since_it_was_proven_vouches_for_nothing,
		a_parent_ending_before_its_childs_proof_leaves_no_child_behind,
		a_chain_dying_of_its_signal_is_walked_whole,
		a_later_walk_visits_only_the_new,
		an_unreadable_process_is_counted,
		nothing_to_visit,
		pids_cut_between_reads_come_whole,
		a_long_list_comes_whole,
		an_empty_list_or_garbage_names_none,
		NULL,
	};

	return run_tests("walk", 0, NULL, NULL, tests);
}
