/* SPDX-License-Identifier: GPL-2.0-or-later */
/* suggest.c - "similar: a, b, c" suggestions by edit distance */
#include <stdlib.h>
#include <string.h>

#include "elaborate/elab_int.h"
#include "util/arena.h"

static int distance(const char *a, const char *b)
{
	int la = strlen(a), lb = strlen(b);
	int *prev = calloc(lb + 1, sizeof(int)), *cur = calloc(lb + 1, sizeof(int));
	int r;

	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++) {
		cur[0] = i;
		for (int j = 1; j <= lb; j++) {
			int c = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	r = prev[lb];
	free(prev);
	free(cur);
	return r;
}

struct cand {
	const char *name;
	int d;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->d != y->d)
		return x->d - y->d;
	return strcmp(x->name, y->name);
}

const char *suggest(struct elab *E, const char *name, struct vec *cands)
{
	struct cand *c = calloc(cands->n + 1, sizeof(*c));
	struct strbuf sb = { 0 };
	int n = 0, shown = 0, maxd = (int)strlen(name) / 2 + 2;
	const char *r = NULL;

	vec_each(cands, i) {
		const char *s = vec_get(cands, i);
		bool dup = false;

		if (strchr(s, '*'))
			continue;
		for (int k = 0; k < n && !dup; k++)
			dup = !strcmp(c[k].name, s);
		if (dup)
			continue;
		c[n].name = s;
		c[n].d = distance(name, s);
		if (c[n].d <= maxd)
			n++;
	}
	qsort(c, n, sizeof(*c), cmp_cand);
	for (int k = 0; k < n && shown < 5; k++, shown++) {
		if (shown)
			sb_puts(&sb, ", ");
		sb_puts(&sb, c[k].name);
	}
	if (shown)
		r = arena_strdup(E->A, sb_str(&sb));
	sb_free(&sb);
	free(c);
	return r;
}
