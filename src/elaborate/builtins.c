/* SPDX-License-Identifier: GPL-2.0-or-later */
/* builtins.c - the table of intrinsics and printf-format parsing */
#include <string.h>

#include "elaborate/builtins.h"

#define V BI_VOID
#define O BI_OVERRIDABLE

const struct builtin builtins[] = {
	{ "print",	BI_PRINT,	TY_VOID,   "",    0, -1, V | BI_VARIADIC | BI_HIST_OK },
	{ "println",	BI_PRINTLN,	TY_VOID,   "",    0, -1, V | BI_VARIADIC | BI_HIST_OK },
	{ "sprint",	BI_SPRINT,	TY_STRING, "",    0, -1, BI_VARIADIC },
	{ "sprintln",	BI_SPRINTLN,	TY_STRING, "",    0, -1, BI_VARIADIC },
	{ "printf",	BI_PRINTF,	TY_VOID,   "s",   1, -1, V | BI_FORMAT },
	{ "sprintf",	BI_SPRINTF,	TY_STRING, "s",   1, -1, BI_FORMAT },
	{ "printd",	BI_PRINTD,	TY_VOID,   "s",   1, -1, V | BI_DELIM | BI_VARIADIC },
	{ "printdln",	BI_PRINTDLN,	TY_VOID,   "s",   1, -1, V | BI_DELIM | BI_VARIADIC },
	{ "sprintd",	BI_SPRINTD,	TY_STRING, "s",   1, -1, BI_DELIM | BI_VARIADIC },
	{ "sprintdln",	BI_SPRINTDLN,	TY_STRING, "s",   1, -1, BI_DELIM | BI_VARIADIC },
	{ "exit",	BI_EXIT,	TY_VOID,   "",    0, 0, O },
	{ "error",	BI_ERROR,	TY_VOID,   "s",   1, 1, O },
	{ "warn",	BI_WARN,	TY_VOID,   "s",   1, 1, O },
	{ "abort",	BI_ABORT,	TY_VOID,   "",    0, 0, O },
	{ "strlen",	BI_STRLEN,	TY_LONG,   "s",   1, 1, O },
	{ "substr",	BI_SUBSTR,	TY_STRING, "sll", 3, 3, O },
	{ "isinstr",	BI_ISINSTR,	TY_LONG,   "ss",  2, 2, O },
	{ "stringat",	BI_STRINGAT,	TY_LONG,   "sl",  2, 2, O },
	{ "gettimeofday_s",  BI_GETTIMEOFDAY_S,  TY_LONG, "", 0, 0, O },
	{ "gettimeofday_ms", BI_GETTIMEOFDAY_MS, TY_LONG, "", 0, 0, O },
	{ "gettimeofday_us", BI_GETTIMEOFDAY_US, TY_LONG, "", 0, 0, O },
	{ "gettimeofday_ns", BI_GETTIMEOFDAY_NS, TY_LONG, "", 0, 0, O },
	{ NULL, 0, 0, NULL, 0, 0, 0 },
};

const struct builtin *builtin_find(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

static int parse_num(const char **pp)
{
	const char *p = *pp;
	int n = 0;

	if (*p == '*') {
		*pp = p + 1;
		return -2;
	}
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (*p++ - '0');
	*pp = p;
	return n;
}

int fmt_parse(const char *fmt, struct fmt_spec *out, int max, const char **err)
{
	const char *p = fmt;
	int n = 0;

	while (*p) {
		struct fmt_spec sp;

		memset(&sp, 0, sizeof(sp));
		sp.width = sp.prec = -1;
		if (*p != '%' || p[1] == '%') {
			sp.conv = FMT_LITERAL;
			sp.lit = p;
			if (*p == '%') {	/* "%%": one literal '%' */
				sp.lit_len = 1;
				p += 2;
			} else {
				while (*p && *p != '%')
					p++;
				sp.lit_len = (int)(p - sp.lit);
			}
		} else {
			int nf = 0;

			p++;
			while (*p && strchr("-+ #0", *p)) {
				if (nf < 5)
					sp.flags[nf++] = *p;
				p++;
			}
			sp.width = parse_num(&p);
			if (*p == '.') {
				p++;
				sp.prec = parse_num(&p);
				if (sp.prec == -1)
					sp.prec = 0;
			}
			/* length modifiers are accepted and ignored */
			while (*p && strchr("hlLjzt", *p))
				p++;
			sp.type = *p;
			switch (*p) {
			case 'd': case 'i': case 'u': case 'o': case 'x':
			case 'X': case 'c': case 'b': case 'p':
				sp.conv = FMT_LONG;
				break;
			case 's':
				sp.conv = FMT_STRING;
				break;
			case 'm': case 'M':
				sp.conv = FMT_MEMORY;
				break;
			default:
				*err = "invalid or missing conversion specifier";
				return -1;
			}
			p++;
		}
		if (n < max)
			out[n] = sp;
		n++;
	}
	return n;
}

int fmt_arg_types(const char *fmt, enum ast_type *types, int max,
		  const char **err)
{
	struct fmt_spec specs[128];
	int ns = fmt_parse(fmt, specs, 128, err), n = 0;

	if (ns < 0)
		return -1;
	if (ns > 128) {
		*err = "format string too long";
		return -1;
	}
	for (int i = 0; i < ns; i++) {
		const struct fmt_spec *sp = &specs[i];

		if (sp->conv == FMT_LITERAL)
			continue;
		if (sp->width == -2 && n < max)
			types[n++] = TY_LONG;
		if (sp->prec == -2 && n < max)
			types[n++] = TY_LONG;
		if (n < max)
			types[n++] = sp->conv == FMT_STRING ? TY_STRING : TY_LONG;
	}
	return n;
}
