/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoints.c - scan trace event headers for tracepoints and their
 * TP_PROTO arguments.  A small tokenizer, the file's own function-like
 * macros (expanded with ## and # support), and a recognizer for the event
 * macros.  Types are printed the way DWARF names them (stap's -L shape):
 * "unsigned long" -> "long unsigned int", "const char *" -> "char const*".
 */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/tracepoints.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

enum { T_ID, T_NUM, T_STR, T_PUNCT };

struct tok {
	int kind;
	char *s;
};

struct toks {
	struct tok *t;
	int n, cap;
};

struct macro {
	char *name;
	int nparams;		/* -1: object-like */
	char **params;
	struct toks body;
};

struct scan {
	struct vec macros;	/* struct macro * */
	struct vec classes;	/* struct tp_event * (name = class name) */
	const char *system;
	const char *header;
	struct vec *out;
	const struct vec *config;	/* enabled CONFIG_ names, sorted; NULL: all */
};

/* ---- tokens ------------------------------------------------------------- */

static char *dupn(const char *s, size_t n)
{
	return xasprintf("%.*s", (int)n, s);
}

static void tpush(struct toks *ts, int kind, const char *s, size_t n)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 64;
		ts->t = xrealloc(ts->t, ts->cap * sizeof(*ts->t));
	}
	ts->t[ts->n].kind = kind;
	ts->t[ts->n].s = xmalloc(n + 1);
	memcpy(ts->t[ts->n].s, s, n);
	ts->t[ts->n].s[n] = 0;
	ts->n++;
}

static void tfree(struct toks *ts)
{
	for (int i = 0; i < ts->n; i++)
		free(ts->t[i].s);
	free(ts->t);
	ts->t = NULL;
	ts->n = ts->cap = 0;
}

/* tokenize p[0..end); comments already gone */
static void lex(const char *p, const char *end, struct toks *ts)
{
	while (p < end) {
		const char *q = p;

		if (isspace((unsigned char)*p) || *p == '\\') {
			p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
				q++;
			tpush(ts, T_ID, p, q - p);
			p = q;
		} else if (isdigit((unsigned char)*p)) {
			while (q < end && (isalnum((unsigned char)*q) || *q == '.'))
				q++;
			tpush(ts, T_NUM, p, q - p);
			p = q;
		} else if (*p == '"' || *p == '\'') {
			char c = *q++;

			while (q < end && *q != c) {
				if (*q == '\\' && q + 1 < end)
					q++;
				q++;
			}
			if (q < end)
				q++;
			tpush(ts, T_STR, p, q - p);
			p = q;
		} else if (p + 1 < end && p[0] == '#' && p[1] == '#') {
			tpush(ts, T_PUNCT, p, 2);
			p += 2;
		} else if (p + 1 < end && p[0] == '-' && p[1] == '>') {
			tpush(ts, T_PUNCT, p, 2);
			p += 2;
		} else {
			tpush(ts, T_PUNCT, p, 1);
			p++;
		}
	}
}

/* copy with comments replaced by spaces */
static char *strip_comments(const char *text)
{
	size_t n = strlen(text);
	char *o = xmalloc(n + 1), *w = o;
	const char *p = text;

	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");

			for (p += 2; *p && p != e; p++)
				if (*p == '\n')
					*w++ = '\n';
			p = e ? e + 2 : p;
			*w++ = ' ';
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (*p == '"' || *p == '\'') {
			char c = *p;

			*w++ = *p++;
			while (*p && *p != c && *p != '\n') {
				if (*p == '\\' && p[1])
					*w++ = *p++;
				*w++ = *p++;
			}
			if (*p == c)
				*w++ = *p++;
		} else {
			*w++ = *p++;
		}
	}
	*w = 0;
	return o;
}

static bool is(const struct tok *t, const char *s)
{
	return !strcmp(t->s, s);
}

/* index just past the ')' matching the '(' at i, or -1 */
static int skip_parens(const struct toks *ts, int i)
{
	int depth = 0;

	for (; i < ts->n; i++) {
		if (ts->t[i].kind != T_PUNCT)
			continue;
		if (is(&ts->t[i], "(") || is(&ts->t[i], "[") || is(&ts->t[i], "{"))
			depth++;
		else if (is(&ts->t[i], ")") || is(&ts->t[i], "]") ||
			 is(&ts->t[i], "}")) {
			if (--depth == 0)
				return i + 1;
		}
	}
	return -1;
}

