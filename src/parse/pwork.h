/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pwork.h - what one parsing thread owns.
 *
 * Pass 1 parses the tapset library on several threads (library.c).  All a
 * file's lexer, preprocessor and grammar allocate or report goes through
 * its struct pwork: the arena (the session's own, or a worker's that is
 * merged into it afterwards), the scratch reused file after file, and the
 * diagnostics.  A worker's are quiet: a file that reports anything is
 * parsed again on the session's pwork, in file order, so that what is
 * printed does not depend on the threads.  Everything else a file reads
 * from the session and the preprocessor state is read-only meanwhile.
 */
#ifndef STAP_PARSE_PWORK_H
#define STAP_PARSE_PWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "ast.h"
#include "util/arena.h"

struct session;
struct tok;

#define PP_SPELL_MAX 512	/* > every bison token kind */

struct pwork {
	struct session *s;
	struct arena *arena;	/* where nodes, texts and sources go */
	struct arena own;	/* a worker's arena (arena points to it) */
	bool quiet;		/* a worker: count diagnostics, print none */
	int errors;		/* diagnostics reported (or held back) */
	const char *spell[PP_SPELL_MAX];	/* fixed tokens' text, by kind */
	char *str_cur;		/* token texts: carved from arena chunks */
	size_t str_left;	/* without the arena's 16-byte rounding */
	struct tok **pool;	/* chunks of tokens a file's preprocessor keeps
				   (conditions, macros), reused file after file */
	int pool_n;
};

/* the session's pwork (its arena, loud); created with the pp state */
struct pwork *pw_main(struct session *s);
/* a worker's: its own arena, quiet */
void pw_init_worker(struct pwork *w, struct session *s);
/* free the scratch (not the arena) */
void pw_release(struct pwork *w);
/* a "parse error" at loc: printed through diag unless quiet; counted */
void pw_error(struct pwork *w, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* parse.c: a file's text in w's arena, followed by two NULs (NULL with
 * errno on failure); the source it names */
char *pw_read(struct pwork *w, const char *path);
struct src_file *pw_src(struct pwork *w, const char *name, const char *text,
			bool tapset);
struct ast_file *pw_parse_file(struct pwork *w, const struct src_file *src);

#endif
