/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoints.h - the target kernel's tracepoints and their arguments, read
 * from the trace event headers of its source/headers tree
 * (include/trace/events/ and arch/x86/include/asm/trace/): TRACE_EVENT,
 * DECLARE_EVENT_CLASS + DEFINE_EVENT, DECLARE_TRACE and their variants,
 * with the file's own helper macros expanded.  No debuginfo needed.
 */
#ifndef STAP_TRACEPOINTS_H
#define STAP_TRACEPOINTS_H

#include <stdbool.h>

struct session;
struct vec;

struct tp_arg {
	const char *name;
	const char *type;	/* as stap prints it: "struct sk_buff*" */
	const char *ctype;	/* as declared: "struct sk_buff *" */
	bool by_value;		/* struct/union passed by value */
};

struct tp_event {
	const char *system;	/* TRACE_SYSTEM */
	const char *name;
	const char *header;	/* the header it came from */
	int nargs;
	struct tp_arg *args;
};

struct tp_table {
	struct tp_event **ev;	/* sorted by system, name */
	int n;
	const char *dir;	/* the tree read */
};

/* all tracepoints of the target kernel (loaded once); NULL when the
 * headers are missing */
const struct tp_table *tp_table_get(struct session *s);

/* events matching pat ("name", "sys:name", globs on either part) */
void tp_match(const struct tp_table *t, const char *pat, struct vec *out);

/* parse one header's text (for tests): appends struct tp_event * */
void tp_scan_text(const char *text, const char *header, struct vec *out);
/* ... with the enabled CONFIG_ names (sorted char *) */
void tp_scan_text_config(const char *text, const char *header,
			 const struct vec *config, struct vec *out);

#endif