/* the arguments of the call whose '(' is at i: [lo, hi) ranges */
static int split_args(const struct toks *ts, int i, int *lo, int *hi, int max)
{
	int depth = 0, n = 0, start = i + 1;

	for (; i < ts->n; i++) {
		const struct tok *t = &ts->t[i];

		if (t->kind != T_PUNCT)
			continue;
		if (is(t, "(") || is(t, "[") || is(t, "{")) {
			depth++;
		} else if (is(t, ")") || is(t, "]") || is(t, "}")) {
			if (--depth == 0) {
				if (n < max && (i > start || n > 0)) {
					lo[n] = start;
					hi[n] = i;
					n++;
				}
				return n;
			}
		} else if (is(t, ",") && depth == 1) {
			if (n < max) {
				lo[n] = start;
				hi[n] = i;
				n++;
			}
			start = i + 1;
		}
	}
	return -1;
}

/* ---- macros ------------------------------------------------------------- */

static struct macro *find_macro(struct scan *sc, const char *name)
{
	for (int i = sc->macros.n - 1; i >= 0; i--) {
		struct macro *m = sc->macros.v[i];

		if (m->name && !strcmp(m->name, name))
			return m;
	}
	return NULL;
}

static void undef(struct scan *sc, const char *name)
{
	struct macro *m;

	while ((m = find_macro(sc, name)))
		m->name = NULL;
}

/* "#define NAME(a, b) body" (line already joined) */
static void define(struct scan *sc, const char *line)
{
	const char *p = line, *q;
	struct macro *m;

	while (isspace((unsigned char)*p))
		p++;
	q = p;
	while (isalnum((unsigned char)*q) || *q == '_')
		q++;
	if (q == p)
		return;
	m = xcalloc(1, sizeof(*m));
	m->name = dupn(p, q - p);
	m->nparams = -1;
	if (*q == '(') {
		const char *e = strchr(q, ')');
		struct toks ps = { 0 };

		if (!e)
			return;
		lex(q + 1, e, &ps);
		m->params = xcalloc(ps.n + 1, sizeof(char *));
		m->nparams = 0;
		for (int i = 0; i < ps.n; i++)
			if (ps.t[i].kind == T_ID || is(&ps.t[i], "."))
				m->params[m->nparams++] = xstrdup(ps.t[i].s);
		tfree(&ps);
		q = e + 1;
	}
	lex(q, q + strlen(q), &m->body);
	vec_push(&sc->macros, m);
}

static int param_index(const struct macro *m, const char *s)
{
	for (int i = 0; i < m->nparams; i++)
		if (!strcmp(m->params[i], s))
			return i;
	return -1;
}

/* expand m with the argument ranges of ts into out */
static void expand(const struct macro *m, const struct toks *ts, const int *lo,
		   const int *hi, int nargs, struct toks *out)
{
	const struct toks *b = &m->body;

	for (int i = 0; i < b->n; i++) {
		const struct tok *t = &b->t[i];
		int k;

		if (is(t, "#") && i + 1 < b->n &&
		    (k = param_index(m, b->t[i + 1].s)) >= 0 && k < nargs) {
			struct strbuf sb = { 0 };

			sb_putc(&sb, '"');
			for (int j = lo[k]; j < hi[k]; j++)
				sb_puts(&sb, ts->t[j].s);
			sb_putc(&sb, '"');
			tpush(out, T_STR, sb.s, sb.len);
			sb_free(&sb);
			i++;
			continue;
		}
		if (is(t, "##") && out->n && i + 1 < b->n) {
			const struct tok *r = &b->t[++i];
			struct strbuf sb = { 0 };
			struct tok *l = &out->t[out->n - 1];

			sb_puts(&sb, l->s);
			k = param_index(m, r->s);
			if (k >= 0 && k < nargs) {
				for (int j = lo[k]; j < hi[k]; j++)
					sb_puts(&sb, ts->t[j].s);
			} else {
				sb_puts(&sb, r->s);
			}
			free(l->s);
			l->s = sb.s;
			l->kind = T_ID;
			continue;
		}
		k = t->kind == T_ID ? param_index(m, t->s) : -1;
		if (k >= 0 && k < nargs) {
			for (int j = lo[k]; j < hi[k]; j++)
				tpush(out, ts->t[j].kind, ts->t[j].s,
				      strlen(ts->t[j].s));
		} else if (t->kind == T_ID && !strcmp(t->s, "__VA_ARGS__") &&
			   m->nparams > 0 && !strcmp(m->params[m->nparams - 1], "...")) {
			for (int a = m->nparams - 1; a < nargs; a++) {
				if (a > m->nparams - 1)
					tpush(out, T_PUNCT, ",", 1);
				for (int j = lo[a]; j < hi[a]; j++)
					tpush(out, ts->t[j].kind, ts->t[j].s,
					      strlen(ts->t[j].s));
			}
		} else {
			tpush(out, t->kind, t->s, strlen(t->s));
		}
	}
}

