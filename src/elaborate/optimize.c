/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * optimize.c - the optimisations users can see (stap does the same, -u
 * turns them off): assignments to locals never read are reduced to their
 * right-hand side, side-effect-free expression statements dropped, empty
 * probes elided; globals written but never read get an end probe that
 * prints them.
 */
#include <string.h>

#include "diag.h"
#include "elaborate/builtins.h"
#include "elaborate/elab_int.h"
#include "session.h"
#include "util/arena.h"

bool opt_stmt_empty(const struct stmt *st)
{
	if (!st)
		return true;
	switch (st->kind) {
	case S_NULL:
		return true;
	case S_BLOCK:
		vec_each(&st->body, i)
			if (!opt_stmt_empty(vec_get(&st->body, i)))
				return false;
		return true;
	default:
		return false;
	}
}

/* ---- dead code -------------------------------------------------------- */

static bool func_pure(struct elab *E, struct ast_func *f);

static bool builtin_pure(const struct expr *e)
{
	const struct builtin *bi = builtin_find(e->str);

	if (!bi || bi->ret == TY_VOID)
		return false;
	switch (bi->id) {
	case BI_SPRINT: case BI_SPRINTLN: case BI_SPRINTF:
	case BI_SPRINTD: case BI_SPRINTDLN: case BI_STRLEN:
	case BI_SUBSTR: case BI_ISINSTR: case BI_STRINGAT:
		return true;
	default:
		return false;
	}
}

/* inside a function: does e change anything outside the function? */
static bool expr_local_only(struct elab *E, const struct expr *e)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_CALL:
		if (e->func ? !func_pure(E, e->func) : !builtin_pure(e))
			return false;
		break;
	case E_ASSIGN: case E_INCDEC:
		if (!e->a || !e->a->var || e->a->var->global)
			return false;
		break;
	case E_EMBEDDED: case E_REGEX_MATCH:
		return false;
	default:
		break;
	}
	if (!expr_local_only(E, e->a) || !expr_local_only(E, e->b) ||
	    !expr_local_only(E, e->c))
		return false;
	vec_each(&e->args, i)
		if (!expr_local_only(E, vec_get(&e->args, i)))
			return false;
	return true;
}

static bool stmt_local_only(struct elab *E, const struct stmt *st)
{
	if (!st)
		return true;
	switch (st->kind) {
	case S_EMBEDDED: case S_TRY:
		return false;
	case S_DELETE:
		if (!st->e || !st->e->var || st->e->var->global)
			return false;
		break;
	case S_FOREACH:
		return false;
	default:
		break;
	}
	if (!expr_local_only(E, st->e) || !stmt_local_only(E, st->then) ||
	    !stmt_local_only(E, st->els) || !stmt_local_only(E, st->init) ||
	    !stmt_local_only(E, st->incr))
		return false;
	vec_each(&st->body, i)
		if (!stmt_local_only(E, vec_get(&st->body, i)))
			return false;
	return true;
}

static bool func_pure(struct elab *E, struct ast_func *f)
{
	intptr_t st = (intptr_t)map_get(&E->fpure, f);
	bool r;

	if (st)
		return st != 3;		/* in progress (recursion) counts as pure */
	map_put(&E->fpure, f, (void *)(intptr_t)1);
	if (f->body && f->body->kind == S_EMBEDDED)
		r = f->body->code && strstr(f->body->code, "/* pure */");
	else
		r = f->body && stmt_local_only(E, f->body);
	map_put(&E->fpure, f, (void *)(intptr_t)(r ? 2 : 3));
	return r;
}

static bool pure(struct elab *E, const struct expr *e)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_NUM: case E_STR: case E_IDENT: case E_STAR: case E_ARG:
	case E_TARGET: case E_TARGET_SYM: case E_CAST: case E_ATVAR:
	case E_DEFINED: case E_CONST: case E_PERF:
		break;
	case E_CALL:
		if (e->func) {
			if (!func_pure(E, e->func))
				return false;
			break;
		}
		if (!builtin_pure(e))
			return false;
		break;
	case E_EMBEDDED:
		return false;
	case E_ASSIGN: case E_INCDEC: case E_REGEX_MATCH:
		return false;
	default:
		break;
	}
	if (!pure(E, e->a) || !pure(E, e->b) || !pure(E, e->c))
		return false;
	vec_each(&e->args, i)
		if (!pure(E, vec_get(&e->args, i)))
			return false;
	return true;
}

