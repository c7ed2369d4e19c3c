/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_int.h - pass-3 internals shared by the files of src/translate/.
 *
 *   tx.c        driver: file layout, globals, frames, session start/stop
 *   tx_body.c   probe handlers and functions: statements, frames, labels
 *   tx_expr.c   expressions
 *   tx_call.c   builtins (print family, exit, error, strings, time)
 *               and calls of script / embedded-C functions
 *   tx_info.c   analysis: call depth (MAXNESTING), globals each probe locks
 *   tx_emit.c   the API the provider emitters use (tx_emit.h)
 *
 * Generated names: stp_g_NAME globals, stp_gl_NAME their locks, stp_f_NAME
 * functions, stp_p<N> probe handlers, l->v_NAME locals in frames, l->_t[K]
 * string temporaries, _vN C temporaries inside statement expressions.
 */
#ifndef STAP_TX_INT_H
#define STAP_TX_INT_H

#include <stdbool.h>

#include "ast.h"
#include "elaborate/elab.h"
#include "util/strbuf.h"
#include "util/vec.h"

struct session;

/* what the code being generated belongs to */
struct tx_scope {
	struct ast_func *func;		/* NULL in a probe handler */
	struct elab_probe *probe;
	const char *frame;		/* frame struct tag: "stp_fr_p3" */
	int ntmp, maxtmp;		/* string temporaries in use / needed */
	const char *errlabel;		/* where an error jumps: "out" or a catch */
	int depth;			/* loop depth (break/continue) */
};

struct tx {
	struct session *s;
	struct elab_program *prog;
	int errors;

	struct strbuf head;		/* before #include "runtime.h" */
	struct strbuf embeds;		/* top-level %{ %} */
	struct strbuf globals;
	struct strbuf frames;		/* frame structs */
	struct strbuf protos;
	struct strbuf code;		/* functions and handlers */
	struct strbuf decls;		/* provider emitters' declarations */

	struct vec reg, unreg;		/* provider start/stop code (char *) */
	struct vec begin, end;

	struct tx_scope *sc;		/* current function or handler */
	struct strbuf *out;		/* current body */
	int indent;
	int nvar;			/* _vN counter */
	int nlabel;			/* label counter */

	struct vec fnames;		/* struct fname * (tx.c) */
	int maxnesting;			/* computed default */
	bool recursive;
	void *data;			/* tx_data.c */
};

/* tx.c */
void tx_error(struct tx *tx, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* a C string literal for s */
void tx_cstr(struct strbuf *sb, const char *s);
/* "operator '/' at file:1:2" as a C literal */
void tx_near(struct tx *tx, struct strbuf *sb, const char *what,
	     const struct src_loc *loc);
/* the place of a division by 0 in x /= y: y's token (tx_expr.c) */
void tx_near_rhs(struct tx *tx, struct strbuf *sb, const struct expr *e);
void tx_line(struct tx *tx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* tx_body.c */
/* a probe handler's scope: its frame struct is tag (n bytes, "stp_fr_pN") */
void tx_probe_scope(struct tx_scope *sc, char *tag, size_t n,
		    struct elab_probe *p);
void tx_probe_handler(struct tx *tx, struct elab_probe *p);
void tx_function(struct tx *tx, struct ast_func *f);
void tx_function_proto(struct tx *tx, struct strbuf *sb, struct ast_func *f);
void tx_frame_struct(struct tx *tx, const char *tag, struct vec *locals,
		     int ntmp, const struct ast_func *f);
/* C name of a variable as an lvalue */
void tx_var(struct tx *tx, struct strbuf *sb, const struct ast_vardecl *v);
int tx_tmp(struct tx *tx);	/* a fresh string temporary's index */
/* a loop body (braced, MAXACTION per iteration, break/continue depth) */
void tx_loop_body(struct tx *tx, struct stmt *st);

/* tx_expr.c */
void tx_expr(struct tx *tx, struct strbuf *sb, struct expr *e);
/* an int64_t expression (numbers) or const char * (strings) */
bool tx_pure(const struct expr *e);
/* "if (unlikely(c->unwind)) goto <errlabel>;" */
void tx_check(struct tx *tx, struct strbuf *sb);
const char *tx_type_c(enum ast_type t);

/* tx_call.c */
void tx_call(struct tx *tx, struct strbuf *sb, struct expr *e);

/* tx_regex.c: compile a literal regex into table `name` (into decl);
 * returns its instruction count, or -1 with *err set */
int tx_regex_compile(const char *re, const char *name, struct strbuf *decl,
		     const char **err);

/* tx_info.c */
void tx_info_nesting(struct tx *tx);
/* the locks probe p takes, as a C initializer list; returns how many */
int tx_info_locks(struct tx *tx, struct elab_probe *p, struct strbuf *sb);

/* C names: "fib" or "fib_2" for a second private fib */
const char *tx_fname(struct tx *tx, const struct ast_func *f);

#endif /* STAP_TX_INT_H */
