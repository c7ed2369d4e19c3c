/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_info.c - what pass 3 needs to know about the whole program before
 * writing it: the deepest call chain (the default MAXNESTING) and, per
 * probe handler, the globals it reads and writes (the locks it takes),
 * through every function it may call.
 */
#include <stdlib.h>
#include <string.h>

#include "translate/tx_int.h"

typedef void (*visit_fn)(struct expr *e, bool write, void *data);

static void walk_expr(struct expr *e, visit_fn fn, void *data);

static void walk_vec(struct vec *v, visit_fn fn, void *data)
{
	vec_each(v, i)
		walk_expr(vec_get(v, i), fn, data);
}

/* the variable an assignment target names (scalar or array) */
static void target(struct expr *t, visit_fn fn, void *data)
{
	if (!t)
		return;
	if (t->kind == E_IDENT) {
		fn(t, true, data);
	} else if (t->kind == E_INDEX) {
		if (t->a)
			fn(t->a, true, data);
		walk_vec(&t->args, fn, data);
	} else {
		walk_expr(t, fn, data);
	}
}

static void walk_expr(struct expr *e, visit_fn fn, void *data)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_ASSIGN:
		/* x <<< v only touches this CPU's copy: a shared lock is enough */
		if (e->op == OP_STATS_ADD)
			walk_expr(e->a, fn, data);
		else
			target(e->a, fn, data);
		walk_expr(e->b, fn, data);
		return;
	case E_INCDEC:
		target(e->a, fn, data);
		return;
	default:
		break;
	}
	fn(e, false, data);
	walk_expr(e->a, fn, data);
	walk_expr(e->b, fn, data);
	walk_expr(e->c, fn, data);
	walk_vec(&e->args, fn, data);
	vec_each(&e->comps, i) {
		struct target_comp *tc = vec_get(&e->comps, i);

		if (tc->kind == COMP_INDEX)
			walk_expr(tc->index, fn, data);
	}
}

static void walk_stmt(struct stmt *s, visit_fn fn, void *data)
{
	if (!s)
		return;
	if (s->kind == S_DELETE)
		target(s->e, fn, data);
	else
		walk_expr(s->e, fn, data);
	walk_stmt(s->then, fn, data);
	walk_stmt(s->els, fn, data);
	walk_stmt(s->init, fn, data);
	walk_stmt(s->incr, fn, data);
	vec_each(&s->body, i)
		walk_stmt(vec_get(&s->body, i), fn, data);
	if (s->fe) {
		vec_each(&s->fe->keys, i)
			target(vec_get(&s->fe->keys, i), fn, data);
		target(s->fe->value, fn, data);
		/* sorting or aggregating rewrites the array: a write */
		if (s->fe->array && s->fe->array->var &&
		    (s->fe->sort_dir || s->fe->array->var->type == TY_STATS))
			target(s->fe->array, fn, data);
		else
			walk_expr(s->fe->array, fn, data);
		walk_expr(s->fe->limit, fn, data);
		walk_vec(&s->fe->slice, fn, data);
	}
	target(s->catch_var, fn, data);
}

/* ---- call depth ----------------------------------------------------------- */

struct depth {
	struct tx *tx;
	struct vec stack;	/* ast_func * being walked */
	struct vec done;	/* ast_func * with known depth */
	struct vec depths;	/* (intptr_t) depth, parallel to done */
	int max;		/* deepest callee below the current function */
};

static int func_depth(struct depth *d, struct ast_func *f);

static void depth_visit(struct expr *e, bool write, void *data)
{
	struct depth *d = data;
	int n;

	(void)write;
	if (e->kind != E_CALL || !e->func)
		return;
	n = func_depth(d, e->func);
	if (n > d->max)
		d->max = n;
}

