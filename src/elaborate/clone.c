/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clone.c - deep copies of statements and expressions.  An alias body (and
 * the user's body under an alias) is copied for each expansion, because
 * pass 2 annotates nodes in place and each expansion has its own locals.
 */
#include <string.h>

#include "elaborate/elab_int.h"
#include "util/arena.h"

static void clone_vec_expr(struct arena *A, struct vec *dst, const struct vec *src)
{
	memset(dst, 0, sizeof(*dst));
	vec_each(src, i)
		vec_push(dst, clone_expr(A, vec_get(src, i)));
}

struct expr *clone_expr(struct arena *A, const struct expr *e)
{
	struct expr *n;

	if (!e)
		return NULL;
	n = arena_new(A, struct expr);
	*n = *e;
	n->type = TY_UNKNOWN;
	n->var = NULL;
	n->func = NULL;
	n->prov = NULL;
	n->a = clone_expr(A, e->a);
	n->b = clone_expr(A, e->b);
	n->c = clone_expr(A, e->c);
	clone_vec_expr(A, &n->args, &e->args);
	memset(&n->comps, 0, sizeof(n->comps));
	vec_each(&e->comps, i) {
		const struct target_comp *c = vec_get(&e->comps, i);
		struct target_comp *nc = arena_new(A, struct target_comp);

		*nc = *c;
		nc->index = clone_expr(A, c->index);
		vec_push(&n->comps, nc);
	}
	return n;
}

struct stmt *clone_stmt(struct arena *A, const struct stmt *st)
{
	struct stmt *n;

	if (!st)
		return NULL;
	n = arena_new(A, struct stmt);
	*n = *st;
	n->e = clone_expr(A, st->e);
	n->then = clone_stmt(A, st->then);
	n->els = clone_stmt(A, st->els);
	n->init = clone_stmt(A, st->init);
	n->incr = clone_stmt(A, st->incr);
	n->catch_var = clone_expr(A, st->catch_var);
	memset(&n->body, 0, sizeof(n->body));
	vec_each(&st->body, i)
		vec_push(&n->body, clone_stmt(A, vec_get(&st->body, i)));
	if (st->fe) {
		struct foreach_info *fe = arena_new(A, struct foreach_info);

		*fe = *st->fe;
		clone_vec_expr(A, &fe->keys, &st->fe->keys);
		fe->value = clone_expr(A, st->fe->value);
		fe->array = clone_expr(A, st->fe->array);
		fe->limit = clone_expr(A, st->fe->limit);
		n->fe = fe;
	}
	return n;
}
