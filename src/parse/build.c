/* SPDX-License-Identifier: GPL-2.0-or-later */
/* build.c - AST constructors called from the grammar's actions */
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "parse/pctx.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "grammar.tab.h"

#define NEW(ctx, T) arena_new((ctx)->w->arena, T)

static void perr(struct pctx *ctx, const struct src_loc *loc, const char *msg)
{
	pw_error(ctx->w, loc, "%s", msg);
}

bool tok_is_decl_start(const struct tok *t)
{
	switch (t->kind) {
	case PROBE: case FUNCTION: case GLOBAL: case PRIVATE: case END_OF_FILE:
		return true;
	case EMBEDDED:
		return t->loc.col == 1;
	default:
		return false;
	}
}

static bool is_piece(const struct tok *t, bool first)
{
	switch (t->kind) {
	case IDENT: case '*': case TARGET:
		return true;
	case NUMBER:
		return !first;
	default:
		return t->kind >= PROBE && t->kind <= LONG_KW;
	}
}

/* inside a probe header, glue "sys" "*" "64" into one "sys*64" token
 * (out of line, like the rest of the header tracking: pctx_next runs for
 * every token and stays cheap to call) */
static __attribute__((noinline)) void glue(struct pctx *ctx, struct tok *t)
{
	const struct tok *n = pp_peek(ctx->pp);
	struct strbuf sb = { 0 };
	struct tok skip;

	if (!is_piece(n, false) || n->space_before)
		return;
	sb_puts(&sb, t->kind == TARGET ? "$" : "");
	sb_puts(&sb, t->text);
	t->kind = IDENT;
	while (is_piece(n, false) && !n->space_before) {
		sb_puts(&sb, n->kind == TARGET ? "$" : "");
		sb_puts(&sb, n->text);
		pp_next(ctx->pp, &skip);
		n = pp_peek(ctx->pp);
	}
	t->text = arena_strndup(ctx->w->arena, sb_str(&sb), sb.len);
	sb_free(&sb);
}

/* a token inside a probe header */
static __attribute__((noinline)) void header_in(struct pctx *ctx, struct tok *t)
{
	if (t->kind == '(')
		ctx->hdr_parens++;
	else if (t->kind == ')' && ctx->hdr_parens > 0)
		ctx->hdr_parens--;
	if (ctx->hdr_parens)
		return;
	if (t->kind == '{') {
		if (ctx->hdr_groups || ctx->prev_kind == '.' || ctx->prev_kind == PROBE) {
			ctx->hdr_groups++;
		} else {
			ctx->header = false;
			ctx->braces = 1;
		}
	} else if (t->kind == '}' && ctx->hdr_groups) {
		ctx->hdr_groups--;
	} else if (t->kind == END_OF_FILE) {
		ctx->header = false;
	} else if (is_piece(t, true)) {
		glue(ctx, t);
	}
}

/* track where probe headers start and end */
static inline void header_track(struct pctx *ctx, struct tok *t)
{
	if (ctx->header) {
		header_in(ctx, t);
	} else if (t->kind == PROBE && ctx->braces == 0) {
		ctx->header = true;
		ctx->hdr_parens = ctx->hdr_groups = 0;
	} else if (t->kind == '{') {
		ctx->braces++;
	} else if (t->kind == '}' && ctx->braces > 0) {
		ctx->braces--;
	}
}

void pctx_next(struct pctx *ctx, struct tok *t)
{
	for (;;) {
		pp_next(ctx->pp, t);
		if (!ctx->skip || tok_is_decl_start(t))
			break;
	}
	if (ctx->skip) {
		ctx->braces = 0;
		ctx->header = false;
	}
	ctx->skip = false;
	header_track(ctx, t);
	ctx->prev_kind = t->kind;
	ctx->last = t;
}

/*
 * Vectors built during parsing live in the arena, arrays included (cap < 0
 * marks an array vec_free must leave alone; a later pass that pushes past
 * the end moves it to the heap, see util/vec.h).
 */
