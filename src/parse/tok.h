/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tok.h - pass 1 internals: tokens, the raw scanner, the preprocessor.
 *
 *   lexer.l   text -> raw tokens (struct tok), one vec per file
 *   pp.c      raw tokens -> parser tokens: %( %? %: %) conditionals,
 *             @define macros, $N/@N command-line arguments
 *   grammar.y parser tokens -> AST
 */
#ifndef STAP_PARSE_TOK_H
#define STAP_PARSE_TOK_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "util/vec.h"

struct pwork;

struct tok {
	int kind;		/* bison token kind (grammar.tab.h) */
	bool space_before;	/* whitespace/comment between this and previous */
	const char *text;	/* source spelling; decoded value for STRING,
				   name without sigil for TARGET/AT_* */
	int64_t num;		/* NUMBER value; ARG index (-1 for $#/@#) */
	struct src_loc loc;
};

/* lexer.l: the raw scanner, one token at a time.  Token texts live in the
 * pwork's arena.  src->text is scanned in place when src->lexbuf says it is
 * followed by a second NUL; otherwise flex works on a copy. */
struct arena;
struct lexer;
struct lexer *lex_open(struct pwork *w, const struct src_file *src);
int lex_next(struct lexer *lx, struct tok *t);	/* fills t, returns its kind;
						   END_OF_FILE for ever at the end */
int lex_count(const struct lexer *lx);		/* tokens so far, without EOF */
int lex_close(struct lexer *lx);		/* frees; returns the error count */
/* the whole file at once (struct tok * in *out, allocated in toks, the last
 * one END_OF_FILE): for command-line arguments.  Returns the error count. */
int lex_file(struct pwork *w, const struct src_file *src, struct vec *out,
	     struct arena *toks);

/* pp.c: the preprocessor as a token stream over a lexer.  Tokens it keeps
 * (macro bodies, conditions) live until the next pp_open; stpm: the file is
 * an .stpm macro file: its @define macros become visible to every later file
 * (kept in the pwork's arena: the session's), and its other tokens are
 * dropped (pp_drain).  One stream at a time per pwork. */
struct pp;
struct pp *pp_open(struct pwork *w, const struct src_file *src, bool stpm);
const struct tok *pp_peek(struct pp *p);	/* the next token, not consumed */
void pp_next(struct pp *p, struct tok *t);	/* consume it into t */
void pp_drain(struct pp *p);			/* consume everything */
/* close; *nraw, *nout: tokens read from the file, handed out (no EOF) */
void pp_close(struct pp *p, int *nraw, int *nout);

/* a short human form of a token, for "found X" messages */
const char *tok_describe(struct pwork *w, const struct tok *t);

#endif
