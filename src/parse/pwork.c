/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pwork.c - a parsing thread's arena, scratch and diagnostics */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "session.h"
#include "parse/pp.h"
#include "parse/pwork.h"
#include "util/xalloc.h"

struct pwork *pw_main(struct session *s)
{
	struct pwork *w = &pp_state(s)->main;

	if (!w->s) {
		w->s = s;
		w->arena = &s->arena;
	}
	return w;
}

void pw_init_worker(struct pwork *w, struct session *s)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->arena = &w->own;
	w->own.first = (size_t)2 << 20;	/* a library's share: huge pages at once */
	w->quiet = true;
}

void pw_release(struct pwork *w)
{
	for (int i = 0; i < w->pool_n; i++)
		free(w->pool[i]);
	free(w->pool);
	w->pool = NULL;
	w->pool_n = 0;
}

void pw_error(struct pwork *w, const struct src_loc *loc, const char *fmt, ...)
{
	va_list ap;
	char buf[512], *msg = buf;
	int n;

	w->errors++;
	if (w->quiet)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		msg = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	diag(w->s, "parse error", loc, "%s", n < 0 ? "" : msg);
	if (msg != buf)
		free(msg);
}