struct vec *pvec(struct pctx *ctx)
{
	return NEW(ctx, struct vec);
}

void apush(struct pctx *ctx, struct vec *v, void *p)
{
	int cap = v->cap < 0 ? -v->cap : v->cap;

	if (v->n == cap) {
		int ncap = cap ? cap * 2 : 2;
		void **nv = arena_alloc(ctx->w->arena, sizeof(void *) * (size_t)ncap);

		if (v->n)
			memcpy(nv, v->v, sizeof(void *) * (size_t)v->n);
		if (v->cap > 0)
			free(v->v);
		v->v = nv;
		v->cap = -ncap;
	}
	v->v[v->n++] = p;
}

/*
 * Tokens handed to bison live in a pool: nothing on bison's stack is older
 * than the current top-level declaration, so when one has been reduced the
 * pool starts over (keeping the lookahead token, if one was read).
 */
#define TP_CHUNK 512

/* tok_new's slow path: the next chunk (tp_chunk is -1 before the first) */
struct tok *tok_new_chunk(struct pctx *ctx)
{
	ctx->tp_chunk++;
	if (ctx->tp_chunk == ctx->tp_n) {
		ctx->tp = xrealloc(ctx->tp, sizeof(*ctx->tp) * (size_t)(ctx->tp_n + 1));
		ctx->tp[ctx->tp_n++] = xmalloc(sizeof(struct tok) * TP_CHUNK);
	}
	ctx->tp_cur = ctx->tp[ctx->tp_chunk];
	ctx->tp_end = ctx->tp_cur + TP_CHUNK;
	return ctx->tp_cur++;
}

/* a declaration was reduced: reuse the pool; *keep (the lookahead) moves
 * to its first slot */
void tok_recycle(struct pctx *ctx, struct tok **keep)
{
	struct tok *k = keep ? *keep : NULL;

	ctx->tp_chunk = -1;
	ctx->tp_cur = ctx->tp_end = NULL;
	if (k) {
		struct tok *slot = tok_new(ctx);

		if (slot != k)
			*slot = *k;
		if (ctx->last == k)
			ctx->last = slot;
		*keep = slot;
	}
}

void tok_pool_free(struct pctx *ctx)
{
	for (int i = 0; i < ctx->tp_n; i++)
		free(ctx->tp[i]);
	free(ctx->tp);
	ctx->tp = NULL;
	ctx->tp_n = 0;
	ctx->tp_chunk = -1;
	ctx->tp_cur = ctx->tp_end = NULL;
	ctx->last = NULL;
}

/* a TARGET as a probe point component: "$name" */
struct tok *tok_join(struct pctx *ctx, struct tok *b)
{
	struct tok *t = tok_new(ctx);
	size_t lb = strlen(b->text);
	char *p = arena_alloc(ctx->w->arena, lb + 2);

	*t = *b;
	p[0] = '$';
	memcpy(p + 1, b->text, lb + 1);
	t->kind = IDENT;
	t->text = p;
	return t;
}

struct tok *brace_text(struct pctx *ctx, struct tok *open, struct vec *items)
{
	struct strbuf sb = { 0 };
	struct tok *t = tok_new(ctx);

	*t = *open;

	sb_putc(&sb, '{');
	vec_each(items, i) {
		if (i)
			sb_putc(&sb, ',');
		sb_puts(&sb, vec_get(items, i));
	}
	sb_putc(&sb, '}');
	t->kind = IDENT;
	t->text = arena_strdup(ctx->w->arena, sb_str(&sb));
	sb_free(&sb);
	vec_free(items);
	return t;
}

/* ---- declarations ---- */

void parse_add_probe(struct pctx *ctx, struct tok *kw, int priv, struct vec *pts,
		     struct stmt *body)
{
	struct ast_probe *p = NEW(ctx, struct ast_probe);

	if (priv)
		perr(ctx, &kw->loc, "probes cannot be private");
	p->points = *pts;
	p->body = body;
	p->loc = kw->loc;
	p->file = ctx->src;
	apush(ctx, &ctx->file->probes, p);
}

