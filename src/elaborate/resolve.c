/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * resolve.c - name resolution: locals, globals, functions (by name and
 * arity), $context variables through the providers, array arity, and the
 * compile-time @defined / @choose_defined folding.
 */
#include <string.h>

#include "diag.h"
#include "elaborate/builtins.h"
#include "elaborate/elab_int.h"
#include "probes/dwarf.h"
#include "session.h"
#include "util/arena.h"

struct scope {
	struct elab *E;
	struct vec *locals;
	const struct src_file *file;
	struct elab_probe *ep;		/* NULL in functions */
	struct ast_func *fn;
};

/* RD, WR: how a name is used; VOID: the expression's value is unused (an
 * expression statement); CMP: read only to be written back (x++, x += 1 as
 * a statement), so a global used only that way is printed at the end */
enum { RD = 1, WR = 2, CMP = 4, VOID = 8 };

static void r_expr(struct scope *sc, struct expr *e, int use);
static void r_stmt(struct scope *sc, struct stmt *st);

/* ---- lookup ----------------------------------------------------------- */

static bool visible(const struct src_file *from, const struct src_file *def,
		    bool is_private)
{
	return !is_private || from == def;
}

static struct ast_vardecl *find_local(struct scope *sc, const char *name)
{
	vec_each(sc->locals, i) {
		struct ast_vardecl *v = vec_get(sc->locals, i);

		if (!strcmp(v->name, name))
			return v;
	}
	return NULL;
}

static struct ast_vardecl *find_global(struct scope *sc, const char *name)
{
	struct vec *cands = map_get(&sc->E->globals, name);

	if (!cands)
		return NULL;
	vec_each(cands, i) {
		struct ast_vardecl *v = vec_get(cands, i);

		if (visible(sc->file, v->file, v->is_private)) {
			elab_use_file(sc->E, elab_file_of(sc->E, v->file));
			return v;
		}
	}
	return NULL;
}

static struct ast_vardecl *new_local(struct scope *sc, const char *name,
				     struct src_loc loc)
{
	struct ast_vardecl *v = arena_new(sc->E->A, struct ast_vardecl);

	v->name = name;
	v->loc = loc;
	v->file = sc->file;
	v->arity = 0;
	vec_push(sc->locals, v);
	return v;
}

static void note_ref(struct elab *E, struct ast_vardecl *v, const struct src_loc *loc)
{
	struct var_info *vi = elab_vinfo(E, v);

	if (!vi->ref_set) {
		vi->ref_set = true;
		vi->ref_loc = *loc;
	}
}

static void set_arity(struct scope *sc, struct ast_vardecl *v, int n,
		      const struct expr *at)
{
	struct var_info *vi = elab_vinfo(sc->E, v);

	if (v->arity < 0 || !vi->arity_set) {
		if (v->arity >= 0 && v->arity != n && v->global &&
		    !(v->arity == 0 && n > 0)) {
			/* declared arity (global a[N] implies an array) */
		}
		v->arity = n;
		vi->arity_set = true;
		vi->arity_loc = at->loc;
		return;
	}
	if (v->arity != n && !vi->reported) {
		vi->reported = true;
		diag(sc->E->s, "semantic error", &at->loc,
		     "inconsistent arity (%d vs %d): identifier '%s'",
		     n, v->arity, v->name);
		diag(sc->E->s, "semantic error", &vi->arity_loc,
		     "arity %d first inferred here: identifier '%s'",
		     v->arity, v->name);
	}
}

static void mark(struct elab *E, struct ast_vardecl *v, int use)
{
	if ((use & RD) && !(use & CMP))
		elab_vinfo(E, v)->value_read = true;
	if (use & RD)
		v->read = true;
	if (use & WR)
		v->written = true;
}

/* a scalar name (local or global) */
static void r_ident(struct scope *sc, struct expr *e, int use)
{
	struct ast_vardecl *v = find_local(sc, e->str);

	if (!v)
		v = find_global(sc, e->str);
	if (!v)
		v = new_local(sc, e->str, e->loc);
	e->var = v;
	note_ref(sc->E, v, &e->loc);
	mark(sc->E, v, use);
	set_arity(sc, v, 0, e);
}

