/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * types.c - type inference over the whole used program.
 *
 * Every expression is visited with the type its context wants; unknown
 * slots (expressions, variables, array keys, function returns) take the
 * first type that reaches them, and the walk repeats until nothing
 * changes.  A final walk with reporting on gives the mismatches (both
 * sites) and the variables whose type never became known.
 */
#include <string.h>

#include "diag.h"
#include "elaborate/builtins.h"
#include "elaborate/elab_int.h"
#include "session.h"
#include "util/arena.h"

struct tctx {
	struct elab *E;
	struct ast_func *fn;
	const struct expr *stmt_call;	/* a call whose value is unused */
};

static enum ast_type t_expr(struct tctx *T, struct expr *e, enum ast_type want);
static void t_stmt(struct tctx *T, struct stmt *st);

const char *elab_type_name(enum ast_type t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_STATS: return "stats";
	default: return "unknown";
	}
}

static const char *op_text(enum ast_op op)
{
	static const char *const names[] = {
		[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
		[OP_MOD] = "%", [OP_SHL] = "<<", [OP_SHR] = ">>", [OP_AND] = "&",
		[OP_OR] = "|", [OP_XOR] = "^", [OP_LAND] = "&&", [OP_LOR] = "||",
		[OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
		[OP_GT] = ">", [OP_GE] = ">=", [OP_CONCAT] = ".",
		[OP_MATCH] = "=~", [OP_NMATCH] = "!~", [OP_NEG] = "-",
		[OP_NOT] = "!", [OP_BNOT] = "~", [OP_PLUS] = "+",
		[OP_INC] = "++", [OP_DEC] = "--", [OP_ASSIGN] = "=",
		[OP_STATS_ADD] = "<<<",
	};

	return op < sizeof(names) / sizeof(names[0]) && names[op] ? names[op] : "?";
}

/* stap's token description: identifier 'x', string 's', number '1' */
static void describe(char *buf, size_t n, const struct expr *e)
{
	switch (e->kind) {
	case E_NUM:
		snprintf(buf, n, "number '%lld'", (long long)e->num);
		break;
	case E_STR:
		snprintf(buf, n, "string '%s'", e->str);
		break;
	case E_IDENT: case E_CALL:
		snprintf(buf, n, "identifier '%s'", e->str);
		break;
	case E_INDEX: case E_IN:
		if (e->a && e->a->kind == E_IDENT) {
			snprintf(buf, n, "identifier '%s'", e->a->str);
			break;
		}
		snprintf(buf, n, "operator '['");
		break;
	case E_TARGET:
		snprintf(buf, n, "identifier '$%s'", e->str);
		break;
	case E_TARGET_SYM:
		snprintf(buf, n, "identifier '$$%s'", e->str);
		break;
	case E_STAT: case E_HIST:
		snprintf(buf, n, "operator '@%s'", e->str ? e->str : "");
		break;
	case E_UNARY: case E_BINARY: case E_ASSIGN: case E_INCDEC:
		snprintf(buf, n, "operator '%s'", op_text(e->op));
		break;
	case E_TERNARY:
		snprintf(buf, n, "operator '?'");
		break;
	default:
		snprintf(buf, n, "expression");
	}
}

static void mismatch(struct tctx *T, const struct expr *e, enum ast_type want,
		     enum ast_type have)
{
	char d[256];

	if (!T->E->report)
		return;
	describe(d, sizeof(d), e);
	diag(T->E->s, "semantic error", &e->loc,
	     "type mismatch: expected %s but found %s: %s",
	     elab_type_name(want), elab_type_name(have), d);
}

/* give e type t (from its context); checks agreement */
static void settle(struct tctx *T, struct expr *e, enum ast_type t)
{
	if (t == TY_UNKNOWN || t == TY_VOID)
		return;
	if (e->type == TY_UNKNOWN) {
		e->type = t;
		T->E->changed++;
	} else if (e->type != t && e->type != TY_VOID) {
		mismatch(T, e, t, e->type);
	}
}

/* a type slot with a first-inference site (variables, returns, keys) */
static void slot_unify(struct tctx *T, enum ast_type *slot,
		       struct var_info *vi, const char *name,
		       const struct expr *at, enum ast_type t)
{
	if (t == TY_UNKNOWN || t == TY_VOID)
		return;
	if (*slot == TY_UNKNOWN) {
		*slot = t;
		if (vi && !vi->type_set) {
			vi->type_set = true;
			vi->type_loc = at->loc;
		}
		T->E->changed++;
		return;
	}
	if (*slot == t || !T->E->report)
		return;
	if (vi && vi->reported)
		return;
	diag(T->E->s, "semantic error", &at->loc,
	     "type mismatch (%s): identifier '%s'", elab_type_name(t), name);
	if (vi && vi->type_set)
		diag(T->E->s, "semantic error", &vi->type_loc,
		     "type was first inferred here (%s): identifier '%s'",
		     elab_type_name(*slot), name);
	if (vi)
		vi->reported = true;
}

static enum ast_type var_use(struct tctx *T, struct expr *e,
			     struct ast_vardecl *v, enum ast_type want)
{
	slot_unify(T, &v->type, elab_vinfo(T->E, v), v->name, e, want);
	if (e->type != v->type && v->type != TY_UNKNOWN) {
		e->type = v->type;
		T->E->changed++;
	}
	return e->type;
}

static void ensure_keys(struct tctx *T, struct ast_vardecl *v)
{
	if (v->arity > 0 && !v->key_types)
		v->key_types = arena_alloc(T->E->A, v->arity * sizeof(enum ast_type));
}

static void t_keys(struct tctx *T, struct ast_vardecl *v, struct vec *keys)
{
	ensure_keys(T, v);
	vec_each(keys, i) {
		struct expr *k = vec_get(keys, i);
		enum ast_type kt;

		if (k->kind == E_STAR)
			continue;
		if (!v || !v->key_types || i >= v->arity) {
			t_expr(T, k, TY_UNKNOWN);
			continue;
		}
		kt = t_expr(T, k, v->key_types[i]);
		if (v->key_types[i] == TY_UNKNOWN && kt != TY_UNKNOWN &&
		    kt != TY_VOID) {
			v->key_types[i] = kt;
			T->E->changed++;
		} else if (kt == TY_STATS && T->E->report) {
			mismatch(T, k, v->key_types[i], kt);
		}
	}
}

static void t_call(struct tctx *T, struct expr *e, enum ast_type want)
{
	struct ast_func *f = e->func;
	const struct builtin *bi;

	if (f) {
		vec_each(&e->args, i) {
			struct expr *a = vec_get(&e->args, i);
			struct ast_vardecl *pv = i < f->locals.n ? vec_get(&f->locals, i) : NULL;
			enum ast_type at = t_expr(T, a, pv ? pv->type : TY_UNKNOWN);

			if (pv && pv->type == TY_UNKNOWN)
				slot_unify(T, &pv->type, elab_vinfo(T->E, pv),
					   pv->name, a, at);
		}
		/* the context may type a function's return (stap does) */
		if (f->ret == TY_UNKNOWN && want != TY_UNKNOWN && want != TY_STATS)
			slot_unify(T, &f->ret, elab_vinfo(T->E, f), f->name, e, want);
		if (f->ret != TY_UNKNOWN)
			settle(T, e, f->ret);
		else if (T->E->report && e != T->stmt_call)
			diag(T->E->s, "semantic error", &e->loc,
			     "unresolved type : identifier '%s'", e->str);
		(void)want;
		return;
	}
	bi = builtin_find(e->str);
	if (!bi) {
		vec_each(&e->args, i)
			t_expr(T, vec_get(&e->args, i), TY_UNKNOWN);
		return;
	}
	if (bi->flags & BI_FORMAT) {
		struct expr *fmt = e->args.n ? vec_get(&e->args, 0) : NULL;
		enum ast_type types[128];
		const char *err = NULL;
		int n = -1;

		if (fmt && fmt->kind == E_STR)
			n = fmt_arg_types(fmt->str, types, 128, &err);
		if (fmt)
			t_expr(T, fmt, TY_STRING);
		if (n < 0 && err && T->E->report)
			diag(T->E->s, "semantic error", &fmt->loc, "%s", err);
		if (n >= 0 && n != e->args.n - 1 && T->E->report)
			diag(T->E->s, "semantic error", &e->loc,
			     "Wrong number of args to formatted print operator: identifier '%s'",
			     e->str);
		for (int i = 1; i < e->args.n; i++)
			t_expr(T, vec_get(&e->args, i),
			       n >= 0 && i - 1 < n ? types[i - 1] : TY_UNKNOWN);
	} else {
		vec_each(&e->args, i) {
			struct expr *a = vec_get(&e->args, i);
			const char *p = bi->params;
			enum ast_type pt = TY_UNKNOWN;

			if (i < (int)strlen(p))
				pt = p[i] == 's' ? TY_STRING : TY_LONG;
			t_expr(T, a, pt);
		}
	}
	if (bi->ret == TY_VOID) {
		e->type = TY_VOID;
	} else {
		settle(T, e, bi->ret);
	}
}

static enum ast_type t_expr(struct tctx *T, struct expr *e, enum ast_type want)
{
	enum ast_type ta, tb;

	if (!e)
		return TY_UNKNOWN;
	switch (e->kind) {
	case E_NUM:
		settle(T, e, TY_LONG);
		break;
	case E_STR:
		settle(T, e, TY_STRING);
		break;
	case E_IDENT:
		if (!e->var)
			break;
		if (e->var->arity > 0)
			return e->type;	/* arity error already given */
		return var_use(T, e, e->var, want);
	case E_INDEX:
		if (e->a && e->a->kind == E_IDENT && e->var) {
			t_keys(T, e->var, &e->args);
			return var_use(T, e, e->var, want);
		}
		t_expr(T, e->a, TY_UNKNOWN);
		vec_each(&e->args, i)
			t_expr(T, vec_get(&e->args, i), TY_LONG);
		settle(T, e, TY_LONG);
		break;
	case E_CALL:
		t_call(T, e, want);
		break;
	case E_UNARY:
		t_expr(T, e->a, TY_LONG);
		settle(T, e, TY_LONG);
		break;
	case E_BINARY:
		switch (e->op) {
		case OP_CONCAT:
			t_expr(T, e->a, TY_STRING);
			t_expr(T, e->b, TY_STRING);
			settle(T, e, TY_STRING);
			break;
		case OP_MATCH: case OP_NMATCH:
			t_expr(T, e->a, TY_STRING);
			t_expr(T, e->b, TY_STRING);
			settle(T, e, TY_LONG);
			break;
		case OP_EQ: case OP_NE: case OP_LT: case OP_LE:
		case OP_GT: case OP_GE:
			ta = t_expr(T, e->a, TY_UNKNOWN);
			tb = t_expr(T, e->b, ta == TY_STATS ? TY_UNKNOWN : ta);
			if (ta == TY_UNKNOWN && tb != TY_UNKNOWN)
				t_expr(T, e->a, tb);
			settle(T, e, TY_LONG);
			break;
		default:
			t_expr(T, e->a, TY_LONG);
			t_expr(T, e->b, TY_LONG);
			settle(T, e, TY_LONG);
		}
		break;
	case E_TERNARY:
		t_expr(T, e->a, TY_LONG);
		ta = t_expr(T, e->b, want);
		tb = t_expr(T, e->c, ta != TY_UNKNOWN ? ta : want);
		if (ta == TY_UNKNOWN && tb != TY_UNKNOWN)
			ta = t_expr(T, e->b, tb);
		settle(T, e, ta != TY_UNKNOWN ? ta : tb);
		break;
	case E_ASSIGN:
		switch (e->op) {
		case OP_ASSIGN:
			ta = t_expr(T, e->a, TY_UNKNOWN);
			if (ta == TY_STATS && T->E->report)
				mismatch(T, e->a, TY_LONG, TY_STATS);
			tb = t_expr(T, e->b, ta == TY_STATS ? TY_UNKNOWN : ta);
			if (ta == TY_UNKNOWN && tb != TY_UNKNOWN)
				ta = t_expr(T, e->a, tb);
			settle(T, e, ta);
			break;
		case OP_CONCAT:
			t_expr(T, e->a, TY_STRING);
			t_expr(T, e->b, TY_STRING);
			settle(T, e, TY_STRING);
			break;
		case OP_STATS_ADD:
			t_expr(T, e->a, TY_STATS);
			t_expr(T, e->b, TY_LONG);
			settle(T, e, TY_LONG);
			break;
		default:
			t_expr(T, e->a, TY_LONG);
			t_expr(T, e->b, TY_LONG);
			settle(T, e, TY_LONG);
		}
		break;
	case E_INCDEC:
		t_expr(T, e->a, TY_LONG);
		settle(T, e, TY_LONG);
		break;
	case E_IN:
		if (e->a && e->a->kind == E_IDENT && e->var)
			t_keys(T, e->var, &e->args);
		else {
			t_expr(T, e->a, TY_UNKNOWN);
			vec_each(&e->args, i)
				t_expr(T, vec_get(&e->args, i), TY_LONG);
		}
		settle(T, e, TY_LONG);
		break;
	case E_STAR:
		break;
	case E_STAT:
		if (e->a && e->a->kind == E_IDENT && e->a->var &&
		    e->a->var->arity > 0)
			break;
		t_expr(T, e->a, TY_STATS);
		t_expr(T, e->b, TY_LONG);
		settle(T, e, TY_LONG);
		break;
	case E_HIST:
		t_expr(T, e->a, TY_STATS);
		vec_each(&e->args, i)
			t_expr(T, vec_get(&e->args, i), TY_LONG);
		break;
	case E_TARGET:
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				t_expr(T, c->index, TY_LONG);
		}
		/* a provider may resolve it to a string (char arrays) */
		settle(T, e, e->pretty || e->type == TY_STRING ? TY_STRING : TY_LONG);
		break;
	case E_TARGET_SYM:
		settle(T, e, TY_STRING);
		break;
	case E_CAST: case E_ATVAR:
		t_expr(T, e->a, TY_LONG);
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				t_expr(T, c->index, TY_LONG);
		}
		settle(T, e, e->pretty || e->type == TY_STRING ? TY_STRING : TY_LONG);
		break;
	case E_ENTRY:
		settle(T, e, t_expr(T, e->a, want));
		break;
	case E_DEFINED: case E_PERF: case E_CONST:
		settle(T, e, TY_LONG);
		break;
	case E_CHOOSE:
		settle(T, e, t_expr(T, e->a, want));
		break;
	case E_ARG:
		settle(T, e, e->str_arg ? TY_STRING : TY_LONG);
		break;
	case E_REGEX_MATCH:
		settle(T, e, TY_LONG);
		break;
	case E_AUTOCAST:
		t_expr(T, e->a, TY_UNKNOWN);
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				t_expr(T, c->index, TY_LONG);
		}
		settle(T, e, e->pretty ? TY_STRING : TY_LONG);
		break;
	case E_PROBEWRITE:
		settle(T, e, TY_LONG);
		break;
	case E_EMBEDDED:	/* typed by its context, long by default */
		settle(T, e, want != TY_UNKNOWN ? want : TY_LONG);
		break;
	}
	if (want != TY_UNKNOWN && e->type != TY_UNKNOWN && e->type != want &&
	    e->type != TY_VOID && e->kind != E_IDENT && e->kind != E_INDEX &&
	    T->E->report)
		mismatch(T, e, want, e->type);
	return e->type;
}

