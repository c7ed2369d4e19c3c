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

struct session;

struct tok {
	int kind;		/* bison token kind (grammar.tab.h) */
	const char *text;	/* source spelling; decoded value for STRING,
				   name without sigil for TARGET/AT_* */
	int64_t num;		/* NUMBER value; ARG index (-1 for $#/@#) */
	struct src_loc loc;
	bool space_before;	/* whitespace/comment between this and previous */
};

/* lexer.l: scan a whole file into raw tokens (struct tok * in *out, the
 * last one END_OF_FILE).  The tokens themselves are allocated in toks (a
 * scratch arena the caller may free after parsing); their texts live in the
 * session arena.  Returns the number of errors. */
struct arena;
int lex_file(struct session *s, const struct src_file *src, struct vec *out,
	     struct arena *toks);

/* pp.c: preprocess a raw token vector (ending with END_OF_FILE) into *out.
 * stpm: the file is an .stpm macro file: its @define macros become visible
 * to every later file, and its other tokens are dropped. */
void pp_run(struct session *s, const struct src_file *src, struct vec *in,
	    struct vec *out, bool stpm);

/* a short human form of a token, for "found X" messages */
const char *tok_describe(struct session *s, const struct tok *t);

#endif
