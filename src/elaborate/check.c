/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.c - rules checked on the resolved program: an array must not be
 * modified while a foreach iterates over it, directly or by a function
 * called from the loop (stap's "modified during 'foreach' iteration").
 */
#include "diag.h"
#include "elaborate/elab_int.h"
#include "session.h"
#include "util/arena.h"

struct cctx {
	struct elab *E;
	struct map writes;	/* ast_func * -> struct map * of globals written */
	struct vec iter;	/* ast_vardecl * being iterated */
	int changed;
	bool report;
};

static struct map *writes_of(struct cctx *C, struct ast_func *f)
{
	struct map *m = map_get(&C->writes, f);

	if (!m) {
		m = arena_new(C->E->A, struct map);
		m->ptr_keys = true;
		map_put(&C->writes, f, m);
	}
	return m;
}

static struct ast_vardecl *target_of(const struct expr *e)
{
	if (!e)
		return NULL;
	if ((e->kind == E_IDENT || e->kind == E_INDEX) && e->var &&
	    e->var->global)
		return e->var;
	return NULL;
}

static void c_stmt(struct cctx *C, struct map *acc, const struct stmt *st);

/* a write: record it in acc, and complain when it is being iterated */
static void wrote(struct cctx *C, struct map *acc, struct ast_vardecl *v,
		  const struct expr *at)
{
	if (!v)
		return;
	if (acc && !map_get(acc, v)) {
		map_put(acc, v, v);
		C->changed++;
	}
	if (!C->report)
		return;
	vec_each(&C->iter, i) {
		if (vec_get(&C->iter, i) == v) {
			diag(C->E->s, "semantic error", &at->loc,
			     "variable '%s' modified during 'foreach' iteration: identifier '%s'",
			     v->name, v->name);
			return;
		}
	}
}

static void c_expr(struct cctx *C, struct map *acc, const struct expr *e)
{
	if (!e)
		return;
	c_expr(C, acc, e->a);
	c_expr(C, acc, e->b);
	c_expr(C, acc, e->c);
	vec_each(&e->args, i)
		c_expr(C, acc, vec_get(&e->args, i));
	if (e->kind == E_ASSIGN || e->kind == E_INCDEC)
		wrote(C, acc, target_of(e->a), e->a);
	if (e->kind == E_CALL && e->func) {
		struct map *fw = writes_of(C, e->func);

		vec_each(&C->E->all_globals, i) {
			struct ast_vardecl *v = vec_get(&C->E->all_globals, i);

			if (!map_get(fw, v))
				continue;
			if (acc && !map_get(acc, v)) {
				map_put(acc, v, v);
				C->changed++;
			}
			if (C->report) {
				vec_each(&C->iter, k) {
					if (vec_get(&C->iter, k) == v) {
						diag(C->E->s, "semantic error", &e->loc,
						     "function call modifies var '%s' during 'foreach' iteration: identifier '%s'",
						     v->name, e->str);
						break;
					}
				}
			}
		}
	}
}

static void c_stmt(struct cctx *C, struct map *acc, const struct stmt *st)
{
	if (!st)
		return;
	switch (st->kind) {
	case S_FOREACH: {
		struct ast_vardecl *v = target_of(st->fe->array);

		c_expr(C, acc, st->fe->limit);
		if (v)
			vec_push(&C->iter, v);
		c_stmt(C, acc, st->then);
		if (v)
			C->iter.n--;
		return;
	}
	case S_DELETE:
		wrote(C, acc, target_of(st->e), st->e);
		if (st->e && st->e->kind == E_INDEX)
			vec_each(&st->e->args, i)
				c_expr(C, acc, vec_get(&st->e->args, i));
		return;
	default:
		break;
	}
	c_expr(C, acc, st->e);
	c_stmt(C, acc, st->init);
	c_stmt(C, acc, st->incr);
	c_stmt(C, acc, st->then);
	c_stmt(C, acc, st->els);
	vec_each(&st->body, i)
		c_stmt(C, acc, vec_get(&st->body, i));
}

void check_foreach_writes(struct elab *E)
{
	struct cctx C = { .E = E, .writes = { .ptr_keys = true } };

	/* what each function writes, through its callees too */
	for (int round = 0; round < 64; round++) {
		C.changed = 0;
		vec_each(&E->func_queue, i) {
			struct ast_func *f = vec_get(&E->func_queue, i);

			if (f->body && f->body->kind != S_EMBEDDED)
				c_stmt(&C, writes_of(&C, f), f->body);
		}
		if (!C.changed)
			break;
	}
	C.report = true;
	vec_each(&E->user_probes, i)
		c_stmt(&C, NULL, ((struct elab_probe *)vec_get(&E->user_probes, i))->body);
	vec_each(&E->func_queue, i) {
		struct ast_func *f = vec_get(&E->func_queue, i);

		if (f->body && f->body->kind != S_EMBEDDED)
			c_stmt(&C, NULL, f->body);
	}
	map_free(&C.writes);
	vec_free(&C.iter);
}