static int func_depth(struct depth *d, struct ast_func *f)
{
	int saved, n;

	vec_each(&d->done, i)
		if (vec_get(&d->done, i) == f)
			return (int)(intptr_t)vec_get(&d->depths, i);
	vec_each(&d->stack, i)
		if (vec_get(&d->stack, i) == f) {
			d->tx->recursive = true;
			return 1;
		}
	vec_push(&d->stack, f);
	saved = d->max;
	d->max = 0;
	if (f->body && f->body->kind != S_EMBEDDED)
		walk_stmt(f->body, depth_visit, d);
	n = 1 + d->max;
	d->max = saved;
	d->stack.n--;
	vec_push(&d->done, f);
	vec_push(&d->depths, (void *)(intptr_t)n);
	return n;
}

void tx_info_nesting(struct tx *tx)
{
	struct depth d = { .tx = tx };
	int max = 0;

	vec_each(&tx->prog->funcs, i) {
		int n = func_depth(&d, vec_get(&tx->prog->funcs, i));

		if (n > max)
			max = n;
	}
	tx->maxnesting = max + 1 + (tx->recursive ? 10 : 0);
	vec_free(&d.stack);
	vec_free(&d.done);
	vec_free(&d.depths);
}

/* ---- locks ------------------------------------------------------------------ */

struct locks {
	struct tx *tx;
	char *use;		/* per global index: 0, 'r' or 'w' */
	struct vec seen;	/* ast_func * already walked */
};

static int global_index(struct tx *tx, const struct ast_vardecl *v)
{
	vec_each(&tx->prog->globals, i)
		if (vec_get(&tx->prog->globals, i) == v)
			return i;
	return -1;
}

static void walk_func(struct locks *lk, struct ast_func *f);

static void locks_visit(struct expr *e, bool write, void *data)
{
	struct locks *lk = data;

	if (e->kind == E_CALL && e->func) {
		walk_func(lk, e->func);
		return;
	}
	if ((e->kind == E_IDENT || e->kind == E_INDEX) && e->var &&
	    e->var->global) {
		int k = global_index(lk->tx, e->var);

		if (k >= 0 && (write || !lk->use[k]))
			lk->use[k] = write ? 'w' : 'r';
	}
	if (e->kind == E_IN && e->var && e->var->global && e->var->type == TY_STATS) {
		/* looks into every CPU's copy, which <<< (shared lock) changes */
		int k = global_index(lk->tx, e->var);

		if (k >= 0)
			lk->use[k] = 'w';
	}
	if (e->kind == E_HIST || e->kind == E_STAT) {
		/* reading an aggregate folds per-CPU data: a write */
		if (e->a && e->a->var && e->a->var->global) {
			int k = global_index(lk->tx, e->a->var);

			if (k >= 0)
				lk->use[k] = 'w';
		}
	}
}

static void walk_func(struct locks *lk, struct ast_func *f)
{
	vec_each(&lk->seen, i)
		if (vec_get(&lk->seen, i) == f)
			return;
	vec_push(&lk->seen, f);
	if (f->body && f->body->kind != S_EMBEDDED)
		walk_stmt(f->body, locks_visit, lk);
}

int tx_info_locks(struct tx *tx, struct elab_probe *p, struct strbuf *sb)
{
	struct locks lk = { .tx = tx };
	int n = 0, ng = tx->prog->globals.n;

	lk.use = calloc(ng ? ng : 1, 1);
	walk_stmt(p->body, locks_visit, &lk);
	walk_expr(p->cond, locks_visit, &lk);
	for (int i = 0; i < ng; i++) {
		struct ast_vardecl *v = vec_get(&tx->prog->globals, i);

		if (!lk.use[i])
			continue;
		sb_printf(sb, "\t{ &%s_lock, %s, \"%s\", &%s_contended },\n",
			  (const char *)v->tx, lk.use[i] == 'w' ? "true" : "false",
			  v->name, (const char *)v->tx);
		n++;
	}
	free(lk.use);
	vec_free(&lk.seen);
	return n;
}
