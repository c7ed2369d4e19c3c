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

struct elab_program {
	struct vec probes;	/* struct elab_probe * */
	struct vec globals;	/* struct ast_vardecl *, used ones */
	struct vec funcs;	/* struct ast_func *, used ones */
	struct vec embeds;	/* struct ast_embed *, from used files */
	struct vec derived;	/* all struct derived_probe *, in order */
};

/* Pass 2.  Sets s->elab.  Returns 0, or -1 after reporting errors. */
int elab_program(struct session *s);
/* -p2 output */
void elab_print(struct session *s, FILE *out);
/* -l / -L: print matching points; returns 0 when at least one matched */
int elab_list(struct session *s);
/* --dump-functions / --dump-probe-aliases / --dump-probe-types */
int elab_dump(struct session *s);

#endif