static bool user_loc(const struct src_loc *l)
{
	return l->file && !l->file->is_tapset;
}

/* ---- which locals are still read -------------------------------------- */

static void reads_stmt(struct map *rd, const struct stmt *st);

static void reads_expr(struct map *rd, const struct expr *e, bool lhs)
{
	if (!e)
		return;
	if (e->kind == E_IDENT && e->var && !lhs)
		map_put(rd, e->var, (void *)e->var);
	if (e->kind == E_ASSIGN && e->op == OP_ASSIGN && e->a &&
	    e->a->kind == E_IDENT) {
		reads_expr(rd, e->b, false);
		return;
	}
	reads_expr(rd, e->a, false);
	reads_expr(rd, e->b, false);
	reads_expr(rd, e->c, false);
	vec_each(&e->args, i)
		reads_expr(rd, vec_get(&e->args, i), false);
	vec_each(&e->comps, i)
		reads_expr(rd, ((struct target_comp *)vec_get(&e->comps, i))->index, false);
}

static void reads_stmt(struct map *rd, const struct stmt *st)
{
	if (!st)
		return;
	reads_expr(rd, st->e, false);
	reads_stmt(rd, st->then);
	reads_stmt(rd, st->els);
	reads_stmt(rd, st->init);
	reads_stmt(rd, st->incr);
	vec_each(&st->body, i)
		reads_stmt(rd, vec_get(&st->body, i));
	if (st->fe) {
		reads_expr(rd, st->fe->array, false);
		reads_expr(rd, st->fe->limit, false);
		vec_each(&st->fe->slice, i)
			reads_expr(rd, vec_get(&st->fe->slice, i), false);
	}
}

struct dctx_opt {
	struct elab *E;
	struct map *rd;
	int changed;
};

/* x = rhs with x a local nobody reads: keep rhs only */
static void dead_expr(struct dctx_opt *O, struct expr *e)
{
	if (!e)
		return;
	dead_expr(O, e->a);
	dead_expr(O, e->b);
	dead_expr(O, e->c);
	vec_each(&e->args, i)
		dead_expr(O, vec_get(&e->args, i));
	if (e->kind == E_ASSIGN && e->op != OP_STATS_ADD && e->a &&
	    e->a->kind == E_IDENT && e->a->var && !e->a->var->global &&
	    !map_get(O->rd, e->a->var)) {
		if (user_loc(&e->loc))
			diag_warn(O->E->s, &e->loc, "Eliding assignment to '%s'",
				  e->a->str);
		*e = *e->b;
		O->changed++;
	}
}

static void to_null(struct dctx_opt *O, struct stmt *st)
{
	st->kind = S_NULL;
	st->e = NULL;
	st->fe = NULL;
	st->then = st->els = NULL;
	st->catch_var = NULL;	/* an elided try's catch variable is gone too */
	O->changed++;
}

static void dead_stmt(struct dctx_opt *O, struct stmt *st)
{
	struct elab *E = O->E;

	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		vec_each(&st->body, i)
			dead_stmt(O, vec_get(&st->body, i));
		break;
	case S_EXPR:
		dead_expr(O, st->e);
		if (pure(E, st->e)) {
			if (user_loc(&st->loc))
				diag_warn(E->s, &st->loc,
					  "Eliding side-effect-free expression");
			to_null(O, st);
		}
		break;
	case S_IF:
		dead_expr(O, st->e);
		dead_stmt(O, st->then);
		dead_stmt(O, st->els);
		if (opt_stmt_empty(st->then) && opt_stmt_empty(st->els) &&
		    pure(E, st->e))
			to_null(O, st);
		break;
	case S_FOREACH:
		dead_expr(O, st->fe->limit);
		dead_stmt(O, st->then);
		if (opt_stmt_empty(st->then) && pure(E, st->fe->limit))
			to_null(O, st);
		break;
	case S_WHILE:
		dead_expr(O, st->e);
		dead_stmt(O, st->then);
		break;
	case S_FOR:
		dead_stmt(O, st->init);
		dead_expr(O, st->e);
		dead_stmt(O, st->incr);
		dead_stmt(O, st->then);
		break;
	case S_RETURN:
		dead_expr(O, st->e);
		break;
	case S_TRY:
		dead_stmt(O, st->then);
		dead_stmt(O, st->els);
		if (opt_stmt_empty(st->then))
			to_null(O, st);
		break;
	default:
		break;
	}
}