/* an array name: must be a global */
static void r_array(struct scope *sc, struct expr *e, int nkeys, int use)
{
	struct ast_vardecl *v = find_global(sc, e->str);

	if (!v) {
		struct ast_vardecl *l = find_local(sc, e->str);

		if (!l || !elab_vinfo(sc->E, l)->reported) {
			diag(sc->E->s, "semantic error", &e->loc,
			     "unresolved arity-%d global array %s, missing global declaration?: identifier '%s'",
			     nkeys < 0 ? 1 : nkeys, e->str, e->str);
		}
		if (!l)
			l = new_local(sc, e->str, e->loc);
		elab_vinfo(sc->E, l)->reported = true;
		e->var = l;
		return;
	}
	e->var = v;
	note_ref(sc->E, v, &e->loc);
	mark(sc->E, v, use);
	if (nkeys >= 0)
		set_arity(sc, v, nkeys, e);
}

/* ---- functions -------------------------------------------------------- */

static void r_call(struct scope *sc, struct expr *e)
{
	struct elab *E = sc->E;
	struct vec *cands = map_get(&E->funcs, e->str);
	struct ast_func *any = NULL;
	const struct builtin *bi;

	vec_each(&e->args, i)
		r_expr(sc, vec_get(&e->args, i), RD);
	if (cands) {
		vec_each(cands, i) {
			struct ast_func *f = vec_get(cands, i);

			if (!visible(sc->file, f->file, f->is_private))
				continue;
			if (!any)
				any = f;
			if (f->params.n == e->args.n) {
				e->func = f;
				break;
			}
		}
	}
	if (e->func) {
		/* every overload of this arity is part of the call */
		vec_each(cands, i) {
			struct ast_func *f = vec_get(cands, i);

			if (f->params.n != e->args.n ||
			    !visible(sc->file, f->file, f->is_private))
				continue;
			elab_use_file(E, elab_file_of(E, f->file));
			if (!map_get(&E->func_resolved, f)) {
				map_put(&E->func_resolved, f, f);
				vec_push(&E->func_queue, f);
			}
		}
		return;
	}
	bi = builtin_find(e->str);
	if (bi) {
		if (e->args.n < bi->min_args ||
		    (bi->max_args >= 0 && e->args.n > bi->max_args)) {
			diag(E->s, "semantic error", &e->loc,
			     "arity mismatch found (function '%s' takes %d args): identifier '%s'",
			     e->str, bi->min_args, e->str);
		}
		return;
	}
	if (any) {
		diag(E->s, "semantic error", &e->loc,
		     "arity mismatch found (function '%s' takes %d args): identifier '%s'",
		     e->str, any->params.n, e->str);
		diag_note(E->s, &any->loc, "function '%s' declared here", e->str);
		return;
	} else {
		struct vec names = { 0 };
		const char *sim;

		/* candidates: functions of the used files and builtins */
		for (const struct builtin *b = builtins; b->name; b++)
			vec_push(&names, (void *)b->name);
		for (int i = 0; i < E->nfiles; i++) {
			struct ast_file *f = vec_get(&E->s->files, i);

			vec_each(&f->funcs, k)
				vec_push(&names, (void *)((struct ast_func *)vec_get(&f->funcs, k))->name);
		}
		sim = suggest(E, e->str, &names);
		vec_free(&names);
		if (sim)
			diag(E->s, "semantic error", &e->loc,
			     "unresolved function %s (similar: %s): identifier '%s'",
			     e->str, sim, e->str);
		else
			diag(E->s, "semantic error", &e->loc,
			     "unresolved function %s: identifier '%s'", e->str, e->str);
	}
}

/* ---- $context variables ----------------------------------------------- */

static bool target_ok(struct scope *sc, struct expr *e)
{
	if (!sc->ep || !sc->ep->derived.n)
		return false;
	vec_each(&sc->ep->derived, i) {
		struct derived_probe *dp = vec_get(&sc->ep->derived, i);

		if (!dp->prov->target_var ||
		    !dp->prov->target_var(sc->E->s, dp, e))
			return false;
	}
	return true;
}