/* ---- types -------------------------------------------------------------- */

static const char *int_name(int sgn, int uns, int shrt, int lng, bool chr,
			    bool in)
{
	if (chr)
		return uns ? "unsigned char" : sgn ? "signed char" : "char";
	if (shrt)
		return uns ? "short unsigned int" : "short int";
	if (lng >= 2)
		return uns ? "long long unsigned int" : "long long int";
	if (lng == 1)
		return uns ? "long unsigned int" : "long int";
	(void)in;
	return uns ? "unsigned int" : "int";
}

/* tokens [lo, hi) of a parameter without its name -> stap's type text */
static char *type_text(const struct toks *ts, int lo, int hi, int extra_ptr,
		       bool *by_value)
{
	struct strbuf sb = { 0 }, base = { 0 };
	int sgn = 0, uns = 0, shrt = 0, lng = 0, nptr = 0;
	bool chr = false, in = false, isint = false, cnst = false, vol = false;
	int i = lo;

	for (; i < hi && !is(&ts->t[i], "*"); i++) {
		const char *s = ts->t[i].s;

		if (!strcmp(s, "const"))
			cnst = true;
		else if (!strcmp(s, "volatile"))
			vol = true;
		else if (!strcmp(s, "__user") ||
			 !strcmp(s, "__rcu") || !strcmp(s, "__iomem") ||
			 !strcmp(s, "__percpu") || !strcmp(s, "__force"))
			;
		else if (!strcmp(s, "signed"))
			sgn = isint = true;
		else if (!strcmp(s, "unsigned"))
			uns = isint = true;
		else if (!strcmp(s, "short"))
			shrt = isint = true;
		else if (!strcmp(s, "long"))
			lng++, isint = true;
		else if (!strcmp(s, "char"))
			chr = isint = true;
		else if (!strcmp(s, "int"))
			in = isint = true;
		else {
			if (base.len)
				sb_putc(&base, ' ');
			sb_puts(&base, s);
		}
	}
	if (isint)
		sb_puts(&sb, int_name(sgn, uns, shrt, lng, chr, in));
	else
		sb_puts(&sb, sb_str(&base));
	if (vol)
		sb_puts(&sb, " volatile");
	if (cnst)
		sb_puts(&sb, " const");
	for (; i < hi; i++) {
		if (is(&ts->t[i], "*")) {
			sb_putc(&sb, '*');
			nptr++;
		} else if (is(&ts->t[i], "const")) {
			sb_puts(&sb, " const");
		}
	}
	for (int k = 0; k < extra_ptr; k++, nptr++)
		sb_putc(&sb, '*');
	*by_value = !nptr && (!strncmp(sb_str(&base), "struct ", 7) ||
			      !strncmp(sb_str(&base), "union ", 6));
	sb_free(&base);
	return sb.s ? sb.s : xstrdup("void");
}

static char *raw_text(const struct toks *ts, int lo, int hi)
{
	struct strbuf sb = { 0 };

	for (int i = lo; i < hi; i++) {
		if (i > lo)
			sb_putc(&sb, ' ');
		sb_puts(&sb, ts->t[i].s);
	}
	return sb.s ? sb.s : xstrdup("");
}

