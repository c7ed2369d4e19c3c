/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pp.c - the token-level preprocessor between the scanner and the grammar.
 *
 *   %( COND %? TOKENS [%: TOKENS] %)      conditional compilation
 *   @define NAME[(a, b)] %( BODY %)        macro definition
 *   @NAME  @NAME(x, y)                     macro use; @a inside BODY is a
 *                                          parameter
 *   $N @N $# @#                            command-line arguments
 *
 * COND compares kernel_v, kernel_vr, arch, runtime, systemtap_v,
 * systemtap_privilege, guru_mode, CONFIG_* (from the build tree's .config),
 * $#/@#, numbers and strings with == != < <= > >=, combined with && and ||
 * (&& binds tighter), '!' and parentheses.  String == and != match globs.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "version.h"
#include "parse/pp.h"
#include "parse/tok.h"
#include "util/file.h"
#include "util/xalloc.h"
#include "grammar.tab.h"

struct pp_macro {
	const char *name;
	unsigned hash;		/* name_hash(name) */
	struct vec params;	/* const char * */
	struct tok **body;
	int n;
	const struct src_file *file;
};

/* parameter bindings while expanding a macro body */
struct pp_env {
	const struct pp_macro *m;
	struct vec *args;	/* struct vec * of struct tok * (expanded) */
	const struct pp_env *up;
};

struct ppx {
	struct session *s;	/* read only */
	struct pwork *w;	/* allocations, diagnostics */
	struct pp_state *st;	/* read only but for .stpm files */
	struct vec *local;	/* this file's macros */
	int depth;
	struct pp *pp;		/* the stream this belongs to */
};

static struct tok *keep(struct pp *p, const struct tok *t);

#define MAX_DEPTH 64

static void pp_seq(struct ppx *x, struct tok **v, int n, struct vec *out,
		   const struct pp_env *env);

static void perr(struct ppx *x, const struct tok *t, const char *fmt, const char *a)
{
	pw_error(x->w, &t->loc, fmt, a);
}

struct pp_state *pp_state(struct session *s)
{
	if (!s->pp) {
		struct pp_state *st = arena_new(&s->arena, struct pp_state);

		pthread_mutex_init(&st->config_lock, NULL);
		s->pp = st;
	}
	return s->pp;
}

void pp_state_free(struct session *s)
{
	struct pp_state *st = s->pp;

	if (!st)
		return;
	vec_each(&st->macros, i) {
		struct pp_macro *m = vec_get(&st->macros, i);

		vec_free(&m->params);
	}
	vec_free(&st->macros);
	free(st->mtab);
	free(st->config_buf);
	free(st->config_tab);
	pthread_mutex_destroy(&st->config_lock);
	pw_release(&st->main);
	s->pp = NULL;
}

const char *tok_describe(struct pwork *w, const struct tok *t)
{
	char buf[160];
	const char *what;

	switch (t->kind) {
	case END_OF_FILE:
		return "end of input";
	case EMBEDDED:
		return "embedded code";
	case IDENT:
		what = "identifier";
		break;
	case NUMBER:
		what = "number";
		break;
	case STRING:
		snprintf(buf, sizeof(buf), "string \"%.60s%s\"", t->text,
			 strlen(t->text) > 60 ? "..." : "");
		return arena_strdup(w->arena, buf);
	case TARGET:
		snprintf(buf, sizeof(buf), "'$%.80s'", t->text);
		return arena_strdup(w->arena, buf);
	case TARGET_SYM:
		snprintf(buf, sizeof(buf), "'$$%.80s'", t->text);
		return arena_strdup(w->arena, buf);
	case AT_IDENT: case AT_CAST: case AT_VAR: case AT_DEFINED: case AT_ENTRY:
	case AT_CHOOSE: case AT_PERF: case AT_CONST: case AT_STAT: case AT_HIST:
	case AT_PROBEWRITE:
		snprintf(buf, sizeof(buf), "'@%.80s'", t->text);
		return arena_strdup(w->arena, buf);
	default:
		what = isalpha((unsigned char)t->text[0]) ? "keyword" : NULL;
		break;
	}
	if (what)
		snprintf(buf, sizeof(buf), "%s '%.80s'", what, t->text);
	else
		snprintf(buf, sizeof(buf), "'%.80s'", t->text);
	return arena_strdup(w->arena, buf);
}

/* ---- macro definitions ---- */

static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* the global macros by name (hash h), rebuilt when .stpm files added some */
static struct pp_macro *find_global(struct pp_state *st, const char *name, unsigned h)
{
	unsigned mask;

	if (!st->mtab || st->mtab_n != st->macros.n) {
		free(st->mtab);
		st->mtab_cap = 16;
		while (st->mtab_cap < 2 * st->macros.n)
			st->mtab_cap *= 2;
		st->mtab = xcalloc((size_t)st->mtab_cap, sizeof(*st->mtab));
		mask = (unsigned)st->mtab_cap - 1;
		vec_each(&st->macros, i) {
			struct pp_macro *m = vec_get(&st->macros, i);
			unsigned k = m->hash & mask;

			while (st->mtab[k] && (st->mtab[k]->hash != m->hash ||
					       strcmp(st->mtab[k]->name, m->name)))
				k = (k + 1) & mask;
			if (!st->mtab[k])
				st->mtab[k] = m;
		}
		st->mtab_n = st->macros.n;
	}
	mask = (unsigned)st->mtab_cap - 1;
	for (unsigned k = h & mask; st->mtab[k]; k = (k + 1) & mask)
		if (st->mtab[k]->hash == h && !strcmp(st->mtab[k]->name, name))
			return st->mtab[k];
	return NULL;
}

static struct pp_macro *find_macro(struct ppx *x, const char *name)
{
	unsigned h = name_hash(name);

	for (int i = x->local->n - 1; i >= 0; i--) {
		struct pp_macro *m = vec_get(x->local, i);

		if (m->hash == h && !strcmp(m->name, name))
			return m;
	}
	if (x->local == &x->st->macros)
		return NULL;	/* an .stpm file: its own list is the global one */
	return find_global(x->st, name, h);
}

/* index of the %) matching the %( at v[i] (or -1); then and els get the
 * positions of this level's %? and %: (or -1) */
static int match_cond(struct tok **v, int n, int i, int *then, int *els, int *dup)
{
	int depth = 0;

	*then = *els = *dup = -1;
	for (int k = i; k < n; k++) {
		switch (v[k]->kind) {
		case PP_IF:
			depth++;
			break;
		case PP_THEN:
			if (depth == 1 && *then < 0)
				*then = k;
			break;
		case PP_ELSE:
			if (depth == 1 && *then >= 0 && *els >= 0)
				*dup = k;
			if (depth == 1 && *then >= 0 && *els < 0)
				*els = k;
			break;
		case PP_END:
			if (--depth == 0)
				return k;
			break;
		case END_OF_FILE:
			return -1;
		}
	}
	return -1;
}

/* @define NAME[(params)] %( body %); returns the index after it */
static int pp_define(struct ppx *x, struct tok **v, int n, int i, bool emit_err)
{
	struct tok *at = v[i];
	struct pp_macro *m;
	int k = i + 1, end, t1, t2, t3;

	if (k >= n || v[k]->kind != IDENT) {
		if (emit_err)
			perr(x, k < n ? v[k] : at, "expected macro name after '@define'%s", "");
		return k;
	}
	m = arena_new(x->w->arena, struct pp_macro);
	m->name = v[k]->text;
	m->hash = name_hash(m->name);
	m->file = at->loc.file;
	k++;
	if (k < n && v[k]->kind == '(' && !v[k]->space_before) {
		k++;
		if (k < n && v[k]->kind == ')')
			perr(x, v[k], "expected a parameter name in the parameter list of '@%s'",
			     m->name);
		while (k < n && v[k]->kind == IDENT) {
			vec_push(&m->params, (void *)v[k]->text);
			k++;
			if (k < n && v[k]->kind == ',')
				k++;
			else
				break;
		}
		if (k >= n || v[k]->kind != ')') {
			perr(x, k < n ? v[k] : at, "expected ')' in macro parameter list%s", "");
			vec_free(&m->params);
			return k;
		}
		k++;
	} else if (k < n && v[k]->kind == '(') {
		/* "@define foo (a) %(" is still a parameter list */
		k++;
		while (k < n && v[k]->kind == IDENT) {
			vec_push(&m->params, (void *)v[k]->text);
			k++;
			if (k < n && v[k]->kind == ',')
				k++;
			else
				break;
		}
		if (k >= n || v[k]->kind != ')') {
			perr(x, k < n ? v[k] : at, "expected ')' in macro parameter list%s", "");
			vec_free(&m->params);
			return k;
		}
		k++;
	}
	if (k >= n || v[k]->kind != PP_IF) {
		perr(x, k < n ? v[k] : at, "expected '%%(' to start the body of macro '@%s'", m->name);
		vec_free(&m->params);
		return k;
	}
	end = match_cond(v, n, k, &t1, &t2, &t3);
	if (end < 0) {
		perr(x, v[k], "unterminated macro body of '@%s', expected '%%)'", m->name);
		vec_free(&m->params);
		return n - 1;
	}
	m->n = end - k - 1;
	m->body = arena_alloc(x->w->arena, sizeof(struct tok *) * (size_t)(m->n + 1));
	memcpy(m->body, v + k + 1, sizeof(struct tok *) * (size_t)m->n);
	if (find_macro(x, m->name) && x->local != &x->st->macros) {
		const struct pp_macro *old = find_macro(x, m->name);

		if (old->file == m->file)
			perr(x, at, "attempt to redefine macro '@%s' in the same file", m->name);
	}
	vec_push(x->local, m);
	return end + 1;
}

/* @define (most @names are not: look at the first letter before calling) */
static inline bool is_define(const struct tok *t)
{
	return t->text[0] == 'd' && !strcmp(t->text, "define");
}

/* ---- macro uses ---- */

/*
 * Short-lived vectors start in a buffer on the stack (cap < 0: vec_push
 * moves one to the heap only if it outgrows it, vec_free frees only then):
 * conditions and macro uses come by the thousand in the tapset library.
 */
#define PP_VEC_ON_STACK(name, buf) \
	struct vec name = { .v = (buf), .cap = -(int)(sizeof(buf) / sizeof((buf)[0])) }

#define PP_ARGS 8		/* macro arguments with a vector on the stack */
#define PP_ARG_TOKS 8		/* tokens each of those holds there */

/* the first PP_ARGS argument vectors are on pp_invoke's stack */
static void free_args(struct vec *args)
{
	vec_each(args, i) {
		struct vec *a = vec_get(args, i);

		vec_free(a);
		if (i >= PP_ARGS)
			free(a);
	}
	vec_free(args);
}

/* @name(args): collect the raw argument token ranges; returns index after
 * the closing ')' or -1 */
static int collect_args(struct ppx *x, struct tok **v, int n, int k,
			struct vec *ranges)
{
	int depth = 0, start = k + 1;

	for (int j = k; j < n; j++) {
		int kind = v[j]->kind;

		if (kind == END_OF_FILE)
			break;
		if (kind == '(' || kind == '[' || kind == '{' || kind == PP_IF)
			depth++;
		else if (kind == ')' || kind == ']' || kind == '}' || kind == PP_END)
			depth--;
		if (depth == 1 && kind == ',') {
			vec_push(ranges, (void *)(long)start);
			vec_push(ranges, (void *)(long)j);
			start = j + 1;
		} else if (depth == 0) {
			if (j > k + 1 || start != j) {
				vec_push(ranges, (void *)(long)start);
				vec_push(ranges, (void *)(long)j);
			}
			return j + 1;
		}
	}
	(void)x;
	return -1;
}

static int pp_invoke(struct ppx *x, struct tok **v, int n, int i,
		     const struct pp_macro *m, struct vec *out,
		     const struct pp_env *env)
{
	struct tok *at = v[i];
	void *rbuf[2 * PP_ARGS], *abuf[PP_ARGS], *tbuf[PP_ARGS][PP_ARG_TOKS];
	struct vec own[PP_ARGS];
	PP_VEC_ON_STACK(ranges, rbuf);
	PP_VEC_ON_STACK(args, abuf);
	struct pp_env e = { .m = m, .args = &args, .up = env };
	int next = i + 1;

	/* a parameterless @m never takes "(...)": that is the next expression */
	if (i + 1 < n && v[i + 1]->kind == '(' && m->params.n) {
		next = collect_args(x, v, n, i + 1, &ranges);
		if (next < 0) {
			perr(x, at, "unterminated argument list of macro '@%s'", m->name);
			vec_free(&ranges);
			return n - 1;
		}
	}
	if (ranges.n / 2 != m->params.n) {
		char msg[160];

		snprintf(msg, sizeof(msg), "macro '@%%s' takes %d argument%s, found %d",
			 m->params.n, m->params.n == 1 ? "" : "s", ranges.n / 2);
		perr(x, at, msg, m->name);
		vec_free(&ranges);
		return next;
	}
	if (x->depth >= MAX_DEPTH) {
		perr(x, at, "macro '@%s' expands too deeply (recursive?)", m->name);
		vec_free(&ranges);
		return next;
	}
	for (int a = 0; a < ranges.n; a += 2) {
		long s0 = (long)vec_get(&ranges, a), s1 = (long)vec_get(&ranges, a + 1);
		struct vec *av;

		if (a / 2 < PP_ARGS) {
			av = &own[a / 2];
			*av = (struct vec){ .v = tbuf[a / 2], .cap = -PP_ARG_TOKS };
		} else {
			av = xcalloc(1, sizeof(*av));
		}
		pp_seq(x, v + s0, (int)(s1 - s0), av, env);
		vec_push(&args, av);
	}
	vec_free(&ranges);
	x->depth++;
	pp_seq(x, m->body, m->n, out, &e);
	x->depth--;
	free_args(&args);
	return next;
}

/* ---- command-line arguments ---- */

static void pp_arg(struct ppx *x, struct tok *t, struct vec *out)
{
	struct session *s = x->s;
	struct arena *ar = x->w->arena;
	int nargs = s->args.n;
	struct tok *r;

	if (t->num < 0) {	/* $# @# */
		r = arena_new(ar, struct tok);
		*r = *t;
		r->kind = t->kind == ARG_NUM ? NUMBER : STRING;
		r->num = nargs;
		r->text = arena_strdup(ar, t->kind == ARG_NUM ? "$#" : "@#");
		if (t->kind == ARG_STR) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%d", nargs);
			r->text = arena_strdup(ar, buf);
		}
		vec_push(out, r);
		return;
	}
	if (t->num < 1 || t->num > nargs) {
		char msg[128];

		if (nargs)
			snprintf(msg, sizeof(msg),
				 "command line argument index %lld out of range [1-%d]%%s",
				 (long long)t->num, nargs);
		else
			snprintf(msg, sizeof(msg),
				 "command line argument index %lld out of range [1-0]%%s",
				 (long long)t->num);
		perr(x, t, msg, "");
		return;
	}
	if (t->kind == ARG_STR) {
		r = arena_new(ar, struct tok);
		*r = *t;
		r->kind = STRING;
		r->text = vec_get(&s->args, (int)t->num - 1);
		vec_push(out, r);
		return;
	}
	/* $N: the argument's text, lexed as script tokens */
	struct src_file *f = arena_new(ar, struct src_file);
	struct vec toks = { 0 };
	int before = x->w->errors;

	f->name = arena_strdup(ar, t->text);
	f->text = vec_get(&s->args, (int)t->num - 1);
	f->is_tapset = t->loc.file ? t->loc.file->is_tapset : false;
	lex_file(x->w, f, &toks, ar);
	if (x->w->errors == before && toks.n == 1)
		perr(x, t, "command line argument %s is empty", t->text);
	for (int k = 0; k + 1 < toks.n; k++) {
		struct tok *a = vec_get(&toks, k);

		a->loc = t->loc;
		a->space_before = k ? a->space_before : t->space_before;
		if (a->kind == ARG_NUM || a->kind == ARG_STR)
			pp_arg(x, a, out);
		else
			vec_push(out, a);
	}
	vec_free(&toks);
}

