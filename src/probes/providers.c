/* SPDX-License-Identifier: GPL-2.0-or-later */
/* providers.c - the table of probe families and helpers they share */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "elaborate/elab.h"
#include "probes/emit.h"
#include "probes/provider.h"
#include "session.h"
#include "util/arena.h"
#include "util/xalloc.h"

extern const struct provider begin_provider;
extern const struct provider timer_provider;
extern const struct provider kprobe_provider;
extern const struct provider tracepoint_provider;
extern const struct provider dwarf_provider;
/* misc.c: pass 2 only until emitters exist */
extern const struct provider procfs_provider, perf_provider,
	netfilter_provider, kdata_provider, process_provider;

const struct provider *const providers[] = {
	&begin_provider,
	&timer_provider,
	&kprobe_provider,
	&tracepoint_provider,
	&dwarf_provider,
	&procfs_provider,
	&perf_provider,
	&netfilter_provider,
	&kdata_provider,
	&process_provider,
	NULL,
};

const struct pp_comp *pp_comp_at(const struct probe_point *pp, int i)
{
	return i < pp->comps.n ? vec_get(&pp->comps, i) : NULL;
}

static void put_str_lit(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		default: sb_putc(sb, *s);
		}
	}
	sb_putc(sb, '"');
}

const char *pp_canon(struct session *s, const struct probe_point *pp)
{
	struct strbuf sb = { 0 };
	const char *r;

	vec_each(&pp->comps, i) {
		const struct pp_comp *c = vec_get(&pp->comps, i);

		if (i)
			sb_putc(&sb, '.');
		sb_puts(&sb, c->name);
		if (c->arg) {
			sb_putc(&sb, '(');
			if (c->arg->kind == E_STR)
				put_str_lit(&sb, c->arg->str);
			else
				sb_printf(&sb, "%lld", (long long)c->arg->num);
			sb_putc(&sb, ')');
		}
	}
	r = arena_strdup(&s->arena, sb_str(&sb));
	sb_free(&sb);
	return r;
}

struct derived_probe *dp_new(struct session *s, const struct provider *prov,
			     const struct probe_point *pp)
{
	struct derived_probe *dp = arena_new(&s->arena, struct derived_probe);

	dp->prov = prov;
	dp->pp = pp_canon(s, pp);
	dp->loc = pp->loc;
	return dp;
}

int dp_point_index(const struct derived_probe *dp)
{
	const struct vec *v = dp->probe ? &dp->probe->derived : NULL;

	if (!v)
		return -1;
	if (dp->k >= 0 && dp->k < v->n && v->v[dp->k] == dp)
		return dp->k;
	vec_each(v, i)
		if (v->v[i] == dp)
			return i;
	return -1;
}

void pp_error(struct session *s, const struct probe_point *pp,
	      const char *fmt, ...)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0);
	va_list ap;
	char msg[512];

	diag(s, "semantic error", &pp->loc,
	     "while resolving probe point: identifier '%s'",
	     c0 ? c0->name : "");
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(s, "semantic error", NULL, "%s", msg);
}
