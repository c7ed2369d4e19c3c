/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arena.h - bump allocator; everything is freed at once with arena_free */
#ifndef STAP_ARENA_H
#define STAP_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t first;	/* size of the first block to map (0: 64 KiB) */
	unsigned char *cur, *end;	/* the free part of head's block */
};

void *arena_alloc_slow(struct arena *a, size_t n);

/* zeroed, 16-byte aligned; the usual case inline (the parser allocates
 * every AST node here) */
static inline void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if ((size_t)(a->end - a->cur) > n - 1) {	/* n == 0: the slow path */
		void *p = a->cur;

		a->cur += n;
		return p;
	}
	return arena_alloc_slow(a, n);
}
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);
/* give src's memory to dst (freed with it); src is left empty.  dst keeps
 * serving allocations from its current block */
void arena_merge(struct arena *dst, struct arena *src);

#define arena_new(a, T) ((T *)arena_alloc((a), sizeof(T)))

#endif
