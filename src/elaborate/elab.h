/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elab.h - pass 2: resolve probe points (through src/probes providers),
 * expand aliases, pull in tapset symbols, resolve names, infer types.
 * Annotates the AST in place (expr->type, expr->var, expr->func,
 * vardecl->type/arity/key_types) and builds the program pass 3 translates.
 */
#ifndef STAP_ELAB_H
#define STAP_ELAB_H

#include <stdio.h>

#include "ast.h"
#include "util/vec.h"

struct session;

/* one probe handler after alias expansion */
struct elab_probe {
	int index;			/* 0..n-1, stable */
	struct ast_probe *decl;		/* the user's (or tapset's) probe */
	struct stmt *body;		/* alias prologues + body + epilogues */
	struct vec locals;		/* struct ast_vardecl * */
	struct expr *cond;		/* if (cond), or NULL */
	struct vec derived;		/* struct derived_probe * */
	const char *pp;			/* the probe point as written (for errors) */
};

/*
 * Notes for pass 3:
 * - probes holds only what survives elision (empty handlers, dead
 *   assignments and side-effect-free statements are gone unless -u);
 *   funcs/globals only what the probes reach.
 * - globals written but never read are printed by an extra "end" handler
 *   pass 2 synthesizes (last entry of probes, plain printf/foreach AST,
 *   already typed): nothing to do in pass 3.
 * - an E_CALL with func == NULL is an intrinsic: builtin_find(e->str)
 *   (elaborate/builtins.h) gives its entry.
 * - @defined(...) is folded to an E_NUM; @choose_defined and the branch
 *   of an if/?: on a folded @defined are replaced by the chosen operand.
 * - derived_probe->point is the concrete point (flags, if-condition);
 *   elab_probe->cond the handler's condition (globals only).
 */
struct elab_program {
	struct vec probes;	/* struct elab_probe * */
	struct vec globals;	/* struct ast_vardecl *, used ones */
	struct vec funcs;	/* struct ast_func *, used ones */
	struct vec embeds;	/* struct ast_embed *, from used files */
	struct vec derived;	/* all struct derived_probe *, in order */
};

/* Pass 2.  Sets s->elab.  Returns 0, or -1 after reporting errors. */
int elab_program(struct session *s);
/* --privilege: refuse what the level does not allow (after elab_program) */
int elab_check_privilege(struct session *s);
/* -p2 output */
void elab_print(struct session *s, FILE *out);
/* -l / -L: print matching points; returns 0 when at least one matched */
int elab_list(struct session *s);
/* --dump-functions / --dump-probe-aliases / --dump-probe-types */
int elab_dump(struct session *s);

#endif