static void t_foreach(struct tctx *T, struct stmt *st)
{
	struct foreach_info *fe = st->fe;
	struct ast_vardecl *av = fe->array && fe->array->kind == E_IDENT ?
				 fe->array->var : NULL;

	if (av && av->arity > 0) {
		ensure_keys(T, av);
		vec_each(&fe->keys, i) {
			struct expr *k = vec_get(&fe->keys, i);

			if (!k->var || i >= av->arity)
				continue;
			if (av->key_types[i] != TY_UNKNOWN)
				var_use(T, k, k->var, av->key_types[i]);
			else if (k->var->type != TY_UNKNOWN) {
				av->key_types[i] = k->var->type;
				T->E->changed++;
			}
		}
		if (fe->value && fe->value->var) {
			enum ast_type vt = av->type == TY_STATS ? TY_UNKNOWN : av->type;

			if (vt != TY_UNKNOWN)
				var_use(T, fe->value, fe->value->var, vt);
			else if (fe->value->var->type != TY_UNKNOWN &&
				 av->type == TY_UNKNOWN) {
				av->type = fe->value->var->type;
				T->E->changed++;
			}
		}
	} else if (fe->array && fe->array->kind == E_HIST) {
		t_expr(T, fe->array, TY_UNKNOWN);
		vec_each(&fe->keys, i)
			t_expr(T, vec_get(&fe->keys, i), TY_LONG);
		if (fe->value)
			t_expr(T, fe->value, TY_LONG);
	}
	t_expr(T, fe->limit, TY_LONG);
	t_stmt(T, st->then);
}

