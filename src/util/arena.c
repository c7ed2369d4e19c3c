/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#include "util/arena.h"
#include "util/xalloc.h"

/*
 * Blocks come straight from mmap: they start zeroed, so allocations need no
 * memset (the arena never reuses memory).  Block sizes grow geometrically up
 * to 2 MiB; those are 2 MiB-aligned and marked for transparent huge pages,
 * so a large session (pass 1 of a big script or of the tapset library)
 * takes one page fault per 2 MiB instead of one per 4 KiB.
 */
struct arena_block {
	struct arena_block *next;
	size_t size;		/* usable bytes of data[] (struct arena has
				   the free part of the head's) */
	size_t map;		/* bytes mapped, header included */
	_Alignas(16) unsigned char data[];
};

#define ARENA_MIN	((size_t)64 << 10)
#define ARENA_HUGE	((size_t)2 << 20)

static void *map_block(size_t map)
{
	void *p;

	if (map < ARENA_HUGE) {
		p = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	} else {
		/* over-map, then trim to a 2 MiB-aligned range */
		char *raw = mmap(NULL, map + ARENA_HUGE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *al;

		if (raw == MAP_FAILED)
			return NULL;
		al = (char *)(((uintptr_t)raw + ARENA_HUGE - 1) & ~(uintptr_t)(ARENA_HUGE - 1));
		if (al > raw)
			munmap(raw, (size_t)(al - raw));
		if (al + map < raw + map + ARENA_HUGE)
			munmap(al + map, (size_t)(raw + map + ARENA_HUGE - (al + map)));
		madvise(al, map, MADV_HUGEPAGE);
		p = al;
	}
	return p == MAP_FAILED ? NULL : p;
}

static struct arena_block *new_block(struct arena *a, size_t n)
{
	struct arena_block *b, *head = a->head;
	size_t want = head ? head->map * 2 : a->first ? a->first : ARENA_MIN;
	size_t map, round;

	if (want > ARENA_HUGE)
		want = ARENA_HUGE;
	map = sizeof(*b) + n;
	round = map >= ARENA_HUGE || want >= ARENA_HUGE ? ARENA_HUGE : 4096;
	if (map < want)
		map = want;
	map = (map + round - 1) & ~(round - 1);
	b = map_block(map);
	if (!b) {
		fprintf(stderr, "stap: out of memory\n");
		abort();
	}
	b->map = map;
	b->size = map - sizeof(*b);
	/* a large request gets its own block behind the current one, which
	 * keeps serving the small ones */
	if (head && n > want / 4 && a->end - a->cur >= 4096) {
		b->next = head->next;
		head->next = b;
	} else {
		b->next = head;
		a->head = b;
		a->cur = b->data + n;
		a->end = b->data + b->size;
	}
	return b;
}

/* n rounded already; the current block is too full (or there is none) */
void *arena_alloc_slow(struct arena *a, size_t n)
{
	return new_block(a, n)->data;	/* zero: fresh mapped memory */
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_free(struct arena *a)
{
	while (a->head) {
		struct arena_block *b = a->head;

		a->head = b->next;
		munmap(b, b->map);
	}
	a->cur = a->end = NULL;
}

void arena_merge(struct arena *dst, struct arena *src)
{
	struct arena_block *last = src->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	if (dst->head) {
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
		dst->cur = src->cur;
		dst->end = src->end;
	}
	src->head = NULL;
	src->cur = src->end = NULL;
}