/* "ret (*name)(a, b)" -> "ret (*) (a, b)" */
static char *fnptr_text(const struct toks *ts, int lo, int hi, int name)
{
	struct strbuf sb = { 0 };
	int plo[32], phi[32], n, open = name + 2;
	bool bv;
	char *t = type_text(ts, lo, name - 2, 0, &bv);

	sb_printf(&sb, "%s (*) (", t);
	free(t);
	if (open < hi && is(&ts->t[open], "(")) {
		n = split_args(ts, open, plo, phi, 32);
		for (int i = 0; i < n; i++) {
			int e = phi[i];

			if (e - plo[i] > 1 && ts->t[e - 1].kind == T_ID &&
			    !is(&ts->t[e - 1], "int") && !is(&ts->t[e - 1], "long") &&
			    !is(&ts->t[e - 1], "char") && !is(&ts->t[e - 1], "void"))
				e--;	/* a parameter name */
			t = type_text(ts, plo[i], e, 0, &bv);
			sb_printf(&sb, "%s%s", i ? ", " : "", t);
			free(t);
		}
	}
	sb_putc(&sb, ')');
	return sb.s;
}

/* TP_PROTO(...) at [lo, hi) -> args; false if it is not one */
static bool parse_proto(struct scan *sc, const struct toks *ts, int lo,
			int hi, struct tp_event *ev)
{
	int alo[64], ahi[64], n;

	if (hi - lo == 1 && ts->t[lo].kind == T_ID) {
		/* a macro standing for TP_PROTO(...) */
		struct macro *m = find_macro(sc, ts->t[lo].s);

		if (m && m->nparams < 0)
			return parse_proto(sc, &m->body, 0, m->body.n, ev);
	}

	if (hi - lo < 3 || !is(&ts->t[lo], "TP_PROTO") ||
	    !is(&ts->t[lo + 1], "("))
		return false;
	n = split_args(ts, lo + 1, alo, ahi, 64);
	if (n < 0)
		return false;
	if (n == 1 && ahi[0] - alo[0] == 1 && is(&ts->t[alo[0]], "void"))
		n = 0;
	ev->nargs = n;
	ev->args = xcalloc(n ? n : 1, sizeof(*ev->args));
	for (int a = 0; a < n; a++) {
		struct tp_arg *arg = &ev->args[a];
		int l = alo[a], h = ahi[a], name = -1, arr = 0;

		/* function pointer: ret (*name)(params) */
		for (int i = l; i + 2 < h; i++) {
			if (is(&ts->t[i], "(") && is(&ts->t[i + 1], "*") &&
			    ts->t[i + 2].kind == T_ID) {
				name = i + 2;
				break;
			}
		}
		if (name >= 0) {
			arg->name = xstrdup(ts->t[name].s);
			arg->type = fnptr_text(ts, l, h, name);
			arg->ctype = raw_text(ts, l, h);
			continue;
		}
		/* name [N] */
		while (h > l && is(&ts->t[h - 1], "]")) {
			int j = h - 1;

			while (j > l && !is(&ts->t[j], "["))
				j--;
			h = j;
			arr++;
		}
		if (h <= l || ts->t[h - 1].kind != T_ID)
			return false;
		arg->name = xstrdup(ts->t[h - 1].s);
		arg->type = type_text(ts, l, h - 1, arr, &arg->by_value);
		arg->ctype = raw_text(ts, l, h - 1);
	}
	return true;
}

/* ---- event macros ------------------------------------------------------- */

static struct tp_event *new_event(struct scan *sc, const char *name)
{
	struct tp_event *ev = xcalloc(1, sizeof(*ev));

	ev->system = sc->system ? sc->system : "";
	ev->name = xstrdup(name);
	ev->header = sc->header;
	return ev;
}

