/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xalloc.h - allocation that never returns NULL (out of memory aborts) */
#ifndef STAP_XALLOC_H
#define STAP_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