/* ---- @ operators known to the grammar ---- */

static int at_kind(const char *name)
{
	static const struct { const char *n; int k; } ops[] = {
		{ "cast", AT_CAST }, { "var", AT_VAR }, { "defined", AT_DEFINED },
		{ "entry", AT_ENTRY }, { "perf", AT_PERF }, { "const", AT_CONST },
		{ "count", AT_STAT }, { "sum", AT_STAT }, { "min", AT_STAT },
		{ "max", AT_STAT }, { "avg", AT_STAT }, { "variance", AT_STAT },
		{ "hist_log", AT_HIST }, { "hist_linear", AT_HIST },
		{ "choose_defined", AT_CHOOSE }, { "probewrite", AT_PROBEWRITE },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].n, name))
			return ops[i].k;
	return 0;
}

/* ---- conditions ---- */

struct cparse {
	struct ppx *x;
	struct tok **v;
	int n, i;
	bool err;
};

/* slot of name (NUL- or '='-terminated) in the .config hash */
static unsigned config_slot(const struct pp_state *st, const char *name)
{
	unsigned mask = (unsigned)st->config_cap - 1, h = 2166136261u;
	const char *p;

	for (p = name; *p && *p != '='; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (h &= mask; st->config_tab[2 * h]; h = (h + 1) & mask) {
		const char *a = st->config_tab[2 * h], *b = name;

		while (*a && *a == *b && *b != '=') {
			a++;
			b++;
		}
		if (!*a && (!*b || *b == '='))
			break;
	}
	return h;
}


/* read the build tree's .config once: CONFIG_X=val lines into a hash */
static void config_load(struct pp_state *st, const struct session *s)
{
	char path[4096], *p, *end, *next;
	size_t len;
	int n = 0;

	if (!s->kernel_build_dir)
		return;
	snprintf(path, sizeof(path), "%s/.config", s->kernel_build_dir);
	st->config_buf = file_read(path, &len);
	if (!st->config_buf)
		return;
	end = st->config_buf + len;
	for (p = st->config_buf; p < end; p = next) {	/* size the hash */
		char *nl = memchr(p, '\n', (size_t)(end - p));

		next = nl ? nl + 1 : end;
		n += *p == 'C' && !strncmp(p, "CONFIG_", 7);
	}
	st->config_cap = 64;
	while (st->config_cap < 2 * n)
		st->config_cap *= 2;
	st->config_tab = xcalloc((size_t)st->config_cap * 2, sizeof(char *));
	for (p = st->config_buf; p < end; p = next) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;
		size_t l = (size_t)((nl ? nl : end) - p);

		next = nl ? nl + 1 : end;
		if (*p != 'C')
			continue;	/* comments: "# CONFIG_X is not set" */
		p[l] = 0;
		while (l && p[l - 1] == '\r')
			p[--l] = 0;
		if (!strncmp(p, "CONFIG_", 7) && (eq = strchr(p, '='))) {
			unsigned h;

			*eq = 0;
			h = config_slot(st, p);
			st->config_tab[2 * h] = p;
			st->config_tab[2 * h + 1] = eq + 1;
		}
	}
}

