#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"
#include "tree.h"

static bool in(const struct tree_proc *p, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].pid == pid)
			return p[i].in;
	ck_abort_msg("pid %d not listed", (int)pid);
	return false;
}

START_TEST(closure_over_parents)
{
	/* 10 is reaper. 12 -> 30 -> 5 runs against pid order (a wrapped
	 * pid counter); 40's parent 99 is not listed; 1 and 2 are others. */
	struct tree_proc p[] = {
		{1, 0, 0, true}, {2, 1, 0, false}, {10, 1, 0, false}, {11, 10, 0, false},
		{12, 10, 0, false}, {30, 12, 0, false}, {5, 30, 0, false},
		{40, 99, 0, false}, {41, 2, 0, false}, {13, 11, 0, false},
	};
	size_t n = sizeof p / sizeof p[0];

	ck_assert_uint_eq(tree_closure(10, p, n), 5);
	ck_assert(in(p, n, 11) && in(p, n, 12) && in(p, n, 13));
	ck_assert(in(p, n, 30) && in(p, n, 5));
	ck_assert(!in(p, n, 10) && !in(p, n, 1) && !in(p, n, 2));
	ck_assert(!in(p, n, 40) && !in(p, n, 41));
}
END_TEST

START_TEST(no_descendants)
{
	struct tree_proc p[] = {{1, 0, 0, false}, {10, 1, 0, false}};

	ck_assert_uint_eq(tree_closure(10, p, 2), 0);
	ck_assert_uint_eq(tree_closure(10, p, 0), 0);
}
END_TEST

/* The 22nd field of /proc/PID/stat. */
static unsigned long long start_of(pid_t pid)
{
	char path[64], buf[1024];
	const char *s;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	s = strrchr(buf, ')') + 2;
	for (int field = 3; field < 22; field++)
		s = strchr(s, ' ') + 1;
	return strtoull(s, NULL, 10);
}

START_TEST(a_recycled_pid_is_never_signalled)
{
	pid_t child = fork();
	unsigned long long start;
	int status;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	start = start_of(child);
	/* Another start time at the same pid: what a pid taken by a new
	 * process since the walk looks like. It is left alone. */
	ck_assert(!tree_signal_if_same(child, start + 1, SIGKILL));
	ck_assert_int_eq(waitpid(child, &status, WNOHANG), 0);
	/* The process the walk saw is signalled. */
	ck_assert(tree_signal_if_same(child, start, SIGKILL));
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* Gone and reaped: nothing there to signal. */
	ck_assert(!tree_signal_if_same(child, start, SIGKILL));
}
END_TEST

/* What tree_read_pids handed over. */
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
	tree_read_pids(sv[0], collect, g);
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
		closure_over_parents,
		no_descendants,
		a_recycled_pid_is_never_signalled,
		pids_cut_between_reads_come_whole,
		a_long_list_comes_whole,
		an_empty_list_or_garbage_names_none,
		NULL,
	};

	return run_tests("tree", 0, NULL, NULL, tests);
}
