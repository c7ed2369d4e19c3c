/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"
#include "util/xalloc.h"

void vec_push(struct vec *vec, void *p)
{
	if (vec->cap < 0) {
		void **v;

		if (vec->n < -vec->cap) {
			vec->v[vec->n++] = p;
			return;
		}
		v = xmalloc(sizeof(void *) * (size_t)(vec->n * 2));
		memcpy(v, vec->v, sizeof(void *) * (size_t)vec->n);
		vec->v = v;
		vec->cap = vec->n * 2;
	}
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 4;
		vec->v = xrealloc(vec->v, sizeof(void *) * (size_t)vec->cap);
	}
	vec->v[vec->n++] = p;
}

void vec_free(struct vec *vec)
{
	if (vec->cap > 0)
		free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}
