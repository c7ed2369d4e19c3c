/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * release.c - free the heap storage of the AST's vectors.
 *
 * AST nodes live in the session arena, but struct vec keeps its array on
 * the heap.  parse_release walks every file and frees those arrays, plus
 * the preprocessor's state.  vec_free resets a vector, so a node reached
 * twice (shared by a later pass) is harmless; two *copies* of one struct
 * vec would not be, so passes share nodes rather than copying vectors.
 */
#include "session.h"
#include "parse/lib.h"
#include "parse/parse.h"
#include "parse/pctx.h"
#include "parse/pp.h"


static void rel_exprs(struct vec *v)
{
	vec_each(v, i)
		rel_expr(vec_get(v, i));
	vec_free(v);
}

void rel_expr(struct expr *e)
{
	/* most nodes are leaves: test before calling */
	for (; e; e = e->a) {
		if (e->b)
			rel_expr(e->b);
		if (e->c)
			rel_expr(e->c);
		if (e->args.v)
			rel_exprs(&e->args);
		if (e->comps.v) {
			vec_each(&e->comps, i) {
				struct target_comp *c = vec_get(&e->comps, i);

				rel_expr(c->index);
			}
			vec_free(&e->comps);
		}
	}
}

void rel_fe(struct foreach_info *fe)
{
	if (!fe)
		return;
	rel_exprs(&fe->keys);
	rel_exprs(&fe->slice);
	rel_expr(fe->value);
	rel_expr(fe->array);
	rel_expr(fe->limit);
}

void rel_stmt(struct stmt *s)
{
	if (!s)
		return;
	rel_expr(s->e);
	rel_stmt(s->then);
	rel_stmt(s->els);
	rel_stmt(s->init);
	rel_stmt(s->incr);
	vec_each(&s->body, i)
		rel_stmt(vec_get(&s->body, i));
	vec_free(&s->body);
	rel_fe(s->fe);
	rel_expr(s->catch_var);
}

static void rel_point(struct probe_point *pp)
{
	vec_each(&pp->comps, k) {
		struct pp_comp *c = vec_get(&pp->comps, k);

		rel_expr(c->arg);
	}
	vec_free(&pp->comps);
	rel_expr(pp->cond);
}

void rel_pp(struct probe_point *pp)
{
	if (pp)
		rel_point(pp);
}

void rel_points(struct vec *pts)
{
	vec_each(pts, i) {
		rel_point(vec_get(pts, i));
	}
	vec_free(pts);
}

static void rel_file(struct ast_file *f)
{
	vec_each(&f->probes, i) {
		struct ast_probe *p = vec_get(&f->probes, i);

		rel_points(&p->points);
		rel_stmt(p->body);
	}
	vec_each(&f->aliases, i) {
		struct ast_alias *a = vec_get(&f->aliases, i);

		rel_points(&a->names);
		rel_points(&a->points);
		rel_stmt(a->body);
		rel_stmt(a->epilogue_body);
	}
	vec_each(&f->funcs, i) {
		struct ast_func *fn = vec_get(&f->funcs, i);

		vec_free(&fn->params);
		rel_stmt(fn->body);
	}
	vec_each(&f->globals, i) {
		struct ast_vardecl *v = vec_get(&f->globals, i);

		rel_expr(v->init);
	}
	vec_free(&f->probes);
	vec_free(&f->aliases);
	vec_free(&f->funcs);
	vec_free(&f->globals);
	vec_free(&f->embeds);
}

/* The parser keeps every AST vector's array in the arena (build.c: apush),
 * so only a later pass that grew one moved it to the heap: when pass 1 was
 * the only pass, there is nothing to walk for (and a walk would touch every
 * node of a large AST once more). */
static bool only_pass1(const struct session *s)
{
	return s->last_pass == 1 && !s->list_pattern && !s->dump;
}

void parse_release(struct session *s)
{
	lib_stop(s);
	if (!only_pass1(s)) {
		vec_each(&s->files, i)
			rel_file(vec_get(&s->files, i));
	}
	vec_free(&s->files);
	s->user = NULL;
	pp_state_free(s);
}