/* variables (and functions) still referenced after elision */
static void refs_expr(struct map *seen, const struct expr *e)
{
	if (!e)
		return;
	if (e->var)
		map_put(seen, e->var, (void *)e->var);
	if (e->func)
		map_put(seen, e->func, (void *)e->func);
	refs_expr(seen, e->a);
	refs_expr(seen, e->b);
	refs_expr(seen, e->c);
	vec_each(&e->args, i)
		refs_expr(seen, vec_get(&e->args, i));
	vec_each(&e->comps, i) {
		const struct target_comp *c = vec_get(&e->comps, i);

		refs_expr(seen, c->index);
	}
}

static void refs_stmt(struct map *seen, const struct stmt *st)
{
	if (!st)
		return;
	refs_expr(seen, st->e);
	refs_expr(seen, st->catch_var);
	refs_stmt(seen, st->then);
	refs_stmt(seen, st->els);
	refs_stmt(seen, st->init);
	refs_stmt(seen, st->incr);
	vec_each(&st->body, i)
		refs_stmt(seen, vec_get(&st->body, i));
	if (st->fe) {
		vec_each(&st->fe->keys, i)
			refs_expr(seen, vec_get(&st->fe->keys, i));
		refs_expr(seen, st->fe->value);
		refs_expr(seen, st->fe->array);
		refs_expr(seen, st->fe->limit);
	}
}

static void prune_locals(struct vec *locals, const struct stmt *body,
			 const struct expr *cond, int keep_first)
{
	struct map seen = { .ptr_keys = true };
	int n = 0;

	refs_stmt(&seen, body);
	refs_expr(&seen, cond);
	vec_each(locals, i) {
		struct ast_vardecl *v = vec_get(locals, i);

		if (i < keep_first || map_get(&seen, v))
			locals->v[n++] = v;
	}
	locals->n = n;
	map_free(&seen);
}

/* after elision: the functions still reachable from the probes (in
 * first-resolution order) and the globals they or the probes refer to */
void opt_reachable(struct elab *E, struct vec *probes, struct vec *funcs,
		   struct map *seen)
{
	bool more = true;

	vec_each(probes, i) {
		struct elab_probe *ep = vec_get(probes, i);

		refs_stmt(seen, ep->body);
		refs_expr(seen, ep->cond);
	}
	while (more) {
		more = false;
		vec_each(&E->func_queue, i) {
			struct ast_func *f = vec_get(&E->func_queue, i);

			if (map_get(seen, f) && !map_get(seen, &f->locals)) {
				struct vec *ov = map_get(&E->funcs, f->name);

				map_put(seen, &f->locals, f);
				refs_stmt(seen, f->body);
				/* the other overloads of the same arity */
				vec_each(ov, k) {
					struct ast_func *g = vec_get(ov, k);

					if (g->params.n == f->params.n &&
					    map_get(&E->func_resolved, g))
						map_put(seen, g, g);
				}
				more = true;
			}
		}
	}
	vec_each(&E->func_queue, i) {
		struct ast_func *f = vec_get(&E->func_queue, i);

		if (map_get(seen, f))
			vec_push(funcs, f);
	}
}

void opt_dead_code(struct elab *E)
{
	struct dctx_opt O = { .E = E };

	for (int round = 0; round < 16; round++) {
		struct map rd = { .ptr_keys = true };

		vec_each(&E->user_probes, i) {
			struct elab_probe *ep = vec_get(&E->user_probes, i);

			reads_stmt(&rd, ep->body);
			reads_expr(&rd, ep->cond, false);
		}
		vec_each(&E->func_queue, i) {
			struct ast_func *f = vec_get(&E->func_queue, i);

			if (f->body && f->body->kind != S_EMBEDDED)
				reads_stmt(&rd, f->body);
		}
		O.rd = &rd;
		O.changed = 0;
		vec_each(&E->user_probes, i)
			dead_stmt(&O, ((struct elab_probe *)vec_get(&E->user_probes, i))->body);
		vec_each(&E->func_queue, i) {
			struct ast_func *f = vec_get(&E->func_queue, i);

			if (f->body && f->body->kind != S_EMBEDDED)
				dead_stmt(&O, f->body);
		}
		map_free(&rd);
		if (!O.changed)
			break;
	}
	vec_each(&E->user_probes, i) {
		struct elab_probe *ep = vec_get(&E->user_probes, i);

		prune_locals(&ep->locals, ep->body, ep->cond, 0);
	}
	vec_each(&E->func_queue, i) {
		struct ast_func *f = vec_get(&E->func_queue, i);

		if (f->body && f->body->kind != S_EMBEDDED)
			prune_locals(&f->locals, f->body, NULL, f->params.n);
	}
}

