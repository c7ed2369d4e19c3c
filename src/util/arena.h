/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arena.h - bump allocator; everything is freed at once with arena_free */
#ifndef STAP_ARENA_H
#define STAP_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t first;	/* size of the first block to map (0: 64 KiB) */
};

void *arena_alloc(struct arena *a, size_t n);	/* zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);
/* give src's memory to dst (freed with it); src is left empty.  dst keeps
 * serving allocations from its current block */
void arena_merge(struct arena *dst, struct arena *src);

#define arena_new(a, T) ((T *)arena_alloc((a), sizeof(T)))

#endif
