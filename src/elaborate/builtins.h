/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * builtins.h - functions the translator implements directly ("intrinsics").
 *
 * ONE table (builtins.c) read by pass 2 (resolution, types) and pass 3
 * (code generation).  An E_CALL whose expr->func is NULL after pass 2 is a
 * builtin: builtin_find(e->str) gives its entry.
 *
 * A function of the same name and arity defined by the script or by a used
 * tapset wins over an entry marked BI_OVERRIDABLE (so the tapset library may
 * take over e.g. exit() or strlen() later without touching this table).
 *
 * Formatted printing (printf, sprintf, printd...) take variadic arguments
 * whose types come from the format string: fmt_parse() is shared too.
 */
#ifndef STAP_BUILTINS_H
#define STAP_BUILTINS_H

#include <stdbool.h>

#include "ast.h"

enum builtin_id {
	BI_PRINT, BI_PRINTLN, BI_SPRINT, BI_SPRINTLN,
	BI_PRINTF, BI_SPRINTF,
	BI_PRINTD, BI_PRINTDLN, BI_SPRINTD, BI_SPRINTDLN,
	BI_EXIT, BI_ERROR, BI_WARN, BI_ABORT,
	BI_STRLEN, BI_SUBSTR, BI_ISINSTR, BI_STRINGAT,
	BI_GETTIMEOFDAY_S, BI_GETTIMEOFDAY_MS, BI_GETTIMEOFDAY_US,
	BI_GETTIMEOFDAY_NS,
};

/* flags */
#define BI_OVERRIDABLE	0x1	/* a script/tapset function of the same name wins */
#define BI_FORMAT	0x2	/* first arg: literal format string, rest typed by it */
#define BI_VARIADIC	0x4	/* any number of long/string/stats args after params */
#define BI_DELIM	0x8	/* first arg: delimiter string (printd family) */
#define BI_VOID		0x10	/* statement-like: no value (print family) */
#define BI_HIST_OK	0x20	/* accepts @hist_*(...) / stats arguments (print) */

struct builtin {
	const char *name;
	enum builtin_id id;
	enum ast_type ret;		/* TY_VOID for no value */
	const char *params;		/* fixed params: 'l' long, 's' string */
	int min_args, max_args;		/* max -1: unbounded */
	unsigned flags;
};

const struct builtin *builtin_find(const char *name);
/* the whole table, terminated by an entry with name == NULL */
extern const struct builtin builtins[];

/* ---- printf-style formats --------------------------------------------- */

enum fmt_conv {
	FMT_LITERAL,	/* text (including %% -> %) */
	FMT_LONG,	/* d i u o x X c b p */
	FMT_STRING,	/* s */
	FMT_MEMORY,	/* m M: long address argument, precision = bytes */
};

struct fmt_spec {
	enum fmt_conv conv;
	char type;		/* conversion letter; 0 for literals */
	const char *lit;	/* FMT_LITERAL: start of text in the format */
	int lit_len;
	char flags[6];		/* subset of "-+ #0" in order seen */
	int width, prec;	/* -1 absent, -2 '*' (taken from an argument) */
};

/* Parse fmt into specs (at most max).  Returns the number of specs, or -1
 * and sets *err to a message for an invalid format.  Each '*' width or
 * precision consumes one long argument before the conversion's own. */
int fmt_parse(const char *fmt, struct fmt_spec *out, int max, const char **err);
/* the type of each argument a format consumes, in order, into types[]
 * (at most max); returns the count or -1 with *err set */
int fmt_arg_types(const char *fmt, enum ast_type *types, int max,
		  const char **err);

#endif
