/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "session.h"

static void show_line(const struct src_loc *loc)
{
	const char *p = loc->file->text, *end;
	int line = 1;

	if (!p)
		return;
	while (line < loc->line && *p) {
		if (*p++ == '\n')
			line++;
	}
	end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	fprintf(stderr, "    %.*s\n    ", (int)(end - p), p);
	for (int i = 1; i < loc->col && p + i - 1 < end; i++)
		fputc(p[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

static void vdiag(const char *kind, const struct src_loc *loc,
		  const char *fmt, va_list ap)
{
	if (loc && loc->file)
		fprintf(stderr, "%s:%d:%d: %s: ", loc->file->name, loc->line,
			loc->col, kind);
	else
		fprintf(stderr, "%s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (loc && loc->file)
		show_line(loc);
}

static bool count(struct session *s, const char *kind)
{
	if (strstr(kind, "warning")) {
		if (s->no_warnings)
			return false;
		s->warnings++;
		if (s->warnings_fatal)
			s->errors++;
	} else if (!strstr(kind, "note")) {
		s->errors++;
	}
	return true;
}

void diag(struct session *s, const char *kind, const struct src_loc *loc,
	  const char *fmt, ...)
{
	va_list ap;

	if (!count(s, kind))
		return;
	va_start(ap, fmt);
	vdiag(kind, loc, fmt, ap);
	va_end(ap);
}

void diag_note(struct session *s, const struct src_loc *loc, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	va_start(ap, fmt);
	vdiag("note", loc, fmt, ap);
	va_end(ap);
}

void diag_plain(struct session *s, const char *kind, const char *fmt, ...)
{
	va_list ap;

	if (!count(s, kind))
		return;
	va_start(ap, fmt);
	vdiag(kind, NULL, fmt, ap);
	va_end(ap);
}
