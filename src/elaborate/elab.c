/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elab.c - pass 2 driver.
 *
 * 1. index every parsed file's functions, globals and alias names;
 * 2. the user's files are used; a tapset file becomes used when the
 *    program refers to one of its aliases, functions or globals (stap's
 *    pull-in, transitively);
 * 3. the probes of used files are derived (ppoint.c), their handlers and
 *    every reachable function resolved (resolve.c) until nothing new is
 *    pulled in;
 * 4. dead code and empty probes are elided (optimize.c), types inferred
 *    (types.c), never-read globals get an end probe printing them.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elaborate/elab_int.h"
#include "session.h"
#include "util/arena.h"
#include "util/xalloc.h"

int elab_file_of(struct elab *E, const struct src_file *f)
{
	intptr_t i = (intptr_t)map_get(&E->file_index, f);

	return i ? (int)i - 1 : 0;
}

struct var_info *elab_vinfo(struct elab *E, const void *key)
{
	struct var_info *vi = map_get(&E->vinfo, key);

	if (!vi) {
		vi = arena_new(E->A, struct var_info);
		map_put(&E->vinfo, key, vi);
	}
	return vi;
}

void elab_use_file(struct elab *E, int idx)
{
	struct ast_file *f;

	if (idx < 0 || idx >= E->nfiles || E->file_used[idx])
		return;
	E->file_used[idx] = 1;
	f = vec_get(&E->s->files, idx);
	vec_each(&f->globals, i)
		vec_push(&E->all_globals, vec_get(&f->globals, i));
}

static void push_named(struct map *m, const char *name, void *item)
{
	struct vec *v = map_get(m, name);

	if (!v) {
		v = xcalloc(1, sizeof(*v));
		map_put(m, name, v);
	}
	vec_push(v, item);
}

static void index_files(struct elab *E)
{
	struct session *s = E->s;

	vec_each(&s->files, i) {
		struct ast_file *f = vec_get(&s->files, i);

		map_put(&E->file_index, f->src, (void *)(intptr_t)(i + 1));
		vec_each(&f->funcs, k) {
			struct ast_func *fn = vec_get(&f->funcs, k);

			if (!fn->file)
				fn->file = f->src;
			push_named(&E->funcs, fn->name, fn);
		}
		vec_each(&f->globals, k) {
			struct ast_vardecl *v = vec_get(&f->globals, k);

			if (!v->file)
				v->file = f->src;
			v->global = true;
			v->arity = -1;
			if (v->init) {
				struct var_info *vi = elab_vinfo(E, v);

				v->type = v->init->kind == E_STR ? TY_STRING : TY_LONG;
				v->init->type = v->type;
				v->arity = 0;
				vi->type_set = vi->arity_set = true;
				vi->type_loc = vi->arity_loc = v->init->loc;
			}
			push_named(&E->globals, v->name, v);
		}
		vec_each(&f->probes, k) {
			struct ast_probe *p = vec_get(&f->probes, k);

			if (!p->file)
				p->file = f->src;
		}
		vec_each(&f->aliases, k) {
			struct ast_alias *a = vec_get(&f->aliases, k);

			if (!a->file)
				a->file = f->src;
			vec_each(&a->names, j) {
				struct alias_ent *ae = arena_new(E->A, struct alias_ent);

				ae->alias = a;
				ae->name = vec_get(&a->names, j);
				ae->file = i;
				vec_push(&E->aliases, ae);
			}
		}
	}
}

/* derive + resolve until no new file, probe or function appears */
static void resolve_all(struct elab *E)
{
	int probes_done = 0, funcs_done = 0;
	bool progress = true;

	while (progress) {
		progress = false;
		for (int i = 0; i < E->nfiles; i++) {
			struct ast_file *f;

			if (E->file_used[i] != 1)
				continue;
			E->file_used[i] = 2;	/* probes derived */
			progress = true;
			f = vec_get(&E->s->files, i);
			vec_each(&f->probes, k)
				pp_derive_probe(E, vec_get(&f->probes, k));
		}
		for (; probes_done < E->user_probes.n; probes_done++) {
			res_probe(E, vec_get(&E->user_probes, probes_done));
			progress = true;
		}
		for (; funcs_done < E->func_queue.n; funcs_done++) {
			res_func(E, vec_get(&E->func_queue, funcs_done));
			progress = true;
		}
	}
}

/* a condition on globals keeps even an empty probe (it is re-armed) */
static bool expr_has_global(const struct expr *e)
{
	if (!e)
		return false;
	if (e->var && e->var->global)
		return true;
	if (expr_has_global(e->a) || expr_has_global(e->b) ||
	    expr_has_global(e->c))
		return true;
	vec_each(&e->args, i)
		if (expr_has_global(vec_get(&e->args, i)))
			return true;
	return false;
}

