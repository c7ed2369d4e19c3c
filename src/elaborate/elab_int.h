/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elab_int.h - pass-2 internals shared by the files of src/elaborate/.
 *
 *   elab.c      driver: file pull-in, order of the sub-passes, elision
 *   ppoint.c    probe points: braces, wildcards, aliases, providers
 *   resolve.c   names: locals, globals, functions, arity
 *   types.c     type inference to a fixed point
 *   check.c     foreach modification rule
 *   optimize.c  dead assignments, empty probes, autoprint of globals
 *   clone.c     deep copy of statements (alias bodies are per expansion)
 *   print.c     -p2 output
 *   list.c      -l / -L and --dump-*
 *   suggest.c   "similar: ..." suggestions
 *   builtins.c  intrinsics table (shared with pass 3)
 */
#ifndef STAP_ELAB_INT_H
#define STAP_ELAB_INT_H

#include <stdbool.h>

#include "ast.h"
#include "elaborate/elab.h"
#include "probes/provider.h"
#include "util/strbuf.h"
#include "util/vec.h"

struct session;

/* ---- map.c ---- */
struct map_ent;
struct map {
	struct map_ent **b;
	int cap, n;
	bool ptr_keys;		/* keys compared by address, else as strings */
};
void *map_get(const struct map *m, const void *key);
void map_put(struct map *m, const void *key, void *val);
void map_free(struct map *m);

/* where a variable's type and arity were first inferred */
struct var_info {
	bool type_set, arity_set, ref_set;
	struct src_loc type_loc, arity_loc, ref_loc;
	bool reported;		/* an error was already given for it */
	bool value_read;	/* read other than by ++ / op= (autoprint) */
	int hist;		/* histogram used on it: 1 log, 2 linear */
};

/* one alias name (an alias may have several: probe a, b = ...) */
struct alias_ent {
	struct ast_alias *alias;
	struct probe_point *name;
	int file;		/* index in s->files */
};

struct elab {
	struct session *s;
	struct elab_program *prog;
	struct arena *A;
	int nfiles;
	char *file_used;	/* per s->files index */
	int files_done;		/* used files whose probes were derived */
	struct map file_index;	/* src_file * -> (index + 1) */
	struct map funcs;	/* name -> struct vec * of ast_func * */
	struct map globals;	/* name -> struct vec * of ast_vardecl * */
	struct vec aliases;	/* struct alias_ent * */
	struct map vinfo;	/* ast_vardecl * -> struct var_info * */
	struct map finfo;	/* ast_func * -> struct var_info * (return type) */
	struct map fpure;	/* ast_func * -> 1 busy, 2 pure, 3 impure */
	struct vec func_queue;	/* ast_func * whose bodies need resolving */
	struct map func_resolved;	/* ast_func * -> non-NULL */
	struct vec all_globals;	/* ast_vardecl * visible (from used files) */
	struct vec user_probes;	/* struct elab_probe * from every used file */
	int depth;		/* alias expansion depth */
	struct vec shapes;	/* struct shape * (ppoint.c), built lazily */
	bool quiet;		/* ppoint.c: no mismatch messages (listing) */

	/* types.c */
	bool report;
	int changed;
};

/* elab.c */
int elab_file_of(struct elab *E, const struct src_file *f);
void elab_use_file(struct elab *E, int idx);
struct var_info *elab_vinfo(struct elab *E, const void *key);
const char *elab_type_name(enum ast_type t);

/* ppoint.c: derive the probes of one declared probe */
void pp_derive_probe(struct elab *E, struct ast_probe *p);
/* text of a probe point as written */
void pp_to_sb(struct strbuf *sb, const struct probe_point *pp);
const char *pp_text(struct elab *E, const struct probe_point *pp);
/* does the pattern-shaped comp name (with * / **) match name? */
bool pp_name_match(const char *pat, const char *name);
/* brace expansion of one point; appends struct probe_point * to out */
void pp_expand_braces(struct elab *E, const struct probe_point *pp,
		      struct vec *out);

/* one -l/-L line to be: the name, and for aliases their handlers */
struct pp_listed {
	const char *name;
	struct vec probes;	/* struct elab_probe * (aliases) */
};
void pp_list(struct elab *E, const struct probe_point *pp, struct vec *out);

/* elab.c */
struct elab *elab_new(struct session *s);
void elab_resolve_all(struct elab *E);

/* resolve.c */
void res_probe(struct elab *E, struct elab_probe *ep);
void res_func(struct elab *E, struct ast_func *f);

/* types.c */
int types_infer(struct elab *E);

/* check.c */
void check_foreach_writes(struct elab *E);

/* optimize.c */
void opt_dead_code(struct elab *E);
bool opt_stmt_empty(const struct stmt *st);
void opt_autoprint(struct elab *E);
void opt_reachable(struct elab *E, struct vec *probes, struct vec *funcs,
		   struct map *seen);

/* clone.c */
struct stmt *clone_stmt(struct arena *A, const struct stmt *st);
struct expr *clone_expr(struct arena *A, const struct expr *e);

/* suggest.c: up to 5 names from cands (const char *) close to name,
 * as ", "-separated text, or NULL when none is close */
const char *suggest(struct elab *E, const char *name, struct vec *cands);

/* print.c */
void print_expr(struct strbuf *sb, const struct expr *e);
void print_stmt(struct strbuf *sb, const struct stmt *st, int indent);
void elab_func_sig(struct strbuf *sb, const struct ast_func *f);

#endif