static const char *config_value(struct ppx *x, const char *name)
{
	struct pp_state *st = x->st;
	const char *val;
	size_t vl;
	unsigned h;

	if (!atomic_load_explicit(&st->config_loaded, memory_order_acquire))
		pp_config_load(x->s);
	if (!st->config_tab)
		return "";
	h = config_slot(st, name);
	val = st->config_tab[2 * h + 1];
	if (!val)
		return "";
	vl = strlen(val);
	if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"')
		return arena_strndup(x->w->arena, val + 1, vl - 2);
	return val;
}

void pp_freeze(struct session *s)
{
	find_global(pp_state(s), "", name_hash(""));
	pp_config_load(s);
}

void pp_config_load(struct session *s)
{
	struct pp_state *st = pp_state(s);

	pthread_mutex_lock(&st->config_lock);
	if (!atomic_load_explicit(&st->config_loaded, memory_order_relaxed)) {
		config_load(st, s);
		atomic_store_explicit(&st->config_loaded, true, memory_order_release);
	}
	pthread_mutex_unlock(&st->config_lock);
}

static struct tok *cpeek(struct cparse *c)
{
	return c->i < c->n ? c->v[c->i] : NULL;
}

static void cerror(struct cparse *c, const struct tok *at, const char *msg)
{
	if (c->err)
		return;
	c->err = true;
	if (!at)
		at = c->n ? c->v[c->n - 1] : NULL;
	if (at)
		perr(c->x, at, "%s", msg);
}