static const char *probe_kw(struct elab_probe *ep)
{
	return ep->pp;
}

static void collect(struct elab *E)
{
	struct session *s = E->s;
	struct elab_program *P = E->prog;
	struct map seen = { .ptr_keys = true };

	vec_each(&E->user_probes, i) {
		struct elab_probe *ep = vec_get(&E->user_probes, i);

		if (!ep->derived.n)
			continue;
		if (!s->unoptimized && opt_stmt_empty(ep->body) &&
		    !expr_has_global(ep->cond)) {
			bool user = ep->decl->file && !ep->decl->file->is_tapset;

			if (user)
				diag_warn(s, &ep->decl->loc,
					  "Probe '%s' has been elided",
					  probe_kw(ep));
			continue;
		}
		vec_push(&P->probes, ep);
	}
	/* functions: reachable ones, in resolution order */
	opt_reachable(E, &P->probes, &P->funcs, &seen);
	vec_each(&E->all_globals, i) {
		struct ast_vardecl *v = vec_get(&E->all_globals, i);

		if (map_get(&seen, v)) {
			if (v->arity < 0)
				v->arity = v->size ? 1 : 0;
			vec_push(&P->globals, v);
		}
	}
	for (int i = 0; i < E->nfiles; i++) {
		struct ast_file *f = vec_get(&s->files, i);

		if (!E->file_used[i])
			continue;
		vec_each(&f->embeds, k)
			vec_push(&P->embeds, vec_get(&f->embeds, k));
	}
	map_free(&seen);
}

static void finish(struct elab *E)
{
	struct elab_program *P = E->prog;

	vec_each(&P->probes, i) {
		struct elab_probe *ep = vec_get(&P->probes, i);

		ep->index = i;
		vec_each(&ep->derived, k)
			vec_push(&P->derived, vec_get(&ep->derived, k));
	}
}

/* stap's "never-assigned" warnings, for the user's own code */
static void warn_locals(struct elab *E, struct vec *locals, int skip)
{
	for (int i = skip; i < locals->n; i++) {
		struct ast_vardecl *v = vec_get(locals, i);
		struct var_info *vi = elab_vinfo(E, v);

		if (v->read && !v->written && vi->ref_set &&
		    vi->ref_loc.file && !vi->ref_loc.file->is_tapset)
			diag_warn(E->s, &vi->ref_loc,
				  "never-assigned local variable '%s'", v->name);
	}
}

static void warn_unassigned(struct elab *E)
{
	vec_each(&E->user_probes, i)
		warn_locals(E, &((struct elab_probe *)vec_get(&E->user_probes, i))->locals, 0);
	vec_each(&E->func_queue, i) {
		struct ast_func *f = vec_get(&E->func_queue, i);

		warn_locals(E, &f->locals, f->params.n);
	}
	vec_each(&E->all_globals, i) {
		struct ast_vardecl *v = vec_get(&E->all_globals, i);

		if (v->read && !v->written && !v->init && v->file &&
		    !v->file->is_tapset)
			diag_warn(E->s, &v->loc,
				  "never-assigned global variable '%s'", v->name);
	}
}

struct elab *elab_new(struct session *s)
{
	struct elab *E = xcalloc(1, sizeof(*E));

	E->s = s;
	E->A = &s->arena;
	E->prog = arena_new(&s->arena, struct elab_program);
	E->nfiles = s->files.n;
	E->file_used = xcalloc(E->nfiles + 1, 1);
	E->file_index.ptr_keys = true;
	E->vinfo.ptr_keys = true;
	E->finfo.ptr_keys = true;
	E->func_resolved.ptr_keys = true;
	E->fpure.ptr_keys = true;
	s->elab = E->prog;
	index_files(E);
	return E;
}

void elab_resolve_all(struct elab *E)
{
	resolve_all(E);
}

int elab_program(struct session *s)
{
	struct elab *E = elab_new(s);
	int before = s->errors;

	for (int i = 0; i < s->n_user_files && i < E->nfiles; i++)
		elab_use_file(E, i);
	if (!s->n_user_files && E->nfiles)
		elab_use_file(E, 0);
	resolve_all(E);
	warn_unassigned(E);
	check_foreach_writes(E);
	if (!s->unoptimized)
		opt_dead_code(E);
	collect(E);
	if (s->errors == before && !E->prog->probes.n) {
		diag(s, "semantic error", NULL, "no probes found");
	}
	if (E->prog->probes.n)
		types_infer(E);
	if (s->errors == before)
		opt_autoprint(E);
	finish(E);
	return s->errors > before ? -1 : 0;
}
