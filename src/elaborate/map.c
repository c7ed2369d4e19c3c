/* SPDX-License-Identifier: GPL-2.0-or-later */
/* map.c - small chained hash maps: string keys or pointer keys */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elaborate/elab_int.h"
#include "util/xalloc.h"

struct map_ent {
	const void *key;
	void *val;
	struct map_ent *next;
};

static uint32_t hash_key(const struct map *m, const void *key)
{
	uint32_t h = 2166136261u;

	if (m->ptr_keys) {
		uintptr_t p = (uintptr_t)key;

		return (uint32_t)(p ^ (p >> 17) ^ (p >> 31)) * 2654435761u;
	}
	for (const unsigned char *s = key; *s; s++)
		h = (h ^ *s) * 16777619u;
	return h;
}

static bool same(const struct map *m, const void *a, const void *b)
{
	return m->ptr_keys ? a == b : !strcmp(a, b);
}

void *map_get(const struct map *m, const void *key)
{
	if (!m->cap)
		return NULL;
	for (struct map_ent *e = m->b[hash_key(m, key) & (m->cap - 1)]; e; e = e->next)
		if (same(m, e->key, key))
			return e->val;
	return NULL;
}

static void grow(struct map *m)
{
	int ncap = m->cap ? m->cap * 2 : 64;
	struct map_ent **nb = xcalloc(ncap, sizeof(*nb));

	for (int i = 0; i < m->cap; i++) {
		struct map_ent *e = m->b[i], *next;

		for (; e; e = next) {
			uint32_t h = hash_key(m, e->key) & (ncap - 1);

			next = e->next;
			e->next = nb[h];
			nb[h] = e;
		}
	}
	free(m->b);
	m->b = nb;
	m->cap = ncap;
}

void map_put(struct map *m, const void *key, void *val)
{
	struct map_ent *e;
	uint32_t h;

	if (m->cap) {
		for (e = m->b[hash_key(m, key) & (m->cap - 1)]; e; e = e->next) {
			if (same(m, e->key, key)) {
				e->val = val;
				return;
			}
		}
	}
	if (m->n * 2 >= m->cap)
		grow(m);
	h = hash_key(m, key) & (m->cap - 1);
	e = xmalloc(sizeof(*e));
	e->key = key;
	e->val = val;
	e->next = m->b[h];
	m->b[h] = e;
	m->n++;
}

void map_free(struct map *m)
{
	for (int i = 0; i < m->cap; i++) {
		struct map_ent *e = m->b[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(m->b);
	m->b = NULL;
	m->cap = m->n = 0;
}
