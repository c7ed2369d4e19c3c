/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pctx.h - the parser's state and the AST constructors used by grammar.y */
#ifndef STAP_PARSE_PCTX_H
#define STAP_PARSE_PCTX_H

#include <stdbool.h>

#include "ast.h"
#include "parse/pwork.h"
#include "parse/tok.h"

struct session;

struct pctx {
	struct session *s;
	struct pwork *w;		/* arena, diagnostics (pwork.h) */
	const struct src_file *src;
	struct ast_file *file;
	struct pp *pp;			/* preprocessed token stream */
	struct tok **tp;		/* token pool: chunks of TP_CHUNK; bison's
					   stack points into it */
	int tp_n, tp_chunk;		/* chunks allocated, in use */
	struct tok *tp_cur, *tp_end;	/* free part of the current chunk */
	const struct tok *last;		/* last token handed to bison (bison's
				   yylval: valid during the parse) */
	bool skip;			/* error recovery: skip to a declaration */
	bool in_func;			/* parsing a function body */
	bool privileged;		/* tapset or -g: embedded C allowed */

	/* probe headers: component pieces written without blanks are glued */
	int braces;			/* '{' depth outside headers */
	bool header;			/* between 'probe' and its body */
	int hdr_parens, hdr_groups;
	int prev_kind;			/* kind of the token before */

	/* foreach head, filled while its parts reduce */
	struct foreach_info *fe_keys;
	struct vec *fe_slice;
	int fe_vsort;
	const char *fe_agg;		/* @sum- style sort: "sum" */
	struct src_loc fe_sort_loc;
	struct expr *fe_limit;
};

void pctx_next(struct pctx *ctx, struct tok *t);
bool tok_is_decl_start(const struct tok *t);

struct vec *pvec(struct pctx *ctx);
void apush(struct pctx *ctx, struct vec *v, void *p);
struct tok *tok_new_chunk(struct pctx *ctx);
static inline struct tok *tok_new(struct pctx *ctx)
{
	return ctx->tp_cur < ctx->tp_end ? ctx->tp_cur++ : tok_new_chunk(ctx);
}
void tok_recycle(struct pctx *ctx, struct tok **keep);
void tok_pool_free(struct pctx *ctx);
struct tok *tok_join(struct pctx *ctx, struct tok *b);
struct tok *brace_text(struct pctx *ctx, struct tok *open, struct vec *items);

void parse_add_probe(struct pctx *ctx, struct tok *kw, int priv, struct vec *pts,
		     struct stmt *body);
struct ast_alias *parse_add_alias(struct pctx *ctx, struct tok *kw, struct vec *names,
		     struct vec *pts, bool epilogue, struct stmt *body);
void parse_add_func(struct pctx *ctx, struct tok *kw, int priv, struct tok *name,
		    int type, struct vec *params, struct stmt *body);
void parse_add_globals(struct pctx *ctx, int priv, struct vec *vars);
void parse_add_embed(struct pctx *ctx, struct tok *code);

struct probe_point *mk_pp(struct pctx *ctx, struct vec *comps, int flags,
			  struct expr *cond);
struct pp_comp *mk_comp(struct pctx *ctx, struct tok *name, struct expr *arg);
struct ast_param *mk_param(struct pctx *ctx, struct tok *name, int type);
struct ast_vardecl *mk_gvar(struct pctx *ctx, struct tok *name, int wrap,
			    struct tok *size, struct expr *init);

struct stmt *mk_stmt(struct pctx *ctx, enum stmt_kind k, struct tok *t);
struct stmt *mk_block(struct pctx *ctx, struct tok *t, struct vec *body);
struct stmt *mk_return(struct pctx *ctx, struct tok *t, struct expr *e);
struct stmt *mk_embedded_stmt(struct pctx *ctx, struct tok *t);

struct foreach_info *fe_key(struct pctx *ctx, struct tok *name, int dir);
struct foreach_info *fe_list(struct pctx *ctx, struct vec *keys);
struct foreach_info *fe_finish(struct pctx *ctx, struct foreach_info *value,
			       struct foreach_info *keys, struct tok *array,
			       struct expr *hist);

struct expr *mk_expr(struct pctx *ctx, enum expr_kind k, const struct src_loc *loc);
struct expr *mk_num(struct pctx *ctx, struct tok *t);
struct expr *mk_str(struct pctx *ctx, struct tok *t);
struct expr *str_join(struct pctx *ctx, struct expr *a, struct tok *t);
struct expr *mk_ident(struct pctx *ctx, struct tok *t);
struct expr *mk_call(struct pctx *ctx, struct tok *name, struct vec *args);
struct expr *mk_print_hist(struct pctx *ctx, struct tok *name, struct expr *hist);
struct expr *mk_bin(struct pctx *ctx, int op, struct expr *a, struct expr *b);
struct expr *mk_assign(struct pctx *ctx, struct expr *a, int op, struct expr *b);
struct expr *mk_unary(struct pctx *ctx, struct tok *t, int op, struct expr *a);
struct expr *mk_addr(struct pctx *ctx, struct tok *t, struct expr *a);
struct expr *mk_incdec(struct pctx *ctx, struct tok *t, int op, struct expr *a,
		       bool postfix);
struct expr *mk_in(struct pctx *ctx, struct vec *keys, struct expr *key,
		   struct tok *array, const struct src_loc *loc);
struct expr *mk_target(struct pctx *ctx, struct tok *t);
struct expr *mk_target_sym(struct pctx *ctx, struct tok *t);
struct expr *mk_cast(struct pctx *ctx, struct tok *t, struct expr *e,
		     struct expr *type, struct expr *module);
struct expr *mk_atvar(struct pctx *ctx, struct tok *t, struct expr *name,
		      struct expr *module);
struct target_comp *mk_tcomp(struct pctx *ctx, enum comp_kind k, struct tok *t,
			     struct expr *index);
struct expr *mk_postfix(struct pctx *ctx, struct expr *base, struct target_comp *c);
struct expr *mk_pretty(struct pctx *ctx, struct expr *base, int pretty);
struct expr *mk_in_hist(struct pctx *ctx, struct vec *keys, struct expr *key,
			struct expr *hist, const struct src_loc *loc);
struct expr *mk_const(struct pctx *ctx, struct tok *t, struct expr *str);
struct expr *mk_stat(struct pctx *ctx, struct tok *t, struct expr *a, struct expr *b);
struct expr *mk_hist(struct pctx *ctx, struct tok *t, struct vec *args);
struct expr *mk_embedded_expr(struct pctx *ctx, struct tok *t);

/* release.c: free the heap parts of a subtree (also used by %destructor) */
void rel_expr(struct expr *e);
void rel_stmt(struct stmt *s);
void rel_fe(struct foreach_info *fe);
void rel_pp(struct probe_point *pp);
void rel_points(struct vec *pts);

#endif
