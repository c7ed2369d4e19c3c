/* SPDX-License-Identifier: GPL-2.0-or-later */
/* similar.c - nearest names by Levenshtein distance */
#include <stdlib.h>
#include <string.h>

#include "symbols/similar.h"
#include "util/strbuf.h"
#include "util/vec.h"

#define NBEST 5

/* edit distance, giving up (returning limit + 1) past limit */
static int distance(const char *a, const char *b, int limit)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int row[256], prev, tmp;

	if (lb >= 255 || abs(la - lb) > limit)
		return limit + 1;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int best;

		prev = row[0];
		row[0] = i;
		best = i;
		for (int j = 1; j <= lb; j++) {
			int v = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			tmp = row[j];
			row[j] = v;
			prev = tmp;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

char *similar_names(const char *name, const struct vec *cands)
{
	const char *best[NBEST];
	int dist[NBEST], nb = 0;
	int limit = (int)strlen(name) / 2 + 1;
	struct strbuf sb = { 0 };

	vec_each(cands, i) {
		const char *c = cands->v[i];
		int lim = nb == NBEST ? dist[NBEST - 1] - 1 : limit;
		int d, k;

		if (lim < 0)
			continue;
		d = distance(name, c, lim);
		if (d > lim)
			continue;
		for (k = 0; k < nb; k++)
			if (!strcmp(best[k], c))
				break;
		if (k < nb)
			continue;
		k = nb < NBEST ? nb++ : NBEST - 1;
		while (k > 0 && dist[k - 1] > d) {
			best[k] = best[k - 1];
			dist[k] = dist[k - 1];
			k--;
		}
		best[k] = c;
		dist[k] = d;
	}
	if (!nb)
		return NULL;
	for (int i = 0; i < nb; i++) {
		if (i)
			sb_puts(&sb, ", ");
		sb_puts(&sb, best[i]);
	}
	return sb.s;
}