static bool is_op(const struct tok *t)
{
	return t && (t->kind == EQ || t->kind == NE || t->kind == '<' ||
		     t->kind == '>' || t->kind == LE || t->kind == GE);
}

static bool is_eq(const struct tok *t)
{
	return t->kind == EQ || t->kind == NE;
}

static bool apply(int op, int cmp)
{
	switch (op) {
	case EQ: return cmp == 0;
	case NE: return cmp != 0;
	case '<': return cmp < 0;
	case '>': return cmp > 0;
	case LE: return cmp <= 0;
	default: return cmp >= 0;
	}
}

/* string == / != match globs (kernel_v == "6.1*") */
static bool str_test(int op, const char *l, const char *r, bool ver)
{
	if (op == EQ || op == NE) {
		bool m = !strcmp(l, r) || fnmatch(r, l, 0) == 0;

		return op == EQ ? m : !m;
	}
	return apply(op, ver ? strverscmp(l, r) : strcmp(l, r));
}

/* the value of a predefined preprocessor name, or NULL */
static const char *pp_name(struct ppx *x, const char *n, bool *ver)
{
	struct session *s = x->s;

	*ver = false;
	if (!strcmp(n, "kernel_v") || !strcmp(n, "kernel_vr")) {
		const char *r = s->kernel_release ? s->kernel_release : "";

		*ver = true;
		if (!strcmp(n, "kernel_v"))	/* "6.1.0-56-amd64" -> "6.1.0" */
			r = arena_strndup(x->w->arena, r, strcspn(r, "-"));
		return r;
	}
	if (!strcmp(n, "systemtap_v")) {
		*ver = true;
		return STAP_COMPAT_VERSION;
	}
	if (!strcmp(n, "arch"))
		return "x86_64";
	if (!strcmp(n, "runtime"))
		return "kernel";
	if (!strcmp(n, "systemtap_privilege"))
		return "stapdev";
	return NULL;
}