static void target_error(struct scope *sc, struct expr *e)
{
	diag(sc->E->s, "semantic error", &e->loc,
	     "unresolved target-symbol expression: identifier '$%s%s'",
	     e->kind == E_TARGET_SYM ? "$" : "", e->str ? e->str : "");
}

/* can a @defined() operand be resolved?  (no diagnostics) */
static bool defined_ok(struct scope *sc, struct expr *e)
{
	switch (e->kind) {
	case E_TARGET:
	case E_TARGET_SYM:
		return target_ok(sc, e);
	case E_CAST: {
		const char *why;

		return dwarf_cast_resolve(sc->E->s, e, &why) > 0;
	}
	case E_ATVAR:
		return false;	/* no debuginfo in this translator yet */
	case E_ENTRY:
		return e->a && defined_ok(sc, e->a);
	default:
		return true;
	}
}

/* marks an E_NUM that was @defined(): only those fold branches away */
static const char folded_marker;

static void to_num(struct expr *e, int64_t v)
{
	e->prov = (void *)&folded_marker;
	e->kind = E_NUM;
	e->num = v;
	e->a = e->b = e->c = NULL;
	e->str = NULL;
}

/* one statistic, one histogram shape */
static void hist_kind(struct scope *sc, const struct expr *e)
{
	struct var_info *vi = elab_vinfo(sc->E, e->a->var);
	int kind = e->str && !strcmp(e->str, "linear") ? 2 : 1;

	if (!vi->hist) {
		vi->hist = kind;
	} else if (vi->hist != kind) {
		diag(sc->E->s, "semantic error", &e->loc,
		     "multiple histogram types declared on '%s': operator '@hist_%s'",
		     e->a->var->name, e->str ? e->str : "");
	}
}

/* ---- expressions ------------------------------------------------------ */

static void r_keys(struct scope *sc, struct vec *keys)
{
	vec_each(keys, i) {
		struct expr *k = vec_get(keys, i);

		if (k->kind != E_STAR)
			r_expr(sc, k, RD);
	}
}

static void r_lvalue(struct scope *sc, struct expr *e, int use)
{
	if (e->kind == E_IDENT)
		r_ident(sc, e, use);
	else if (e->kind == E_INDEX && e->a && e->a->kind == E_IDENT) {
		r_keys(sc, &e->args);
		r_array(sc, e->a, e->args.n, use);
		e->var = e->a->var;
	} else
		r_expr(sc, e, use);
}

