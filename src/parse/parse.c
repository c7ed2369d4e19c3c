/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c - pass 1 driver: read sources, lex, preprocess, parse; find the
 * tapset library on the search path.
 */
#include <dirent.h>
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
#include "parse/pp.h"
#include "parse/tok.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "grammar.tab.h"

/*
 * Source texts live in the session arena followed by two NULs (the lexer
 * scans them in place: struct src_file.lexbuf).
 */

/* read everything from fd into the arena; NULL on error */
static char *read_fd(struct session *s, int fd)
{
	struct strbuf sb = { 0 };
	struct stat st;
	char buf[65536], *r;
	ssize_t n;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		size_t size = (size_t)st.st_size, len = 0;

		r = arena_alloc(&s->arena, size + 2);	/* zeroed: two NULs */
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
	r = arena_alloc(&s->arena, sb.len + 2);
	memcpy(r, sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

static char *read_path(struct session *s, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *r;

	if (fd < 0)
		return NULL;
	r = read_fd(s, fd);
	close(fd);
	return r;
}

/* text: an arena copy from read_fd/own_text (two NULs) */
static struct src_file *new_src(struct session *s, const char *name,
				const char *text, bool tapset)
{
	struct src_file *f = arena_new(&s->arena, struct src_file);

	f->name = arena_strdup(&s->arena, name);
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
struct ast_file *parse_file(struct session *s, const struct src_file *src)
{
	struct ast_file *file = arena_new(&s->arena, struct ast_file);
	struct pctx ctx = { 0 };
	int nraw, nout;

	file->src = src;
	ctx.s = s;
	ctx.src = src;
	ctx.file = file;
	ctx.pp = pp_open(s, src, false);
	ctx.privileged = src->is_tapset || s->guru;
	grammar_parse(&ctx);
	pp_drain(ctx.pp);
	pp_close(ctx.pp, &nraw, &nout);
	if (!src->is_tapset && (!nraw || !nout)) {
		struct src_loc at = { .file = src, .line = 1, .col = 1 };

		diag(s, "parse error", &at, nraw ? "input file '%s' is empty after preprocessing"
		     : "input file '%s' is empty", src->name);
	}
	return file;
}

/* ---- the tapset search path ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the directories searched, in order: each root, then root/linux,
 * root/linux/x86_64, root/x86_64 (as stap does for the kernel runtime) */
static void tapset_dirs(struct session *s, struct vec *dirs)
{
	static const char *subs[] = { "", "/linux", "/linux/x86_64", "/x86_64" };
	struct vec roots = { 0 };

	if (s->tapset_dir)
		vec_push(&roots, (void *)s->tapset_dir);
	vec_each(&s->include_dirs, i)
		vec_push(&roots, vec_get(&s->include_dirs, i));
	vec_each(&roots, i) {
		for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
			struct stat st;
			char *d = xasprintf("%s%s", (char *)vec_get(&roots, i), subs[k]);

			if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
				vec_push(dirs, d);
			else
				free(d);
		}
	}
	vec_free(&roots);
}

/* sorted list of DIR/ *SUFFIX (heap strings) */
static void list_files(const char *dir, const char *suffix, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t sl = strlen(suffix);
	int first = out->n;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		struct stat st;
		char *p;

		if (de->d_name[0] == '.' || l <= sl || strcmp(de->d_name + l - sl, suffix))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (de->d_type == DT_REG ||
		    ((de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) &&
		     stat(p, &st) == 0 && S_ISREG(st.st_mode)))
			vec_push(out, p);
		else
			free(p);
	}
	closedir(d);
	qsort(out->v + first, (size_t)(out->n - first), sizeof(void *), cmp_str);
}

static void free_strs(struct vec *v)
{
	vec_each(v, i)
		free(vec_get(v, i));
	vec_free(v);
}

static void load_stpm(struct session *s)
{
	struct pp_state *st = pp_state(s);
	struct vec dirs = { 0 }, files = { 0 };

	if (st->stpm_loaded)
		return;
	st->stpm_loaded = true;
	tapset_dirs(s, &dirs);
	vec_each(&dirs, i)
		list_files(vec_get(&dirs, i), ".stpm", &files);
	vec_each(&files, i) {
		const char *path = vec_get(&files, i);
		char *text = read_path(s, path);
		struct src_file *src;
		struct pp *p;

		if (!text) {
			diag_plain(s, "error", "cannot read macro file '%s': %s",
				   path, strerror(errno));
			continue;
		}
		src = new_src(s, path, text, true);
		st->n_stpm++;
		p = pp_open(s, src, true);	/* macros keep their tokens */
		pp_drain(p);
		pp_close(p, NULL, NULL);
	}
	free_strs(&files);
	free_strs(&dirs);
}

int parse_library_count(struct session *s)
{
	int n = pp_state(s)->n_stpm;

	vec_each(&s->files, i)
		n += ((struct ast_file *)vec_get(&s->files, i))->src->is_tapset;
	return n;
}

int parse_tapsets(struct session *s)
{
	struct vec dirs = { 0 }, files = { 0 };
	int before = s->errors;

	load_stpm(s);
	tapset_dirs(s, &dirs);
	vec_each(&dirs, i)
		list_files(vec_get(&dirs, i), ".stp", &files);
	vec_each(&files, i) {
		const char *path = vec_get(&files, i);
		char *text = read_path(s, path);

		if (!text) {
			diag_plain(s, "error", "cannot read tapset '%s': %s",
				   path, strerror(errno));
			continue;
		}
		vec_push(&s->files, parse_file(s, new_src(s, path, text, true)));
	}
	free_strs(&files);
	free_strs(&dirs);
	return s->errors == before ? 0 : -1;
}

int parse_user(struct session *s)
{
	int before = s->errors;
	struct src_file *src = NULL;

	load_stpm(s);
	if (s->script_text) {
		src = new_src(s, "<input>", own_text(s, s->script_text), false);
	} else if (s->script_file && !strcmp(s->script_file, "-")) {
		char *text = read_fd(s, 0);

		if (!text) {
			diag_plain(s, "error", "cannot read the script from standard input");
			return -1;
		}
		src = new_src(s, "<input>", text, false);
	} else if (s->script_file) {
		char *text = read_path(s, s->script_file);

		if (!text) {
			diag_plain(s, "error", "cannot read script file '%s': %s",
				   s->script_file, strerror(errno));
			return -1;
		}
		src = new_src(s, s->script_file, text, false);
	}
	if (src) {
		s->user = parse_file(s, src);
		vec_push(&s->files, s->user);
	}
	vec_each(&s->extra_scripts, i) {
		struct ast_file *f = parse_file(s, new_src(s, "<input>",
					own_text(s, vec_get(&s->extra_scripts, i)), false));

		if (!s->user)
			s->user = f;
		vec_push(&s->files, f);
	}
	s->n_user_files = s->files.n;
	return s->errors == before ? 0 : -1;
}