/* one comparison, with stap's typing rules */
static bool cond_cmp(struct cparse *c)
{
	struct tok *l = cpeek(c), *op, *r;
	const char *val;
	bool ver;

	if (!l) {
		cerror(c, NULL, "expected a preprocessor condition");
		return false;
	}
	c->i++;
	op = cpeek(c);
	if (!is_op(op)) {
		cerror(c, op ? op : l, "expected a comparison operator in preprocessor condition");
		return false;
	}
	c->i++;
	r = cpeek(c);
	if (!r) {
		cerror(c, op, "expected a right operand in preprocessor condition");
		return false;
	}
	c->i++;
	if (l->kind == IDENT && (val = pp_name(c->x, l->text, &ver))) {
		if (!ver && !is_eq(op)) {
			cerror(c, op, "expected '==' or '!='");
			return false;
		}
		if (r->kind != STRING) {
			cerror(c, r, "expected string literal");
			return false;
		}
		return str_test(op->kind, val, r->text, ver);
	}
	if (l->kind == IDENT && !strcmp(l->text, "guru_mode")) {
		if (!is_eq(op)) {
			cerror(c, op, "expected '==' or '!='");
			return false;
		}
		if (r->kind != NUMBER) {
			cerror(c, r, "expected number");
			return false;
		}
		long long g = c->x->s->guru ? 1 : 0;

		return apply(op->kind, g < r->num ? -1 : g > r->num);
	}
	if (l->kind == IDENT && !strncmp(l->text, "CONFIG_", 7)) {
		const char *lv = config_value(c->x, l->text);

		if (r->kind == STRING) {
			if (!is_eq(op)) {
				cerror(c, op, "expected '==' or '!='");
				return false;
			}
			return str_test(op->kind, lv, r->text, false);
		}
		if (r->kind == NUMBER) {
			char *end;
			long long n = strtoll(lv, &end, 0);

			if (!*lv || *end)
				return false;
			return apply(op->kind, n < r->num ? -1 : n > r->num);
		}
		if (r->kind == IDENT && !strncmp(r->text, "CONFIG_", 7)) {
			const char *rv = config_value(c->x, r->text);

			return apply(op->kind, strcmp(lv, rv));
		}
		cerror(c, r, "expected string, number literal or other CONFIG_... as right side operand");
		return false;
	}
	if (l->kind == NUMBER) {
		if (r->kind != NUMBER) {
			cerror(c, r, "expected number literal as right value");
			return false;
		}
		return apply(op->kind, l->num < r->num ? -1 : l->num > r->num);
	}
	if (l->kind == STRING) {
		if (r->kind != STRING) {
			cerror(c, r, "expected string literal as right value");
			return false;
		}
		return str_test(op->kind, l->text, r->text, false);
	}
	cerror(c, l, "expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', "
	       "'systemtap_privilege', 'guru_mode', 'CONFIG_...', or a comparison "
	       "between strings or integers");
	return false;
}

static bool cond_and(struct cparse *c)
{
	bool b = cond_cmp(c);

	while (cpeek(c) && cpeek(c)->kind == LAND) {
		c->i++;
		bool r = cond_cmp(c);

		b = b && r;
	}
	return b;
}

static bool cond_or(struct cparse *c)
{
	bool b = cond_and(c);

	while (cpeek(c) && cpeek(c)->kind == LOR) {
		c->i++;
		bool r = cond_and(c);

		b = b || r;
	}
	return b;
}

static bool pp_eval(struct ppx *x, struct tok *at, struct tok **v, int n,
		    const struct pp_env *env, bool *ok)
{
	void *buf[64];
	PP_VEC_ON_STACK(exp, buf);
	struct cparse c = { .x = x };
	bool b;

	pp_seq(x, v, n, &exp, env);
	c.v = (struct tok **)exp.v;
	c.n = exp.n;
	if (!c.n) {
		perr(x, at, "empty preprocessor condition%s", "");
		vec_free(&exp);
		*ok = false;
		return false;
	}
	b = cond_or(&c);
	if (!c.err && c.i < c.n)
		cerror(&c, c.v[c.i], "expected '%?' after preprocessor condition");
	*ok = !c.err;
	vec_free(&exp);
	return b;
}