static void r_expr(struct scope *sc, struct expr *e, int use)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_NUM: case E_STR: case E_STAR: case E_ARG: case E_PERF:
	case E_REGEX_MATCH:
		break;
	case E_CONST: case E_EMBEDDED:
		break;
	case E_AUTOCAST:
		r_expr(sc, e->a, RD);
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				r_expr(sc, c->index, RD);
		}
		break;
	case E_PROBEWRITE:
		/* @probewrite(v): was v written in any probe? (used by tapsets) */
		if (e->a && e->a->kind == E_IDENT)
			r_ident(sc, e->a, 0);
		break;
	case E_IDENT:
		r_ident(sc, e, use);
		break;
	case E_INDEX:
		if (e->a && e->a->kind == E_IDENT) {
			r_lvalue(sc, e, use);
		} else {	/* @hist_*(x)[i] */
			r_expr(sc, e->a, RD);
			r_keys(sc, &e->args);
		}
		break;
	case E_CALL:
		r_call(sc, e);
		break;
	case E_UNARY:
		r_expr(sc, e->a, RD);
		break;
	case E_BINARY:
		r_expr(sc, e->a, RD);
		r_expr(sc, e->b, RD);
		break;
	case E_TERNARY:
		r_expr(sc, e->a, RD);
		if (e->a && e->a->kind == E_NUM &&
		    e->a->prov == &folded_marker) {	/* folded @defined */
			struct expr *k = e->a->num ? e->b : e->c;

			*e = *k;
			r_expr(sc, e, use);
			break;
		}
		r_expr(sc, e->b, RD);
		r_expr(sc, e->c, RD);
		break;
	case E_ASSIGN:
		/* compound assignments and ++ read the variable; as stap, a
		 * global only ever incremented by statements is still printed
		 * at the end, but one whose new value is used is read */
		r_lvalue(sc, e->a, e->op == OP_ASSIGN ? WR :
			 RD | WR | (use & VOID ? CMP : 0));
		r_expr(sc, e->b, RD);
		break;
	case E_INCDEC:
		r_lvalue(sc, e->a, RD | WR | (use & VOID ? CMP : 0));
		break;
	case E_IN:
		r_keys(sc, &e->args);
		if (e->a && e->a->kind == E_IDENT) {
			r_array(sc, e->a, e->args.n, RD);
			e->var = e->a->var;
		} else {
			r_expr(sc, e->a, RD);
		}
		break;
	case E_STAT:
	case E_HIST:
		if (e->a && e->a->kind == E_IDENT)
			r_ident(sc, e->a, RD);
		else
			r_expr(sc, e->a, RD);
		if (e->kind == E_HIST && e->a && e->a->var)
			hist_kind(sc, e);
		r_expr(sc, e->b, RD);
		vec_each(&e->args, i)
			r_expr(sc, vec_get(&e->args, i), RD);
		break;
	case E_TARGET:
	case E_TARGET_SYM:
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				r_expr(sc, c->index, RD);
		}
		if (!target_ok(sc, e))
			target_error(sc, e);
		break;
	case E_CAST:
	case E_ATVAR:
		r_expr(sc, e->a, RD);
		vec_each(&e->comps, i) {
			struct target_comp *c = vec_get(&e->comps, i);

			if (c->kind == COMP_INDEX)
				r_expr(sc, c->index, RD);
		}
		if (e->kind == E_ATVAR)	/* needs debuginfo we do not read */
			diag(sc->E->s, "semantic error", &e->loc,
			     "unresolved @var() expression: operator '@var'");
		if (e->kind == E_CAST) {	/* probes/dwarf_var.c */
			const char *why;

			if (!dwarf_cast_resolve(sc->E->s, e, &why))
				diag(sc->E->s, "semantic error", &e->loc,
				     "@cast(..., \"%s\"): %s", e->str ? e->str : "",
				     why ? why : "cannot be resolved");
		}
		break;
	case E_DEFINED:
		to_num(e, e->a ? defined_ok(sc, e->a) : 0);
		break;
	case E_CHOOSE: {
		struct expr *k = e->a && defined_ok(sc, e->a) ? e->a : e->b;

		if (k)
			*e = *k;
		r_expr(sc, e, use);
		break;
	}
	case E_ENTRY: {
		bool ret = false;

		if (sc->ep) {
			vec_each(&sc->ep->derived, i)
				if (((struct derived_probe *)vec_get(&sc->ep->derived, i))->is_return)
					ret = true;
		}
		if (!ret)
			diag(sc->E->s, "semantic error", &e->loc,
			     "@entry is only valid in .return probes");
		r_expr(sc, e->a, RD);
		/* the provider saves a target operand at entry anyway
		 * (probes/dwarf_var.c): emit it as the operand */
		if (e->a && e->a->prov && !e->prov)
			e->prov = e->a->prov;
		break;
	}
	}
}

/* ---- statements ------------------------------------------------------- */

static bool const_cond(const struct expr *e, bool *val)
{
	if (e && e->kind == E_NUM && e->prov == &folded_marker) {
		*val = e->num != 0;
		return true;
	}
	if (e && e->kind == E_UNARY && e->op == OP_NOT && const_cond(e->a, val)) {
		*val = !*val;
		return true;
	}
	return false;
}

