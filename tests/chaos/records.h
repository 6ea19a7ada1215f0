/* What the tree's nodes wrote to the scenario's report file
 * (tests/helpers/nodes.h), read back, and the questions asked of it. */
#ifndef CHAOS_RECORDS_H
#define CHAOS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct record {
	char type;     /* S R G D X F */
	char id[48];
	int pid;       /* as the node saw itself */
	long arg;      /* G, D: the signal; X: the code */
	uint64_t at;   /* µs, monotonic */
};

struct records {
	struct record *v;
	size_t n, cap;
};

/* Reads path's whole lines; false when it cannot be read. */
bool records_read(struct records *r, const char *path);
void records_free(struct records *r);

/* One node's life, from its lines: one run of the root counts as one. */
struct node {
	const char *id;
	int pid;
	uint64_t started;
	uint64_t ready;  /* a root's tree was built (its R line), or 0 */
	char end;        /* 'X', 'D', or 0: killed by SIGKILL (or alive) */
	long end_arg;
	uint64_t ended;
	uint64_t signals; /* bit N-1: it received signal N (N <= 64) */
};

/* The nodes named id ("r", "j0"), and with below those under it too: one
 * for each S line, in their order; returns how many, at most max. */
size_t records_nodes(const struct records *r, const char *id, bool below,
		     struct node *out, size_t max);

/* How many times node received sig after (or at) the time from. */
int records_count(const struct records *r, const struct node *n, int sig,
		  uint64_t from);

#endif
