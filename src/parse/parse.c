/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c - pass 1 driver: read sources, lex, preprocess, parse (the
 * tapset library: library.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "session.h"
#include "parse/parse.h"
#include "parse/pctx.h"
#include "parse/lib.h"
#include "parse/pp.h"
#include "parse/pwork.h"
#include "parse/tok.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "grammar.tab.h"

/*
 * Source texts live in the arena followed by two NULs (the lexer scans them
 * in place: struct src_file.lexbuf).
 */

/* read everything from fd into the arena; NULL on error */
static char *read_fd(struct arena *a, int fd)
{
	struct strbuf sb = { 0 };
	struct stat st;
	char buf[65536], *r;
	ssize_t n;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		size_t size = (size_t)st.st_size, len = 0;

		r = arena_alloc(a, size + 2);	/* zeroed: two NULs */
		while (len < size) {
			n = read(fd, r + len, size - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return NULL;
			if (n == 0)
				return r;	/* shrank meanwhile */
			len += (size_t)n;
		}
		return r;	/* as long as fstat said: one read */
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sb_free(&sb);
			return NULL;
		}
		if (n == 0)
			break;
		sb_add(&sb, buf, (size_t)n);
	}
	r = arena_alloc(a, sb.len + 2);
	memcpy(r, sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

char *pw_read(struct pwork *w, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *r;
	int e;

	if (fd < 0)
		return NULL;
	r = read_fd(w->arena, fd);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

/* text: an arena copy from read_fd/own_text (two NULs) */
struct src_file *pw_src(struct pwork *w, const char *name, const char *text,
			bool tapset)
{
	struct src_file *f = arena_new(w->arena, struct src_file);

	f->name = arena_strdup(w->arena, name);
	f->text = text;
	f->is_tapset = tapset;
	f->lexbuf = true;
	return f;
}

static const char *own_text(struct session *s, const char *text)
{
	size_t n = strlen(text);
	char *r = arena_alloc(&s->arena, n + 2);

	memcpy(r, text, n);
	return r;
}

/* lexer -> preprocessor -> grammar, one token at a time */
struct ast_file *pw_parse_file(struct pwork *w, const struct src_file *src)
{
	struct session *s = w->s;
	struct ast_file *file = arena_new(w->arena, struct ast_file);
	struct pctx ctx = { 0 };
	int nraw, nout;

	file->src = src;
	ctx.s = s;
	ctx.w = w;
	ctx.src = src;
	ctx.file = file;
	ctx.pp = pp_open(w, src, false);
	ctx.privileged = src->is_tapset || s->guru;
	grammar_parse(&ctx);
	pp_drain(ctx.pp);
	pp_close(ctx.pp, &nraw, &nout);
	if (!src->is_tapset && (!nraw || !nout)) {
		struct src_loc at = { .file = src, .line = 1, .col = 1 };

		pw_error(w, &at, nraw ? "input file '%s' is empty after preprocessing"
			 : "input file '%s' is empty", src->name);
	}
	return file;
}

struct ast_file *parse_file(struct session *s, const struct src_file *src)
{
	return pw_parse_file(pw_main(s), src);
}

int parse_user(struct session *s)
{
	struct pwork *w = pw_main(s);
	int before = s->errors;
	struct src_file *src = NULL;

	lib_start(s);	/* macros; the library, meanwhile, on the other CPUs */
	if (s->script_text) {
		src = pw_src(w, "<input>", own_text(s, s->script_text), false);
	} else if (s->script_file && !strcmp(s->script_file, "-")) {
		char *text = read_fd(&s->arena, 0);

		if (!text) {
			diag_plain(s, "error", "cannot read the script from standard input");
			return -1;
		}
		src = pw_src(w, "<input>", text, false);
	} else if (s->script_file) {
		char *text = pw_read(w, s->script_file);

		if (!text) {
			diag_plain(s, "error", "cannot read script file '%s': %s",
				   s->script_file, strerror(errno));
			return -1;
		}
		src = pw_src(w, s->script_file, text, false);
	}
	if (src) {
		s->user = parse_file(s, src);
		vec_push(&s->files, s->user);
	}
	vec_each(&s->extra_scripts, i) {
		struct ast_file *f = parse_file(s, pw_src(w, "<input>",
					own_text(s, vec_get(&s->extra_scripts, i)), false));

		if (!s->user)
			s->user = f;
		vec_push(&s->files, f);
	}
	s->n_user_files = s->files.n;
	return s->errors == before ? 0 : -1;
}
