/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tp_scan_test FILE [CONFIG...]: print the tracepoints of one header the
 * way -L does, sorted (tests src/symbols/tracepoints.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols/tracepoints.h"
#include "util/strbuf.h"
#include "util/vec.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct vec evs = { 0 }, lines = { 0 }, config = { 0 };
	struct strbuf text = { 0 };
	char buf[4096];
	size_t n;
	FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;

	if (!f)
		return 2;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&text, buf, n);
	fclose(f);
	for (int i = 2; i < argc; i++)
		vec_push(&config, argv[i]);
	qsort(config.v, config.n, sizeof(void *), cmp);
	tp_scan_text_config(sb_str(&text), argv[1], &config, &evs);
	vec_each(&evs, i) {
		struct tp_event *e = evs.v[i];
		struct strbuf sb = { 0 };

		sb_printf(&sb, "kernel.trace(\"%s:%s\")", e->system, e->name);
		for (int a = 0; a < e->nargs; a++)
			sb_printf(&sb, " $%s:%s", e->args[a].name, e->args[a].type);
		vec_push(&lines, sb.s);
	}
	qsort(lines.v, lines.n, sizeof(void *), cmp);
	vec_each(&lines, i)
		puts(lines.v[i]);
	return 0;
}