/* ---- the main walk ---- */

static void pp_seq(struct ppx *x, struct tok **v, int n, struct vec *out,
		   const struct pp_env *env)
{
	for (int i = 0; i < n;) {
		struct tok *t = v[i];

		switch (t->kind) {
		case PP_IF: {
			int then, els, dup, end = match_cond(v, n, i, &then, &els, &dup);
			bool ok, b;

			if (dup >= 0)
				perr(x, v[dup], "invalid conditional - duplicate '%s'", "%:");

			if (end < 0 || then < 0) {
				perr(x, t, then < 0 ? "expected '%%?' in preprocessor conditional%s"
					: "unterminated preprocessor conditional, expected '%%)'%s", "");
				return;
			}
			b = pp_eval(x, t, v + i + 1, then - i - 1, env, &ok);
			if (!ok) {
				i = end + 1;
				break;
			}
			if (b)
				pp_seq(x, v + then + 1, (els >= 0 ? els : end) - then - 1, out, env);
			else if (els >= 0)
				pp_seq(x, v + els + 1, end - els - 1, out, env);
			i = end + 1;
			break;
		}
		case PP_THEN:
		case PP_ELSE:
		case PP_END:
			perr(x, t, "'%s' outside a preprocessor conditional", t->text);
			i++;
			break;
		case ARG_NUM:
		case ARG_STR:
			pp_arg(x, t, out);
			i++;
			break;
		case AT_IDENT: {
			const struct pp_macro *m;

			if (is_define(t)) {
				if (env)
					perr(x, t, "'@define' inside a macro body%s", "");
				i = pp_define(x, v, n, i, true);
				break;
			}
			/* a macro parameter? */
			if (env) {
				bool found = false;

				vec_each(&env->m->params, p) {
					if (!strcmp(vec_get(&env->m->params, p), t->text)) {
						struct vec *a = vec_get(env->args, p);

						vec_each(a, k)
							vec_push(out, vec_get(a, k));
						found = true;
						break;
					}
				}
				if (found) {
					i++;
					break;
				}
			}
			m = find_macro(x, t->text);
			if (m) {
				i = pp_invoke(x, v, n, i, m, out, env);
				break;
			}
			int k = at_kind(t->text);

			if (!k) {
				perr(x, t, "unknown macro or operator '@%s'", t->text);
				i++;
				/* skip its arguments too */
				if (i < n && v[i]->kind == '(') {
					struct vec r = { 0 };
					int nx = collect_args(x, v, n, i, &r);

					vec_free(&r);
					if (nx > 0)
						i = nx;
				}
				break;
			}
			struct tok *c = keep(x->pp, t);

			c->kind = k;
			vec_push(out, c);
			i++;
			break;
		}
		default:
			vec_push(out, t);
			i++;
			break;
		}
	}
}

/* ---- the stream over a lexer ---- */

/* an open conditional of the file's top level */
struct pp_cond {
	struct src_loc at;	/* its %( */
	bool in_else;		/* emitting the %: branch (else the %? one) */
};

struct pp {
	struct ppx x;
	struct vec local;	/* this file's macros */
	struct lexer *lx;
	bool stpm;		/* kept tokens go to the (session's) arena */
	int chunk, used;	/* next free token in the pwork's pool */
	struct vec back;	/* pushed-back raw tokens (struct tok *), LIFO */
	struct pp_cond *conds;	/* open conditionals, innermost last */
	int nconds, capconds;
	struct tok *q;		/* output queue */
	int qh, qn, qcap;
	struct vec sv, sout;	/* stream_at's token lists, reused */
	int nout;
};

static void raw_next(struct pp *p, struct tok *t)
{
	if (p->back.n) {
		*t = *(struct tok *)p->back.v[--p->back.n];
		return;
	}
	lex_next(p->lx, t);
}

#define POOL_CHUNK 256

/* a copy of t that lives as long as this file's stream (as long as the
 * session for an .stpm file's macros) */
static struct tok *keep(struct pp *p, const struct tok *t)
{
	struct pwork *st = p->x.w;
	struct tok *k;

	if (p->stpm) {
		k = arena_alloc(st->arena, sizeof(*k));
	} else {
		if (p->used == POOL_CHUNK) {
			p->chunk++;
			p->used = 0;
		}
		if (p->chunk == st->pool_n) {
			st->pool = xrealloc(st->pool, sizeof(*st->pool) * (size_t)(st->pool_n + 1));
			st->pool[st->pool_n++] = xmalloc(sizeof(struct tok) * POOL_CHUNK);
		}
		k = &st->pool[p->chunk][p->used++];
	}
	*k = *t;
	return k;
}

/* push v[from..n) back so that v[from] is read next */
static void push_back(struct pp *p, struct tok **v, int from, int n)
{
	for (int i = n - 1; i >= from; i--)
		vec_push(&p->back, v[i]);
}

static void emit(struct pp *p, const struct tok *t)
{
	if (p->qn == p->qcap) {
		p->qcap = p->qcap ? p->qcap * 2 : 16;
		p->q = xrealloc(p->q, sizeof(*p->q) * (size_t)p->qcap);
	}
	p->q[p->qn++] = *t;
}

