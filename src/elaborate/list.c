/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list.c - -l / -L and the --dump-* listings */
#include <stdlib.h>
#include <string.h>

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

static int dump_probe_types(struct session *s)
{
	struct vec lines = { 0 };

	for (int i = 0; providers[i]; i++)
		for (int j = 0; providers[i]->patterns && providers[i]->patterns[j]; j++)
			vec_push(&lines, (void *)providers[i]->patterns[j]);
	print_sorted(&lines);
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

			if (fn->is_private)
				continue;
			elab_func_sig(&sb, fn);
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

int elab_list(struct session *s)
{
	(void)s;
	return -1;
}
