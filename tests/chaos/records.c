#include "records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add(struct records *r, const struct record *one)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct record *v = realloc(r->v, cap * sizeof *v);
		if (v == NULL)
			return false;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *one;
	return true;
}

/* "T ID PID [ARG] TIME": the argument is there when two numbers follow
 * the pid. */
static bool parse(const char *line, struct record *out)
{
	unsigned long long a, b;
	int n;

	*out = (struct record){0};
	n = sscanf(line, "%c %47s %d %llu %llu", &out->type, out->id, &out->pid,
		   &a, &b);
	if (n == 4) {
		out->at = a;
	} else if (n == 5) {
		out->arg = (long)a;
		out->at = b;
	} else {
		return false;
	}
	return strchr("SRGDXF", out->type) != NULL;
}

bool records_read(struct records *r, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[160];
	struct record one;

	*r = (struct records){0};
	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL)
		if (strchr(line, '\n') != NULL && parse(line, &one) && !add(r, &one))
			break;
	fclose(f);
	return true;
}

void records_free(struct records *r)
{
	free(r->v);
	*r = (struct records){0};
}

static bool named(const char *id, const char *name, bool below)
{
	size_t n = strlen(name);

	return strncmp(id, name, n) == 0 &&
	       (id[n] == '\0' || (below && id[n] == '.'));
}

static bool same(const struct record *x, const struct node *n)
{
	return x->pid == n->pid && strcmp(x->id, n->id) == 0 && x->at >= n->started;
}

static void live(const struct records *r, struct node *n, size_t from)
{
	for (size_t i = from; i < r->n; i++) {
		const struct record *x = &r->v[i];
		if (x->type == 'S' && x->pid == n->pid && strcmp(x->id, n->id) == 0)
			break; /* the same node again: a later run, the pid reused */
		if (!same(x, n))
			continue;
		if (x->type == 'R')
			n->ready = x->at;
		if (x->type == 'G' && x->arg >= 1 && x->arg <= 64)
			n->signals |= 1ULL << (x->arg - 1);
		if ((x->type == 'X' || x->type == 'D') && n->end == 0) {
			n->end = x->type;
			n->end_arg = x->arg;
			n->ended = x->at;
		}
	}
}

size_t records_nodes(const struct records *r, const char *id, bool below,
		     struct node *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n && n < max; i++) {
		const struct record *x = &r->v[i];
		if (x->type != 'S' || !named(x->id, id, below))
			continue;
		out[n] = (struct node){.id = x->id, .pid = x->pid, .started = x->at};
		live(r, &out[n++], i + 1);
	}
	return n;
}

int records_count(const struct records *r, const struct node *n, int sig,
		  uint64_t from)
{
	int count = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct record *x = &r->v[i];
		if (x->type == 'G' && x->arg == sig && x->at >= from && same(x, n) &&
		    (n->end == 0 || x->at <= n->ended))
			count++;
	}
	return count;
}