static void r_stmt(struct scope *sc, struct stmt *st)
{
	bool v;

	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		vec_each(&st->body, i)
			r_stmt(sc, vec_get(&st->body, i));
		break;
	case S_EXPR:
		r_expr(sc, st->e, RD | VOID);
		break;
	case S_RETURN:
		r_expr(sc, st->e, RD);
		break;
	case S_IF:
		r_expr(sc, st->e, RD);
		/* @defined(...) folded to a constant: keep the live branch
		 * only, so the dead one's $vars are not resolved */
		if (st->e && const_cond(st->e, &v)) {
			struct stmt *k = v ? st->then : st->els;

			if (k) {
				*st = *k;
				r_stmt(sc, st);
			} else {
				st->kind = S_NULL;
			}
			break;
		}
		r_stmt(sc, st->then);
		r_stmt(sc, st->els);
		break;
	case S_WHILE:
		r_expr(sc, st->e, RD);
		r_stmt(sc, st->then);
		break;
	case S_FOR:
		r_stmt(sc, st->init);
		r_expr(sc, st->e, RD);
		r_stmt(sc, st->incr);
		r_stmt(sc, st->then);
		break;
	case S_FOREACH: {
		struct foreach_info *fe = st->fe;

		if (fe->array && fe->array->kind == E_IDENT) {
			r_array(sc, fe->array, fe->keys.n, RD);
		} else {
			r_expr(sc, fe->array, RD);
		}
		vec_each(&fe->keys, i)
			r_lvalue(sc, vec_get(&fe->keys, i), WR);
		if (fe->value)
			r_lvalue(sc, fe->value, WR);
		r_expr(sc, fe->limit, RD);
		r_stmt(sc, st->then);
		break;
	}
	case S_DELETE: {
		struct expr *e = st->e;

		if (e && e->kind == E_IDENT) {
			struct ast_vardecl *g = find_local(sc, e->str);

			if (!g)
				g = find_global(sc, e->str);
			if (g && g->global) {
				e->var = g;
				note_ref(sc->E, g, &e->loc);
				mark(sc->E, g, RD | WR);
			} else {
				r_ident(sc, e, RD | WR);
			}
		} else {
			r_lvalue(sc, e, RD | WR);
		}
		break;
	}
	case S_TRY:
		r_stmt(sc, st->then);
		if (st->catch_var)
			r_lvalue(sc, st->catch_var, WR);
		r_stmt(sc, st->els);
		break;
	case S_BREAK: case S_CONTINUE: case S_NEXT: case S_NULL:
	case S_EMBEDDED:
		break;
	}
}

/* a probe condition may only read globals (stap re-evaluates it when
 * they change) */
static bool cond_ok(struct scope *sc, const struct expr *e)
{
	bool ok = true;

	if (!e)
		return true;
	if (e->kind == E_CALL) {
		diag(sc->E->s, "semantic error", &e->loc,
		     "probe condition must not reference function: identifier '%s'",
		     e->str);
		return false;
	}
	if ((e->kind == E_IDENT || (e->kind == E_INDEX && e->a &&
				    e->a->kind == E_IDENT)) &&
	    !find_global(sc, e->kind == E_IDENT ? e->str : e->a->str)) {
		diag(sc->E->s, "semantic error", &e->loc,
		     "probe condition must not reference undeclared global: identifier '%s'",
		     e->kind == E_IDENT ? e->str : e->a->str);
		return false;
	}
	ok &= cond_ok(sc, e->b);
	ok &= cond_ok(sc, e->c);
	if (e->kind != E_INDEX)
		ok &= cond_ok(sc, e->a);
	vec_each(&e->args, i)
		ok &= cond_ok(sc, vec_get(&e->args, i));
	return ok;
}

void res_probe(struct elab *E, struct elab_probe *ep)
{
	struct scope sc = { 0 };

	sc.E = E;
	sc.locals = &ep->locals;
	sc.file = ep->decl->file;
	sc.ep = ep;
	if (ep->cond && cond_ok(&sc, ep->cond))
		r_expr(&sc, ep->cond, RD);
	r_stmt(&sc, ep->body);
}

void res_func(struct elab *E, struct ast_func *f)
{
	struct scope sc = { 0 };

	sc.E = E;
	sc.locals = &f->locals;
	sc.file = f->file;
	sc.fn = f;
	if (!f->locals.n) {
		vec_each(&f->params, i) {
			struct ast_param *p = vec_get(&f->params, i);
			struct ast_vardecl *v = new_local(&sc, p->name, p->loc);

			v->type = p->type;
			if (p->type != TY_UNKNOWN) {
				struct var_info *vi = elab_vinfo(E, v);

				vi->type_set = true;
				vi->type_loc = p->loc;
			}
		}
	}
	f->used = true;
	r_stmt(&sc, f->body);
}
