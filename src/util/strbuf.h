/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strbuf.h - growable string */
#ifndef STAP_STRBUF_H
#define STAP_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);
/* never NULL */
#define sb_str(sb) ((sb)->s ? (sb)->s : "")

#endif