/* queue v's tokens; v is emptied (its array kept for the next use) */
static void emit_vec(struct pp *p, struct vec *v)
{
	vec_each(v, i)
		emit(p, vec_get(v, i));
	v->n = 0;
}

/* read the rest of a group opened by the token just kept in *v (a '(' of
 * macro arguments), as collect_args counts depth; false at the end of the
 * file (the END_OF_FILE is kept too) */
static bool collect_group(struct pp *p, struct vec *v)
{
	int depth = 1;
	struct tok t;

	for (;;) {
		raw_next(p, &t);
		vec_push(v, keep(p, &t));
		if (t.kind == END_OF_FILE)
			return false;
		if (t.kind == '(' || t.kind == '[' || t.kind == '{' || t.kind == PP_IF)
			depth++;
		else if (t.kind == ')' || t.kind == ']' || t.kind == '}' || t.kind == PP_END)
			depth--;
		if (depth == 0)
			return true;
	}
}

/* skip a branch: up to the %) closing the current level (returns PP_END),
 * or, with want_else, a %: of this level (PP_ELSE); END_OF_FILE at the end */
static int skip_branch(struct pp *p, bool want_else, bool had_else)
{
	int depth = 0;
	bool dup = false;
	struct tok t;

	for (;;) {
		raw_next(p, &t);
		switch (t.kind) {
		case END_OF_FILE:
			vec_push(&p->back, keep(p, &t));
			return END_OF_FILE;
		case PP_IF:
			depth++;
			break;
		case PP_END:
			if (depth-- == 0)
				return PP_END;
			break;
		case PP_ELSE:
			if (depth)
				break;
			if (want_else)
				return PP_ELSE;
			if (had_else && !dup) {
				perr(&p->x, &t, "invalid conditional - duplicate '%s'", "%:");
				dup = true;
			}
			had_else = true;
			break;
		}
	}
}

static void unterminated(struct pp *p, const struct src_loc *at)
{
	pw_error(p->x.w, at, "unterminated preprocessor conditional, expected '%%)'");
}

static void push_cond(struct pp *p, const struct tok *at, bool in_else)
{
	if (p->nconds == p->capconds) {
		p->capconds = p->capconds ? p->capconds * 2 : 8;
		p->conds = xrealloc(p->conds, sizeof(*p->conds) * (size_t)p->capconds);
	}
	p->conds[p->nconds].at = at->loc;
	p->conds[p->nconds].in_else = in_else;
	p->nconds++;
}

/* %( COND %? ...: evaluate COND, then emit or skip the first branch */
static void stream_if(struct pp *p, const struct tok *at)
{
	void *buf[64];
	PP_VEC_ON_STACK(cond, buf);
	int depth = 0, r;
	bool ok, b;
	struct tok t;

	for (;;) {
		raw_next(p, &t);
		if (t.kind == END_OF_FILE || (t.kind == PP_END && depth == 0)) {
			perr(&p->x, at, "expected '%%?' in preprocessor conditional%s", "");
			vec_free(&cond);
			/* like an unusable conditional: nothing after it is read */
			while (t.kind != END_OF_FILE)
				raw_next(p, &t);
			vec_push(&p->back, keep(p, &t));
			return;
		}
		if (t.kind == PP_THEN && depth == 0)
			break;
		if (t.kind == PP_IF)
			depth++;
		else if (t.kind == PP_END)
			depth--;
		vec_push(&cond, keep(p, &t));
	}
	b = pp_eval(&p->x, (struct tok *)at, (struct tok **)cond.v, cond.n, NULL, &ok);
	vec_free(&cond);
	if (!ok) {
		if (skip_branch(p, false, false) == END_OF_FILE)
			unterminated(p, &at->loc);
		return;
	}
	if (b) {
		push_cond(p, at, false);
		return;
	}
	r = skip_branch(p, true, false);
	if (r == END_OF_FILE)
		unterminated(p, &at->loc);
	else if (r == PP_ELSE)
		push_cond(p, at, true);
}

/* @define at the top level: gather its tokens, let pp_define read them,
 * and give back what it did not take */
static void stream_define(struct pp *p, const struct tok *at)
{
	struct vec v = { 0 };
	struct tok t;
	int k;

	vec_push(&v, keep(p, at));
	raw_next(p, &t);
	vec_push(&v, keep(p, &t));
	if (t.kind == IDENT) {
		raw_next(p, &t);
		vec_push(&v, keep(p, &t));
		if (t.kind == '(') {
			do {
				raw_next(p, &t);
				vec_push(&v, keep(p, &t));
			} while (t.kind == IDENT || t.kind == ',');
			if (t.kind == ')') {
				raw_next(p, &t);
				vec_push(&v, keep(p, &t));
			}
		}
		if (t.kind == PP_IF) {
			int depth = 1;

			while (depth && t.kind != END_OF_FILE) {
				raw_next(p, &t);
				vec_push(&v, keep(p, &t));
				if (t.kind == PP_IF)
					depth++;
				else if (t.kind == PP_END)
					depth--;
			}
		}
	}
	k = pp_define(&p->x, (struct tok **)v.v, v.n, 0, true);
	if (k < v.n)
		push_back(p, (struct tok **)v.v, k, v.n);
	vec_free(&v);
}