struct ast_alias *parse_add_alias(struct pctx *ctx, struct tok *kw, struct vec *names,
		     struct vec *pts, bool epilogue, struct stmt *body)
{
	struct ast_alias *a = NEW(ctx, struct ast_alias);

	if (names->n > 1)
		perr(ctx, &((struct probe_point *)vec_get(names, 1))->loc,
		     "a probe alias has a single name");

	vec_each(names, i) {
		struct probe_point *pp = vec_get(names, i);

		if (pp->optional || pp->sufficient || pp->cond)
			perr(ctx, &pp->loc, "probe alias name cannot be optional or conditional");
	}
	a->names = *names;
	a->points = *pts;
	a->epilogue = epilogue;
	a->body = body;
	a->loc = kw->loc;
	a->file = ctx->src;
	apush(ctx, &ctx->file->aliases, a);
	return a;
}

void parse_add_func(struct pctx *ctx, struct tok *kw, int priv, struct tok *name,
		    int type, struct vec *params, struct stmt *body)
{
	struct ast_func *f = NEW(ctx, struct ast_func);

	f->name = name->text;
	f->params = *params;
	f->ret = (enum ast_type)type;
	f->body = body;
	f->is_private = priv;
	f->loc = kw->loc;
	f->file = ctx->src;
	ctx->in_func = false;
	apush(ctx, &ctx->file->funcs, f);
}

void parse_add_globals(struct pctx *ctx, int priv, struct vec *vars)
{
	vec_each(vars, i) {
		struct ast_vardecl *v = vec_get(vars, i);

		v->is_private = priv;
		apush(ctx, &ctx->file->globals, v);
	}
	vec_free(vars);
}

static void check_embedded(struct pctx *ctx, struct tok *t, const char *what)
{
	if (!ctx->privileged)
		pw_error(ctx->w, &t->loc, "%s in unprivileged script; need stap -g", what);
}

void parse_add_embed(struct pctx *ctx, struct tok *code)
{
	struct ast_embed *e = NEW(ctx, struct ast_embed);

	check_embedded(ctx, code, "embedded code");
	e->code = code->text;
	e->loc = code->loc;
	apush(ctx, &ctx->file->embeds, e);
}

/* located at its first component */
struct probe_point *mk_pp(struct pctx *ctx, struct vec *comps, int flags,
			  struct expr *cond)
{
	struct probe_point *p = NEW(ctx, struct probe_point);
	const struct pp_comp *first = vec_get(comps, 0);

	p->comps = *comps;
	p->optional = flags & 1;
	p->sufficient = flags & 2;
	p->cond = cond;
	p->loc = first->loc;
	return p;
}

struct pp_comp *mk_comp(struct pctx *ctx, struct tok *name, struct expr *arg)
{
	struct pp_comp *c = NEW(ctx, struct pp_comp);

	c->name = name->text;
	c->arg = arg;
	c->loc = name->loc;
	return c;
}

struct ast_param *mk_param(struct pctx *ctx, struct tok *name, int type)
{
	struct ast_param *p = NEW(ctx, struct ast_param);

	p->name = name->text;
	p->type = (enum ast_type)type;
	p->loc = name->loc;
	return p;
}

struct ast_vardecl *mk_gvar(struct pctx *ctx, struct tok *name, int wrap,
			    struct tok *size, struct expr *init)
{
	struct ast_vardecl *v = NEW(ctx, struct ast_vardecl);

	v->name = name->text;
	v->loc = name->loc;
	v->global = true;
	v->wrap = wrap;
	v->arity = -1;
	v->file = ctx->src;
	v->init = init;
	if (size) {
		if (size->num <= 0)
			perr(ctx, &size->loc, "array size must be positive");
		v->size = size->num;
	}
	return v;
}

/* ---- statements ---- */

struct stmt *mk_stmt(struct pctx *ctx, enum stmt_kind k, struct tok *t)
{
	struct stmt *s = NEW(ctx, struct stmt);

