/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list.c - -l / -L and the --dump-* listings */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "elaborate/elab_int.h"
#include "parse/parse.h"
#include "session.h"
#include "util/arena.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* sort, de-duplicate and print */
static void print_sorted(struct vec *lines)
{
	qsort(lines->v, lines->n, sizeof(void *), cmp_str);
	vec_each(lines, i) {
		if (i && !strcmp(vec_get(lines, i), vec_get(lines, i - 1)))
			continue;
		puts(vec_get(lines, i));
	}
}

/* stap's match-tree order: component by component, a node before its
 * children, "name" before "name(number)" before "name(string)" */
static int cmp_pattern(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	for (;;) {
		size_t lx = strcspn(x, "."), ly = strcspn(y, ".");
		size_t n = lx < ly ? lx : ly;
		int c = strncmp(x, y, n);

		if (c)
			return c;
		if (lx != ly)
			return lx < ly ? -1 : 1;
		x += lx;
		y += ly;
		if (!*x || !*y)
			return *x ? 1 : *y ? -1 : 0;
		x++;
		y++;
	}
}

static int dump_probe_types(struct session *s)
{
	struct vec lines = { 0 };

	for (int i = 0; providers[i]; i++)
		for (int j = 0; providers[i]->patterns && providers[i]->patterns[j]; j++)
			vec_push(&lines, (void *)providers[i]->patterns[j]);
	qsort(lines.v, lines.n, sizeof(void *), cmp_pattern);
	vec_each(&lines, i)
		if (!i || strcmp(vec_get(&lines, i), vec_get(&lines, i - 1)))
			puts(vec_get(&lines, i));
	vec_free(&lines);
	(void)s;
	return 0;
}

static int dump_probe_aliases(struct session *s)
{
	struct vec lines = { 0 };

	vec_each(&s->files, i) {
		struct ast_file *f = vec_get(&s->files, i);

		vec_each(&f->aliases, k) {
			struct ast_alias *a = vec_get(&f->aliases, k);

			vec_each(&a->names, n) {
				struct strbuf sb = { 0 };

				pp_to_sb(&sb, vec_get(&a->names, n));
				sb_puts(&sb, a->epilogue ? " += " : " = ");
				vec_each(&a->points, t) {
					if (t)
						sb_puts(&sb, ", ");
					pp_to_sb(&sb, vec_get(&a->points, t));
				}
				vec_push(&lines, arena_strdup(&s->arena, sb_str(&sb)));
				sb_free(&sb);
			}
		}
	}
	print_sorted(&lines);
	vec_free(&lines);
	return 0;
}

static int dump_functions(struct session *s)
{
	struct vec lines = { 0 };

	vec_each(&s->files, i) {
		struct ast_file *f = vec_get(&s->files, i);

		vec_each(&f->funcs, k) {
			struct ast_func *fn = vec_get(&f->funcs, k);
			struct strbuf sb = { 0 };

			if (fn->is_private || fn->name[0] == '_')
				continue;
			elab_func_sig(&sb, fn);
			if (fn->body && fn->body->kind == S_EMBEDDED &&
			    fn->body->code &&
			    strstr(fn->body->code, "/* unprivileged */"))
				sb_puts(&sb, " /* unprivileged */");
			vec_push(&lines, arena_strdup(&s->arena, sb_str(&sb)));
			sb_free(&sb);
		}
	}
	print_sorted(&lines);
	vec_free(&lines);
	return 0;
}

int elab_dump(struct session *s)
{
	switch (s->dump) {
	case DUMP_PROBE_TYPES:
		return dump_probe_types(s);
	case DUMP_PROBE_ALIASES:
		return dump_probe_aliases(s);
	case DUMP_FUNCTIONS:
		return dump_functions(s);
	default:
		return 0;
	}
}

/* -L: " name:type" for the locals every handler of l has */
static void put_locals(struct strbuf *sb, struct pp_listed *l)
{
	struct elab_probe *first;

	if (!l->probes.n)
		return;
	first = vec_get(&l->probes, 0);
	vec_each(&first->locals, i) {
		struct ast_vardecl *v = vec_get(&first->locals, i);
		bool everywhere = true;

		for (int k = 1; k < l->probes.n && everywhere; k++) {
			struct elab_probe *ep = vec_get(&l->probes, k);
			bool found = false;

			vec_each(&ep->locals, j)
				found |= !strcmp(((struct ast_vardecl *)vec_get(&ep->locals, j))->name, v->name);
			everywhere = found;
		}
		if (everywhere)
			sb_printf(sb, " %s:%s", v->name, elab_type_name(v->type));
	}
}

int elab_list(struct session *s)
{
	struct src_file *src = arena_new(&s->arena, struct src_file);
	struct strbuf sb = { 0 };
	struct vec listed = { 0 }, lines = { 0 };
	struct ast_file *f;
	struct elab *E;
	int errs = s->errors, saved, devnull;

	sb_printf(&sb, "probe %s {}\n", s->list_pattern ? s->list_pattern : "**");
	src->name = "<list>";
	src->text = arena_strdup(&s->arena, sb_str(&sb));
	sb_free(&sb);
	f = parse_file(s, src);
	if (!f || s->errors > errs)
		return -1;
	E = elab_new(s);
	E->quiet = true;
	/* resolution problems of what is listed are not reported */
	fflush(stderr);
	saved = dup(2);
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, 2);
		close(devnull);
	}
	vec_each(&f->probes, i) {
		struct ast_probe *p = vec_get(&f->probes, i);

		vec_each(&p->points, k)
			pp_list(E, vec_get(&p->points, k), &listed);
	}
	if (s->list_vars) {
		vec_each(&listed, i) {
			struct pp_listed *l = vec_get(&listed, i);

			vec_each(&l->probes, k)
				vec_push(&E->user_probes, vec_get(&l->probes, k));
		}
		elab_resolve_all(E);
		vec_each(&E->user_probes, i)
			vec_push(&E->prog->probes, vec_get(&E->user_probes, i));
		vec_each(&E->func_queue, i)
			vec_push(&E->prog->funcs, vec_get(&E->func_queue, i));
		vec_each(&E->all_globals, i)
			vec_push(&E->prog->globals, vec_get(&E->all_globals, i));
		types_infer(E);
	}
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	s->errors = errs;
	vec_each(&listed, i) {
		struct pp_listed *l = vec_get(&listed, i);
		struct strbuf line = { 0 };

		sb_puts(&line, l->name);
		if (s->list_vars)
			put_locals(&line, l);
		vec_push(&lines, arena_strdup(&s->arena, sb_str(&line)));
		sb_free(&line);
	}
	print_sorted(&lines);
	vec_free(&listed);
	return lines.n ? (vec_free(&lines), 0) : -1;
}