static void t_stmt(struct tctx *T, struct stmt *st)
{
	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		vec_each(&st->body, i)
			t_stmt(T, vec_get(&st->body, i));
		break;
	case S_EXPR:
		T->stmt_call = st->e;
		t_expr(T, st->e, TY_UNKNOWN);
		T->stmt_call = NULL;
		break;
	case S_IF:
		t_expr(T, st->e, TY_LONG);
		t_stmt(T, st->then);
		t_stmt(T, st->els);
		break;
	case S_WHILE:
		t_expr(T, st->e, TY_LONG);
		t_stmt(T, st->then);
		break;
	case S_FOR:
		t_stmt(T, st->init);
		t_expr(T, st->e, TY_LONG);
		t_stmt(T, st->incr);
		t_stmt(T, st->then);
		break;
	case S_FOREACH:
		t_foreach(T, st);
		break;
	case S_RETURN:
		if (!st->e && T->fn && T->fn->ret != TY_UNKNOWN &&
		    T->fn->ret != TY_VOID && T->E->report) {
			struct var_info *vi = elab_vinfo(T->E, T->fn);

			diag(T->E->s, "semantic error", &st->loc,
			     "type mismatch (unknown): keyword");
			if (vi->type_set)
				diag(T->E->s, "semantic error", &vi->type_loc,
				     "type was first inferred here (%s)",
				     elab_type_name(T->fn->ret));
		}
		if (st->e && T->fn) {
			enum ast_type t = t_expr(T, st->e, T->fn->ret);

			slot_unify(T, &T->fn->ret, elab_vinfo(T->E, T->fn),
				   T->fn->name, st->e, t);
		}
		break;
	case S_DELETE:
		if (st->e && st->e->kind == E_INDEX && st->e->var)
			t_keys(T, st->e->var, &st->e->args);
		break;
	case S_TRY:
		t_stmt(T, st->then);
		if (st->catch_var)
			t_expr(T, st->catch_var, TY_STRING);
		t_stmt(T, st->els);
		break;
	default:
		break;
	}
}