	s->kind = k;
	if (t)
		s->loc = t->loc;
	return s;
}

struct stmt *mk_block(struct pctx *ctx, struct tok *t, struct vec *body)
{
	struct stmt *s = mk_stmt(ctx, S_BLOCK, t);

	s->body = *body;
	return s;
}

struct stmt *mk_return(struct pctx *ctx, struct tok *t, struct expr *e)
{
	struct stmt *s = mk_stmt(ctx, S_RETURN, t);

	if (!ctx->in_func)
		perr(ctx, &t->loc, "found 'return' not in function context");
	s->e = e;
	return s;
}

struct stmt *mk_embedded_stmt(struct pctx *ctx, struct tok *t)
{
	struct stmt *s = mk_stmt(ctx, S_EMBEDDED, t);

	check_embedded(ctx, t, "embedded code");
	s->code = t->text;
	return s;
}

/* ---- foreach ---- */

/* one key; its sort direction rides in sort_dir until fe_finish */
struct foreach_info *fe_key(struct pctx *ctx, struct tok *name, int dir)
{
	struct foreach_info *f = NEW(ctx, struct foreach_info);

	apush(ctx, &f->keys, mk_ident(ctx, name));
	f->sort_dir = dir;
	f->sort_column = dir ? 1 : 0;
	f->loc = name->loc;
	return f;
}

struct foreach_info *fe_list(struct pctx *ctx, struct vec *keys)
{
	struct foreach_info *f = NEW(ctx, struct foreach_info);

	vec_each(keys, i) {
		struct foreach_info *k = vec_get(keys, i);

		apush(ctx, &f->keys, vec_get(&k->keys, 0));
		vec_free(&k->keys);
		if (k->sort_dir) {
			if (f->sort_dir)
				perr(ctx, &k->loc, "multiple sort directives");
			f->sort_dir = k->sort_dir;
			f->sort_column = i + 1;
		}
	}
	if (keys->n)
		f->loc = ((struct foreach_info *)vec_get(keys, 0))->loc;
	vec_free(keys);
	return f;
}

struct foreach_info *fe_finish(struct pctx *ctx, struct foreach_info *value,
			       struct foreach_info *keys, struct tok *array,
			       struct expr *hist)
{
	struct foreach_info *f = keys;

	if (value) {
		f->value = vec_get(&value->keys, 0);
		vec_free(&value->keys);
		if (value->sort_dir) {
			if (f->sort_dir)
				perr(ctx, &value->loc, "multiple sort directives");
			f->sort_dir = value->sort_dir;
			f->sort_column = -1;
		}
	}
	f->array = array ? mk_ident(ctx, array) : hist;
	if (ctx->fe_slice) {
		f->slice = *ctx->fe_slice;
		ctx->fe_slice = NULL;
	}
	if (ctx->fe_vsort) {
		if (f->sort_dir)
			perr(ctx, &ctx->fe_sort_loc, "multiple sort directives");
		f->sort_dir = ctx->fe_vsort;
		f->sort_column = -1;
		if (ctx->fe_agg)
			f->sort_agg = ctx->fe_agg;
	}
	f->limit = ctx->fe_limit;
	ctx->fe_vsort = 0;
	ctx->fe_agg = NULL;
	ctx->fe_limit = NULL;
	return f;
}

/* ---- expressions ---- */

struct expr *mk_expr(struct pctx *ctx, enum expr_kind k, const struct src_loc *loc)
{
	struct expr *e = NEW(ctx, struct expr);

	e->kind = k;
	e->loc = *loc;
	return e;
}

struct expr *mk_num(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_NUM, &t->loc);

	e->num = t->num;
	return e;
}

struct expr *mk_str(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_STR, &t->loc);

	e->str = t->text;
	return e;
}

struct expr *str_join(struct pctx *ctx, struct expr *a, struct tok *t)
{
	size_t la = strlen(a->str), lb = strlen(t->text);
	char *p = arena_alloc(ctx->w->arena, la + lb + 1);