/* ---- autoprint -------------------------------------------------------- */

static struct expr *mk(struct elab *E, enum expr_kind k, enum ast_type t,
		       struct src_loc loc)
{
	struct expr *e = arena_new(E->A, struct expr);

	e->kind = k;
	e->type = t;
	e->loc = loc;
	return e;
}

static struct expr *mk_var(struct elab *E, struct ast_vardecl *v, struct src_loc loc)
{
	struct expr *e = mk(E, E_IDENT, v->arity > 0 ? TY_UNKNOWN : v->type, loc);

	e->str = v->name;
	e->var = v;
	return e;
}

static struct expr *mk_str(struct elab *E, const char *s, struct src_loc loc)
{
	struct expr *e = mk(E, E_STR, TY_STRING, loc);

	e->str = arena_strdup(E->A, s);
	return e;
}

static struct stmt *mk_stmt(struct elab *E, enum stmt_kind k, struct src_loc loc)
{
	struct stmt *st = arena_new(E->A, struct stmt);

	st->kind = k;
	st->loc = loc;
	return st;
}

static struct expr *mk_stat(struct elab *E, const char *op, struct expr *of)
{
	struct expr *e = mk(E, E_STAT, TY_LONG, of->loc);

	e->str = op;
	e->a = of;
	return e;
}

static const char *const aggs[] = { "count", "min", "max", "sum", "avg" };

/* printf(fmt, args) as a statement */
static struct stmt *mk_printf(struct elab *E, struct strbuf *fmt,
			      struct vec *args, struct src_loc loc)
{
	struct expr *call = mk(E, E_CALL, TY_VOID, loc);
	struct stmt *st = mk_stmt(E, S_EXPR, loc);

	call->str = "printf";
	vec_push(&call->args, mk_str(E, sb_str(fmt), loc));
	vec_each(args, i)
		vec_push(&call->args, vec_get(args, i));
	st->e = call;
	return st;
}

static void put_conv(struct strbuf *fmt, enum ast_type t)
{
	sb_puts(fmt, t == TY_STRING ? "\"%s\"" : "%d");
}

static struct stmt *print_scalar(struct elab *E, struct ast_vardecl *v,
				 struct src_loc loc)
{
	struct strbuf fmt = { 0 };
	struct vec args = { 0 };
	struct stmt *st;

	if (v->type == TY_STATS) {
		struct stmt *ifs = mk_stmt(E, S_IF, loc);
		struct expr *cmp = mk(E, E_BINARY, TY_LONG, loc), *zero;

		cmp->op = OP_EQ;
		cmp->a = mk_stat(E, "count", mk_var(E, v, loc));
		zero = mk(E, E_NUM, TY_LONG, loc);
		cmp->b = zero;
		ifs->e = cmp;
		sb_printf(&fmt, "%s @count=0x0\n", v->name);
		ifs->then = mk_printf(E, &fmt, &args, loc);
		fmt.len = 0;
		fmt.s[0] = 0;
		sb_puts(&fmt, v->name);
		for (int i = 0; i < 5; i++) {
			sb_printf(&fmt, " @%s=%%d", aggs[i]);
			vec_push(&args, mk_stat(E, aggs[i], mk_var(E, v, loc)));
		}
		sb_putc(&fmt, '\n');
		ifs->els = mk_printf(E, &fmt, &args, loc);
		sb_free(&fmt);
		return ifs;
	}
	sb_printf(&fmt, "%s=", v->name);
	put_conv(&fmt, v->type);
	sb_putc(&fmt, '\n');
	vec_push(&args, mk_var(E, v, loc));
	st = mk_printf(E, &fmt, &args, loc);
	sb_free(&fmt);
	return st;
}

