/* SPDX-License-Identifier: GPL-2.0-or-later */
/* parse.h - pass 1: preprocessor, lexer, parser, and the -p1 printer */
#ifndef STAP_PARSE_H
#define STAP_PARSE_H

#include <stdio.h>

#include "ast.h"

struct session;

/* Parse one source; errors are reported via diag and counted in s->errors.
 * Returns the (possibly partial) file, never NULL. */
struct ast_file *parse_file(struct session *s, const struct src_file *src);
/* Parse the user's script (-e / FILE / "-") and -E scripts into s->files;
 * sets s->user.  Returns 0 or -1. */
int parse_user(struct session *s);
/* Parse every tapset file on the search path (built-in dir, its arch
 * subdirectory, -I dirs) into s->files.  Returns 0 or -1. */
int parse_tapsets(struct session *s);
/* library files read so far: tapsets parsed and .stpm macro files, as
 * stap counts them in its pass 1 line */
int parse_library_count(struct session *s);
/* The canonical, re-parseable form of a file (-p1 output). */
void parse_print(FILE *out, const struct ast_file *f);
/* Free the heap arrays of every AST vector in s->files and the preprocessor
 * state; call once at exit, before arena_free(&s->arena). */
void parse_release(struct session *s);

#endif