	memcpy(p, a->str, la);
	memcpy(p + la, t->text, lb + 1);
	a->str = p;
	return a;
}

struct expr *mk_ident(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_IDENT, &t->loc);

	e->str = t->text;
	return e;
}

struct expr *mk_call(struct pctx *ctx, struct tok *name, struct vec *args)
{
	struct expr *e = mk_expr(ctx, E_CALL, &name->loc);

	e->str = name->text;
	e->args = *args;
	return e;
}

struct expr *mk_print_hist(struct pctx *ctx, struct tok *name, struct expr *hist)
{
	struct expr *e = mk_expr(ctx, E_CALL, &name->loc);

	/* stap: a histogram is a whole argument of print/sprint(ln) only */
	if (strcmp(name->text, "print") && strcmp(name->text, "println") &&
	    strcmp(name->text, "sprint") && strcmp(name->text, "sprintln"))
		perr(ctx, &hist->loc, "base histogram operator where expression expected");
	e->str = name->text;
	apush(ctx, &e->args, hist);
	return e;
}

struct expr *mk_bin(struct pctx *ctx, int op, struct expr *a, struct expr *b)
{
	struct expr *e = mk_expr(ctx, E_BINARY, &a->loc);

	e->op = (enum ast_op)op;
	e->a = a;
	e->b = b;
	return e;
}

struct expr *mk_assign(struct pctx *ctx, struct expr *a, int op, struct expr *b)
{
	struct expr *e = mk_bin(ctx, op, a, b);

	e->kind = E_ASSIGN;
	return e;
}

struct expr *mk_unary(struct pctx *ctx, struct tok *t, int op, struct expr *a)
{
	struct expr *e = mk_expr(ctx, E_UNARY, &t->loc);

	e->op = (enum ast_op)op;
	e->a = a;
	return e;
}

struct expr *mk_addr(struct pctx *ctx, struct tok *t, struct expr *a)
{
	if ((a->kind == E_TARGET || a->kind == E_CAST || a->kind == E_ATVAR) &&
	    !a->addr_of) {
		a->addr_of = true;
		a->loc = t->loc;
		return a;
	}
	return mk_unary(ctx, t, OP_ADDR, a);
}

struct expr *mk_incdec(struct pctx *ctx, struct tok *t, int op, struct expr *a,
		       bool postfix)
{
	struct expr *e = mk_expr(ctx, E_INCDEC, postfix ? &a->loc : &t->loc);

	e->op = (enum ast_op)op;
	e->a = a;
	e->postfix = postfix;
	return e;
}

struct expr *mk_in(struct pctx *ctx, struct vec *keys, struct expr *key,
		   struct tok *array, const struct src_loc *loc)
{
	struct expr *e = mk_expr(ctx, E_IN, loc);

	e->a = mk_ident(ctx, array);
	if (keys)
		e->args = *keys;
	else
		apush(ctx, &e->args, key);
	return e;
}

struct expr *mk_target(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_TARGET, &t->loc);

	e->str = t->text;
	e->pretty = t->kind == TARGET ? (int)t->num : 0;
	return e;
}

struct expr *mk_target_sym(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_TARGET_SYM, &t->loc);

	/* stap accepts any $$name at pass 1; pass 2 rejects unknown ones */
	e->str = t->text;
	e->pretty = (int)t->num;
	return e;
}

struct expr *mk_cast(struct pctx *ctx, struct tok *t, struct expr *e,
		     struct expr *type, struct expr *module)
{
	struct expr *c = mk_expr(ctx, E_CAST, &t->loc);

	c->a = e;
	c->str = type->str;
	c->module = module ? module->str : NULL;
	return c;
}

struct expr *mk_atvar(struct pctx *ctx, struct tok *t, struct expr *name,
		      struct expr *module)
{
	struct expr *c = mk_expr(ctx, E_ATVAR, &t->loc);

	c->str = name->str;
	c->module = module ? module->str : NULL;
	return c;
}