static struct stmt *print_array(struct elab *E, struct elab_probe *ep,
				struct ast_vardecl *v, struct src_loc loc)
{
	struct stmt *fs = mk_stmt(E, S_FOREACH, loc);
	struct foreach_info *fe = arena_new(E->A, struct foreach_info);
	struct strbuf fmt = { 0 };
	struct vec args = { 0 }, keys = { 0 };
	struct ast_vardecl *val = NULL;

	for (int i = 0; i < v->arity; i++) {
		struct ast_vardecl *k = arena_new(E->A, struct ast_vardecl);
		char name[32];

		snprintf(name, sizeof(name), "__idx%d", i);
		k->name = arena_strdup(E->A, name);
		k->type = v->key_types ? v->key_types[i] : TY_LONG;
		k->loc = loc;
		vec_push(&ep->locals, k);
		vec_push(&keys, k);
		vec_push(&fe->keys, mk_var(E, k, loc));
	}
	if (v->type != TY_STATS) {
		val = arena_new(E->A, struct ast_vardecl);
		val->name = "__val";
		val->type = v->type;
		val->loc = loc;
		vec_push(&ep->locals, val);
		fe->value = mk_var(E, val, loc);
	}
	fe->array = mk_var(E, v, loc);
	fe->sort_column = -1;
	fe->sort_dir = -1;
	fs->fe = fe;
	sb_printf(&fmt, "%s[", v->name);
	vec_each(&keys, i) {
		struct ast_vardecl *k = vec_get(&keys, i);

		if (i)
			sb_putc(&fmt, ',');
		put_conv(&fmt, k->type);
		vec_push(&args, mk_var(E, k, loc));
	}
	sb_putc(&fmt, ']');
	if (val) {
		sb_putc(&fmt, '=');
		put_conv(&fmt, val->type);
		vec_push(&args, mk_var(E, val, loc));
	} else {
		for (int i = 0; i < 5; i++) {
			struct expr *ix = mk(E, E_INDEX, TY_STATS, loc);

			ix->a = mk_var(E, v, loc);
			ix->var = v;
			vec_each(&keys, k)
				vec_push(&ix->args, mk_var(E, vec_get(&keys, k), loc));
			sb_printf(&fmt, " @%s=%%d", aggs[i]);
			vec_push(&args, mk_stat(E, aggs[i], ix));
		}
	}
	sb_putc(&fmt, '\n');
	fs->then = mk_printf(E, &fmt, &args, loc);
	sb_free(&fmt);
	vec_free(&keys);
	return fs;
}

void opt_autoprint(struct elab *E)
{
	struct elab_program *P = E->prog;
	struct elab_probe *ep = NULL;
	struct stmt *body = NULL;

	vec_each(&P->globals, i) {
		struct ast_vardecl *v = vec_get(&P->globals, i);
		struct src_loc loc = v->loc;

		if (!v->written || elab_vinfo(E, v)->value_read ||
		    (v->file && v->file->is_tapset))
			continue;
		if (!ep) {
			struct ast_probe *p = arena_new(E->A, struct ast_probe);
			struct probe_point *pp = arena_new(E->A, struct probe_point);
			struct pp_comp *c = arena_new(E->A, struct pp_comp);
			struct vec out = { 0 };

			c->name = "end";
			c->loc = loc;
			vec_push(&pp->comps, c);
			pp->loc = loc;
			vec_push(&p->points, pp);
			p->loc = loc;
			p->file = v->file;
			body = mk_stmt(E, S_BLOCK, loc);
			p->body = body;
			ep = arena_new(E->A, struct elab_probe);
			ep->decl = p;
			ep->body = body;
			ep->pp = "end";
			for (int k = 0; providers[k]; k++)
				if (providers[k]->match(E->s, pp, &out) > 0)
					break;
			vec_each(&out, k) {
				struct derived_probe *dp = vec_get(&out, k);

				dp->probe = ep;
				dp->origin = dp->from = "end";
				dp->k = ep->derived.n;
				vec_push(&ep->derived, dp);
			}
			vec_free(&out);
		}
		if (v->arity > 0)
			vec_push(&body->body, print_array(E, ep, v, loc));
		else
			vec_push(&body->body, print_scalar(E, v, loc));
		/* one end probe per global, as stap: the arrays' __idxN
		 * locals differ in type from one array to the next */
		vec_push(&P->probes, ep);
		ep = NULL;
	}
}