static void check_var(struct elab *E, struct ast_vardecl *v)
{
	struct var_info *vi = elab_vinfo(E, v);
	const struct src_loc *loc = vi->ref_set ? &vi->ref_loc : &v->loc;

	if (vi->reported)
		return;
	if (!v->global && v->type == TY_STATS) {
		diag(E->s, "semantic error", loc,
		     "stat locals not supported, missing global declaration? : identifier '%s'",
		     v->name);
		vi->reported = true;
		return;
	}
	if (v->type == TY_UNKNOWN) {
		diag(E->s, "semantic error", loc,
		     "unresolved type : identifier '%s'", v->name);
		vi->reported = true;
		return;
	}
	for (int i = 0; i < v->arity && v->key_types; i++) {
		if (v->key_types[i] == TY_UNKNOWN) {
			diag(E->s, "semantic error", loc,
			     "unresolved type : identifier '%s'", v->name);
			vi->reported = true;
			return;
		}
	}
}

/* overloads of one name and arity share their signature */
static void unify_overloads(struct tctx *T)
{
	struct elab_program *P = T->E->prog;

	vec_each(&P->funcs, i) {
		struct ast_func *f = vec_get(&P->funcs, i);

		for (int j = i + 1; j < P->funcs.n; j++) {
			struct ast_func *g = vec_get(&P->funcs, j);
			struct expr at = { .loc = g->loc };

			if (strcmp(f->name, g->name) || f->params.n != g->params.n)
				continue;
			if (f->ret != TY_UNKNOWN)
				slot_unify(T, &g->ret, elab_vinfo(T->E, g), g->name, &at, f->ret);
			else if (g->ret != TY_UNKNOWN)
				slot_unify(T, &f->ret, elab_vinfo(T->E, f), f->name, &at, g->ret);
			for (int k = 0; k < f->params.n && k < f->locals.n && k < g->locals.n; k++) {
				struct ast_vardecl *a = vec_get(&f->locals, k);
				struct ast_vardecl *b = vec_get(&g->locals, k);

				if (a->type != TY_UNKNOWN)
					slot_unify(T, &b->type, elab_vinfo(T->E, b), b->name, &at, a->type);
				else if (b->type != TY_UNKNOWN)
					slot_unify(T, &a->type, elab_vinfo(T->E, a), a->name, &at, b->type);
			}
		}
	}
}