struct target_comp *mk_tcomp(struct pctx *ctx, enum comp_kind k, struct tok *t,
			     struct expr *index)
{
	struct target_comp *c = NEW(ctx, struct target_comp);

	c->kind = k;
	c->loc = t->loc;
	if (k == COMP_FIELD)
		c->name = t->text;
	c->index = index;
	return c;
}

static bool has_comps(const struct expr *e)
{
	return (e->kind == E_TARGET || e->kind == E_CAST || e->kind == E_ATVAR ||
		e->kind == E_TARGET_SYM || e->kind == E_AUTOCAST) && !e->addr_of;
}

struct expr *mk_postfix(struct pctx *ctx, struct expr *base, struct target_comp *c)
{
	int pretty = 0;

	/* "->field$": identifiers may end in '$', which is pretty printing here */
	if (c->kind == COMP_FIELD) {
		size_t n = strlen(c->name);

		while (n > 1 && c->name[n - 1] == '$' && pretty < 2) {
			n--;
			pretty++;
		}
		if (pretty)
			c->name = arena_strndup(ctx->w->arena, c->name, n);
	}
	if (base->pretty)
		perr(ctx, &c->loc, "-> and [ are not accepted for a pretty-printing variable");
	if (base->kind == E_INDEX && base->a->kind == E_HIST)
		perr(ctx, &c->loc, "a histogram bucket cannot be indexed or dereferenced");
	if (!has_comps(base)) {
		struct expr *w = mk_expr(ctx, E_AUTOCAST, &base->loc);

		w->a = base;
		base = w;
	}
	apush(ctx, &base->comps, c);
	base->pretty = pretty;
	return base;
}

struct expr *mk_pretty(struct pctx *ctx, struct expr *base, int pretty)
{
	if (!has_comps(base) || base->pretty) {
		struct expr *w = mk_expr(ctx, E_AUTOCAST, &base->loc);

		w->a = base;
		base = w;
	}
	base->pretty = pretty;
	return base;
}

struct expr *mk_in_hist(struct pctx *ctx, struct vec *keys, struct expr *key,
			struct expr *hist, const struct src_loc *loc)
{
	struct expr *e = mk_expr(ctx, E_IN, loc);

	e->a = hist;
	if (keys)
		e->args = *keys;
	else
		apush(ctx, &e->args, key);
	return e;
}

struct expr *mk_const(struct pctx *ctx, struct tok *t, struct expr *str)
{
	struct expr *e = mk_expr(ctx, E_CONST, &t->loc);

	if (!ctx->privileged)
		perr(ctx, &t->loc, "using @const operator not permitted; need stap -g");
	e->str = str->str;
	return e;
}

struct expr *mk_stat(struct pctx *ctx, struct tok *t, struct expr *a, struct expr *b)
{
	struct expr *e = mk_expr(ctx, E_STAT, &t->loc);

	if (b && strcmp(t->text, "variance"))
		perr(ctx, &b->loc, "not more than 1 parameter allowed");
	e->b = b;
	e->str = t->text;
	e->a = a;
	return e;
}

struct expr *mk_hist(struct pctx *ctx, struct tok *t, struct vec *args)
{
	struct expr *e = mk_expr(ctx, E_HIST, &t->loc);
	bool linear = !strcmp(t->text, "hist_linear");
	int want = linear ? 4 : 1;

	e->str = linear ? "linear" : "log";
	if (args->n != want)
		pw_error(ctx->w, &t->loc,
		     "@%s takes %d argument%s, found %d", t->text, want,
		     want == 1 ? "" : "s", args->n);
	if (args->n)
		e->a = vec_get(args, 0);
	for (int i = 1; i < args->n; i++)
		apush(ctx, &e->args, vec_get(args, i));
	vec_free(args);
	return e;
}

struct expr *mk_embedded_expr(struct pctx *ctx, struct tok *t)
{
	struct expr *e = mk_expr(ctx, E_EMBEDDED, &t->loc);

	check_embedded(ctx, t, "embedded expression code");
	e->str = t->text;
	return e;
}