static const struct tp_event *find_class(struct scan *sc, const char *name)
{
	for (int i = sc->classes.n - 1; i >= 0; i--) {
		const struct tp_event *c = sc->classes.v[i];

		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

/* an event macro at i; returns the index after it, or -1 if it is none */
static int event_macro(struct scan *sc, const struct toks *ts, int i)
{
	static const char *const own[] = {	/* name, TP_PROTO */
		"TRACE_EVENT", "TRACE_EVENT_FN", "TRACE_EVENT_CONDITION",
		"TRACE_EVENT_FN_COND", "DECLARE_TRACE",
		"DECLARE_TRACE_CONDITION", NULL,
	};
	static const char *const derived[] = {	/* class, name, TP_PROTO */
		"DEFINE_EVENT", "DEFINE_EVENT_FN", "DEFINE_EVENT_CONDITION",
		"DEFINE_EVENT_PRINT", NULL,
	};
	const char *m = ts->t[i].s;
	int lo[16], hi[16], n, end;
	struct tp_event *ev;
	bool is_own = false, is_derived = false, is_class;

	if (i + 1 >= ts->n || !is(&ts->t[i + 1], "("))
		return -1;
	for (int k = 0; own[k]; k++)
		is_own |= !strcmp(m, own[k]);
	for (int k = 0; derived[k]; k++)
		is_derived |= !strcmp(m, derived[k]);
	is_class = !strcmp(m, "DECLARE_EVENT_CLASS");
	if (!is_own && !is_derived && !is_class)
		return -1;
	end = skip_parens(ts, i + 1);
	n = split_args(ts, i + 1, lo, hi, 16);
	if (end < 0 || n < 2)
		return end;
	if (is_derived) {
		const struct tp_event *cls;

		if (n < 3 || ts->t[lo[1]].kind != T_ID)
			return end;
		ev = new_event(sc, ts->t[lo[1]].s);
		if (!parse_proto(sc, ts, lo[2], hi[2], ev)) {
			cls = find_class(sc, ts->t[lo[0]].s);
			if (!cls)
				return end;
			ev->nargs = cls->nargs;
			ev->args = cls->args;
		}
		vec_push(sc->out, ev);
		return end;
	}
	if (ts->t[lo[0]].kind != T_ID)
		return end;
	ev = new_event(sc, ts->t[lo[0]].s);
	if (!parse_proto(sc, ts, lo[1], hi[1], ev))
		return end;
	vec_push(is_class ? &sc->classes : sc->out, ev);
	return end;
}

/* walk tokens, expanding the file's macros (depth-limited) */
static void walk(struct scan *sc, const struct toks *ts, int depth)
{
	for (int i = 0; i < ts->n; ) {
		const struct tok *t = &ts->t[i];
		struct macro *mac;
		int r;

		if (t->kind != T_ID) {
			i++;
			continue;
		}
		r = event_macro(sc, ts, i);
		if (r >= 0) {
			i = r;
			continue;
		}
		mac = depth < 8 ? find_macro(sc, t->s) : NULL;
		if (mac && mac->nparams < 0) {
			/* object-like: splice the body in front of the rest */
			struct toks out = { 0 };

			for (int j = 0; j < mac->body.n; j++)
				tpush(&out, mac->body.t[j].kind, mac->body.t[j].s,
				      strlen(mac->body.t[j].s));
			for (int j = i + 1; j < ts->n; j++)
				tpush(&out, ts->t[j].kind, ts->t[j].s,
				      strlen(ts->t[j].s));
			walk(sc, &out, depth + 1);
			tfree(&out);
			return;
		}
		if (mac && mac->nparams >= 0 && i + 1 < ts->n &&
		    is(&ts->t[i + 1], "(")) {
			int lo[32], hi[32], n = split_args(ts, i + 1, lo, hi, 32);
			int end = skip_parens(ts, i + 1);
			struct toks out = { 0 };

			if (n < 0 || end < 0) {
				i++;
				continue;
			}
			expand(mac, ts, lo, hi, n, &out);
			walk(sc, &out, depth + 1);
			tfree(&out);
			i = end;
			continue;
		}
		i++;
	}
}

static bool config_on(const struct scan *sc, const char *name)
{
	int lo = 0, hi;

	if (!sc->config)
		return true;
	hi = sc->config->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(sc->config->v[mid], name);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* the value of an #if/#ifdef/#ifndef line (after the keyword) */
static bool cond_value(const struct scan *sc, const char *kw, const char *e)
{
	char name[128];
	const char *p;

	while (isspace((unsigned char)*e))
		e++;
	if (!strcmp(kw, "ifdef") || !strcmp(kw, "ifndef")) {
		bool v;

		sscanf(e, "%127[A-Za-z0-9_]", name);
		if (!strncmp(name, "CONFIG_", 7))
			v = config_on(sc, name);
		else if (!strcmp(name, "CREATE_TRACE_POINTS"))
			v = true;	/* we read headers as their .c does */
		else	/* include guards, helper macros */
			v = find_macro((struct scan *)sc, name) != NULL;
		return kw[2] == 'n' ? !v : v;
	}
	/* #if: only "defined(CONFIG_X)" / "IS_ENABLED(CONFIG_X)" alone */
	p = strstr(e, "CONFIG_");
	if (p && (!strncmp(e, "defined", 7) || !strncmp(e, "IS_ENABLED", 10)) &&
	    !strstr(e, "||") && !strstr(e, "&&")) {
		sscanf(p, "%127[A-Za-z0-9_]", name);
		return config_on(sc, name) ||
		       (strstr(e, "IS_ENABLED") &&
			config_on(sc, (snprintf(name + strlen(name),
						sizeof(name) - strlen(name),
						"_MODULE"), name)));
	}
	return true;
}

static void flush_code(struct scan *sc, struct strbuf *code)
{
	struct toks ts = { 0 };

	lex(sb_str(code), sb_str(code) + code->len, &ts);
	walk(sc, &ts, 0);
	tfree(&ts);
	code->len = 0;
}

struct cond {
	bool active, taken;
};

/* one preprocessor directive (text after '#') */
static void directive(struct scan *sc, char *q, struct cond *stack, int *depth,
		      struct strbuf *code)
{
	char kw[16] = "";
	bool outer = true;
	int n = 0;

	for (int i = 0; i < *depth; i++)
		outer = outer && stack[i].active;
	while (*q == ' ' || *q == '\t')
		q++;
	sscanf(q, "%15[a-z]%n", kw, &n);
	q += n;
	if (!strcmp(kw, "if") || !strcmp(kw, "ifdef") || !strcmp(kw, "ifndef")) {
		bool v = outer && cond_value(sc, kw, q);

		if (*depth < 64) {
			stack[*depth].active = v;
			stack[*depth].taken = v;
		}
		(*depth)++;
		return;
	}
	if (!strcmp(kw, "elif") || !strcmp(kw, "else")) {
		struct cond *c;

		if (!*depth || *depth > 64)
			return;
		c = &stack[*depth - 1];
		outer = true;
		for (int i = 0; i < *depth - 1; i++)
			outer = outer && stack[i].active;
		c->active = outer && !c->taken &&
			    (kw[2] == 's' || cond_value(sc, "if", q));
		c->taken |= c->active;
		return;
	}
	if (!strcmp(kw, "endif")) {
		if (*depth)
			(*depth)--;
		return;
	}
	if (!outer)
		return;
	if (!strcmp(kw, "define")) {
		flush_code(sc, code);	/* definitions apply in order */
		while (*q == ' ' || *q == '\t')
			q++;
		if (!strncmp(q, "TRACE_SYSTEM", 12) && isspace((unsigned char)q[12])) {
			char *v = q + 12;

			while (isspace((unsigned char)*v))
				v++;
			v[strcspn(v, " \t")] = 0;
			sc->system = xstrdup(v);
		}
		define(sc, q);
	} else if (!strcmp(kw, "undef")) {
		flush_code(sc, code);
		while (isspace((unsigned char)*q))
			q++;
		q[strcspn(q, " \t")] = 0;
		undef(sc, q);
	}
}

static void scan_text(const char *text, const char *header,
		      const struct vec *config, struct vec *out)
{
	char *src = strip_comments(text), *p = src;
	struct scan sc = { 0 };
	struct strbuf code = { 0 };
	struct cond stack[64];
	int depth = 0;

	sc.header = header;
	sc.out = out;
	sc.config = config;
	while (*p) {
		char *eol = p, *q = p;
		bool active = true;

		while (*q == ' ' || *q == '\t')
			q++;
		/* a logical line: join backslash continuations */
		for (;;) {
			eol = strchr(eol, '\n');
			if (!eol) {
				eol = p + strlen(p);
				break;
			}
			if (eol > p && eol[-1] == '\\') {
				eol++;
				continue;
			}
			break;
		}
		for (int i = 0; i < depth && i < 64; i++)
			active = active && stack[i].active;
		if (*q == '#') {
			struct strbuf line = { 0 };

			sb_add(&line, q + 1, eol - q - 1);
			for (char *c = line.s; c && *c; c++)
				if (*c == '\\' || *c == '\n')
					*c = ' ';
			directive(&sc, line.s ? line.s : (char *)"", stack,
				  &depth, &code);
			sb_free(&line);
		} else if (active) {
			sb_add(&code, p, eol - p);
			sb_putc(&code, '\n');
		}
		p = *eol ? eol + 1 : eol;
	}
	flush_code(&sc, &code);
	sb_free(&code);
	free(src);
}

void tp_scan_text(const char *text, const char *header, struct vec *out)
{
	scan_text(text, header, NULL, out);
}

void tp_scan_text_config(const char *text, const char *header,
			 const struct vec *config, struct vec *out)
{
	scan_text(text, header, config, out);
}

/* ---- the table ---------------------------------------------------------- */

static int cmp_ev(const void *a, const void *b)
{
	const struct tp_event *x = *(struct tp_event *const *)a;
	const struct tp_event *y = *(struct tp_event *const *)b;
	int c = strcmp(x->system, y->system);

	return c ? c : strcmp(x->name, y->name);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_dir(const char *dir, const char *incl, const char *glob,
		     const struct vec *config, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct vec names = { 0 };

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 2 && !strcmp(de->d_name + l - 2, ".h") &&
		    !fnmatch(glob, de->d_name, 0))
			vec_push(&names, xstrdup(de->d_name));
	}
	closedir(d);
	qsort(names.v, names.n, sizeof(void *), cmp_name);
	vec_each(&names, i) {
		char *path = xasprintf("%s/%s", dir, (char *)names.v[i]);
		char *text = file_read(path, NULL);

		if (text && strstr(text, "TRACE_SYSTEM"))
			scan_text(text, xasprintf("%s/%s", incl,
						  (char *)names.v[i]), config, out);
		free(text);
		free(path);
	}
	vec_free(&names);
}

/* the enabled CONFIG_ options of the build tree's .config, sorted */
static void load_config(const char *build, struct vec *out)
{
	char *path = xasprintf("%s/.config", build);
	FILE *f = fopen(path, "r");
	char line[512];

	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (strncmp(line, "CONFIG_", 7) || !eq || eq[1] == 'n')
			continue;
		vec_push(out, dupn(line, eq - line));
	}
	fclose(f);
	qsort(out->v, out->n, sizeof(void *), cmp_name);
}

const struct tp_table *tp_table_get(struct session *s)
{
	struct kinfo *k = kinfo_get(s);
	struct tp_table *t;
	struct vec evs = { 0 }, config = { 0 };
	const char *roots[3];
	const char *root = NULL;
	int w = 0;

	if (k->tp_tried)
		return k->tracepoints;
	k->tp_tried = true;
	/* the full headers: <build>/source (Debian: -common), or <build> */
	roots[0] = xasprintf("%s/source", k->build_dir);
	roots[1] = k->build_dir;
	roots[2] = xasprintf("/lib/modules/%s/source", k->release);
	for (int i = 0; i < 3 && !root; i++) {
		char *p = xasprintf("%s/include/trace/events/sched.h", roots[i]);
		FILE *f = fopen(p, "r");

		if (f) {
			fclose(f);
			root = roots[i];
		}
		free(p);
	}
	if (!root)
		return NULL;
	load_config(k->build_dir, &config);
	scan_dir(xasprintf("%s/include/trace/events", root), "trace/events",
		 "*", config.n ? &config : NULL, &evs);
	scan_dir(xasprintf("%s/arch/x86/include/asm/trace", root), "asm/trace",
		 "*", config.n ? &config : NULL, &evs);
	scan_dir(xasprintf("%s/arch/x86/include/asm", root), "asm",
		 "*-trace.h", config.n ? &config : NULL, &evs);
	scan_dir(xasprintf("%s/include/ras", root), "ras", "*",
		 config.n ? &config : NULL, &evs);
	t = xcalloc(1, sizeof(*t));
	t->dir = root;
	qsort(evs.v, evs.n, sizeof(void *), cmp_ev);
	/* unique system:name (a header read twice, a name defined twice) */
	for (int i = 0; i < evs.n; i++) {
		if (w && !cmp_ev(&evs.v[w - 1], &evs.v[i]))
			continue;
		if (!*((struct tp_event *)evs.v[i])->system)
			continue;
		evs.v[w++] = evs.v[i];
	}
	t->ev = (struct tp_event **)evs.v;
	t->n = w;
	k->tracepoints = t;
	return t;
}

void tp_match(const struct tp_table *t, const char *pat, struct vec *out)
{
	const char *colon = strchr(pat, ':');
	char *sys = colon ? dupn(pat, colon - pat) : NULL;
	const char *name = colon ? colon + 1 : pat;

	for (int i = 0; i < t->n; i++) {
		struct tp_event *ev = t->ev[i];

		if (sys && fnmatch(sys, ev->system, 0))
			continue;
		if (fnmatch(name, ev->name, 0))
			continue;
		vec_push(out, ev);
	}
	free(sys);
}