static void walk_all(struct elab *E)
{
	struct tctx T = { .E = E };

	unify_overloads(&T);

	vec_each(&E->prog->probes, i) {
		struct elab_probe *ep = vec_get(&E->prog->probes, i);

		T.fn = NULL;
		t_expr(&T, ep->cond, TY_LONG);
		t_stmt(&T, ep->body);
	}
	vec_each(&E->prog->funcs, i) {
		struct ast_func *f = vec_get(&E->prog->funcs, i);

		T.fn = f;
		if (f->body && f->body->kind != S_EMBEDDED)
			t_stmt(&T, f->body);
	}
}

int types_infer(struct elab *E)
{
	int before = E->s->errors;

	/* declared types seed the slots */
	vec_each(&E->prog->funcs, i) {
		struct ast_func *f = vec_get(&E->prog->funcs, i);

		if (f->ret != TY_UNKNOWN) {
			struct var_info *vi = elab_vinfo(E, f);

			vi->type_set = true;
			vi->type_loc = f->loc;
		}
	}
	for (int iter = 0; iter < 64; iter++) {
		E->changed = 0;
		walk_all(E);
		if (!E->changed)
			break;
	}
	E->report = true;
	walk_all(E);
	vec_each(&E->prog->globals, i)
		check_var(E, vec_get(&E->prog->globals, i));
	vec_each(&E->prog->probes, i) {
		struct elab_probe *ep = vec_get(&E->prog->probes, i);

		vec_each(&ep->locals, k)
			check_var(E, vec_get(&ep->locals, k));
	}
	vec_each(&E->prog->funcs, i) {
		struct ast_func *f = vec_get(&E->prog->funcs, i);

		if (f->body && f->body->kind == S_EMBEDDED)
			continue;
		vec_each(&f->locals, k)
			check_var(E, vec_get(&f->locals, k));
	}
	E->report = false;
	return E->s->errors > before ? -1 : 0;
}