/* @name at the top level: a macro use, an operator, or an error */
static void stream_at(struct pp *p, const struct tok *at)
{
	const struct pp_macro *m;
	struct vec v = { 0 };
	struct tok t;
	int k;

	if (is_define(at)) {
		stream_define(p, at);
		return;
	}
	m = find_macro(&p->x, at->text);
	if (m) {
		struct vec *mv = &p->sv;

		mv->n = 0;
		vec_push(mv, keep(p, at));
		if (m->params.n) {
			raw_next(p, &t);
			vec_push(mv, keep(p, &t));
			if (t.kind == '(')
				collect_group(p, mv);
		}
		k = pp_invoke(&p->x, (struct tok **)mv->v, mv->n, 0, m, &p->sout, NULL);
		if (k >= 0 && k < mv->n)
			push_back(p, (struct tok **)mv->v, k, mv->n);
		emit_vec(p, &p->sout);
		return;
	}
	k = at_kind(at->text);
	if (!k) {
		perr(&p->x, at, "unknown macro or operator '@%s'", at->text);
		/* skip its arguments too */
		raw_next(p, &t);
		vec_push(&v, keep(p, &t));
		if (t.kind != '(' || !collect_group(p, &v))
			push_back(p, (struct tok **)v.v, 0, v.n);
		vec_free(&v);
		return;
	}
	t = *at;
	t.kind = k;
	emit(p, &t);
}

/* tokens the preprocessor acts on; every other one passes through */
static bool is_special(int kind)
{
	switch (kind) {
	case END_OF_FILE: case PP_IF: case PP_THEN: case PP_ELSE: case PP_END:
	case ARG_NUM: case ARG_STR: case AT_IDENT:
		return true;
	default:
		return false;
	}
}

/* act on one raw token; output goes to the (empty) queue */
static void process(struct pp *p, struct tok *t)
{
	switch (t->kind) {
	case END_OF_FILE:
		if (p->nconds) {
			unterminated(p, &p->conds[p->nconds - 1].at);
			p->nconds = 0;
		}
		emit(p, t);
		vec_push(&p->back, keep(p, t));
		break;
	case PP_IF:
		stream_if(p, t);
		break;
	case PP_ELSE:
		if (p->nconds && !p->conds[p->nconds - 1].in_else) {
			if (skip_branch(p, false, true) == END_OF_FILE)
				unterminated(p, &p->conds[p->nconds - 1].at);
			p->nconds--;
			break;
		}
		if (p->nconds)
			perr(&p->x, t, "invalid conditional - duplicate '%s'", "%:");
		perr(&p->x, t, "'%s' outside a preprocessor conditional", t->text);
		break;
	case PP_END:
		if (p->nconds) {
			p->nconds--;
			break;
		}
		perr(&p->x, t, "'%s' outside a preprocessor conditional", t->text);
		break;
	case PP_THEN:
		perr(&p->x, t, "'%s' outside a preprocessor conditional", t->text);
		break;
	case ARG_NUM:
	case ARG_STR:
		pp_arg(&p->x, t, &p->sout);
		emit_vec(p, &p->sout);
		break;
	case AT_IDENT:
		stream_at(p, t);
		break;
	default:
		emit(p, t);
		break;
	}
}

/* read raw tokens until some output is queued */
static void fill(struct pp *p)
{
	struct tok t;

	while (p->qh == p->qn) {
		p->qh = p->qn = 0;
		raw_next(p, &t);
		process(p, &t);
	}
}

struct pp *pp_open(struct pwork *w, const struct src_file *src, bool stpm)
{
	struct pp *p = xcalloc(1, sizeof(*p));
	struct session *s = w->s;

	p->x.s = s;
	p->x.w = w;
	p->x.st = pp_state(s);
	p->x.local = stpm ? &p->x.st->macros : &p->local;
	p->x.pp = p;
	p->stpm = stpm;
	p->lx = lex_open(w, src);
	return p;
}

const struct tok *pp_peek(struct pp *p)
{
	if (p->qh == p->qn)
		fill(p);
	return &p->q[p->qh];
}

void pp_next(struct pp *p, struct tok *t)
{
	if (p->qh == p->qn) {
		/* the usual case: straight from the lexer, nothing queued */
		if (p->back.n)
			raw_next(p, t);
		else
			lex_next(p->lx, t);
		if (!is_special(t->kind)) {
			p->nout++;
			return;
		}
		p->qh = p->qn = 0;
		process(p, t);
		fill(p);
	}
	*t = p->q[p->qh];
	if (t->kind != END_OF_FILE) {
		p->qh++;
		p->nout++;
	}
}

void pp_drain(struct pp *p)
{
	struct tok t;

	do
		pp_next(p, &t);
	while (t.kind != END_OF_FILE);
}

void pp_close(struct pp *p, int *nraw, int *nout)
{
	if (nraw)
		*nraw = lex_count(p->lx);
	if (nout)
		*nout = p->nout;
	lex_close(p->lx);
	if (p->x.local == &p->local) {
		vec_each(&p->local, i) {
			struct pp_macro *m = vec_get(&p->local, i);

			vec_free(&m->params);
		}
	}
	vec_free(&p->local);
	vec_free(&p->back);
	vec_free(&p->sv);
	vec_free(&p->sout);
	free(p->conds);
	free(p->q);
	free(p);
}
