/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoint.c - pass 2 of kernel.trace("name") / kernel.trace("sys:name")
 * (globs on either part).  Tracepoints and their arguments come from the
 * target's trace event headers (src/symbols/tracepoints.c), so no
 * debuginfo is needed; the arguments are $name context variables.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dwarf/dw.h"
#include "dwarf/dw_loc.h"
#include "elaborate/elab.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "probes/tracepoint.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/tracepoints.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

extern const struct provider tracepoint_provider;

static const char *const tp_patterns[] = {
	"kernel.trace(string)",
	NULL,
};

static int resolve(struct session *s, const struct probe_point *pp,
		   struct vec *out, bool quiet)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0), *c1 = pp_comp_at(pp, 1);
	const struct tp_table *t;
	struct vec m = { 0 };

	if (!c0 || strcmp(c0->name, "kernel") || !c1 ||
	    strcmp(c1->name, "trace") || !c1->arg || c1->arg->kind != E_STR ||
	    pp->comps.n != 2)
		return 0;
	t = tp_table_get(s);
	if (!t) {
		if (!quiet)
			pp_error(s, pp, "no trace event headers for kernel %s "
				 "(looked in %s/source/include/trace/events); "
				 "install its linux-headers package",
				 kinfo_get(s)->release, kinfo_get(s)->build_dir);
		return -1;
	}
	tp_match(t, c1->arg->str, &m);
	if (!m.n) {
		if (!quiet && !pp->optional)
			pp_error(s, pp, "no match");
		return pp->optional ? 0 : -1;
	}
	vec_each(&m, i) {
		struct tp_event *ev = m.v[i];
		struct derived_probe *dp = dp_new(s, &tracepoint_provider, pp);
		char *txt = xasprintf("kernel.trace(\"%s:%s\")", ev->system,
				      ev->name);

		dp->pp = arena_strdup(&s->arena, txt);
		free(txt);
		dp->sym = ev->name;
		dp->module = ev->system;
		dp->priv = ev;
		if (pp->optional)
			dp->flags |= KPF_OPTIONAL;
		vec_push(out, dp);
	}
	vec_free(&m);
	return 1;
}

static int tp_match_pp(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	int r = resolve(s, pp, out, false);

	if (r <= 0)
		return r;
	vec_each(out, i) {
		struct derived_probe *dp = out->v[i];
		const struct tp_event *ev = dp->priv;

		for (int a = 0; a < ev->nargs; a++) {
			if (ev->args[a].by_value) {
				pp_error(s, pp, "tracepoint '%s' passes '%s' "
					 "by value, which cannot be probed",
					 ev->name, ev->args[a].name);
				return -1;
			}
		}
	}
	return r;
}

static void tp_list(struct session *s, const struct probe_point *pp,
		    struct vec *out)
{
	struct vec dps = { 0 };

	if (resolve(s, pp, &dps, true) <= 0)
		return;
	vec_each(&dps, i) {
		struct derived_probe *dp = dps.v[i];
		const struct tp_event *ev = dp->priv;
		struct strbuf sb = { 0 };

		sb_puts(&sb, dp->pp);
		for (int a = 0; s->list_vars && a < ev->nargs; a++)
			sb_printf(&sb, " $%s:%s", ev->args[a].name,
				  ev->args[a].type);
		vec_push(out, arena_strdup(&s->arena, sb_str(&sb)));
		sb_free(&sb);
	}
	vec_free(&dps);
}

int tp_cast_of(const char *type)
{
	static const struct { const char *t; int cast; } tab[] = {
		{ "int", 1 }, { "unsigned int", 2 }, { "short int", 3 },
		{ "short unsigned int", 4 }, { "char", 5 }, { "signed char", 5 },
		{ "unsigned char", 6 }, { "bool", 7 }, { "_Bool", 7 },
		{ "s32", 1 }, { "u32", 2 }, { "__s32", 1 }, { "__u32", 2 },
		{ "s16", 3 }, { "u16", 4 }, { "__s16", 3 }, { "__u16", 4 },
		{ "s8", 5 }, { "u8", 6 }, { "__s8", 5 }, { "__u8", 6 },
		{ "int32_t", 1 }, { "uint32_t", 2 }, { "pid_t", 1 },
		{ "gfp_t", 2 }, { "umode_t", 4 }, { "uid_t", 2 }, { "gid_t", 2 },
		{ "blk_status_t", 6 }, { "dev_t", 2 },
	};
	char buf[128];
	size_t n = strlen(type);

	if (n && type[n - 1] == '*')
		return 0;
	/* "int const" reads as int */
	snprintf(buf, sizeof(buf), "%s", type);
	if (n > 6 && !strcmp(buf + n - 6, " const"))
		buf[n - 6] = 0;
	if (!strncmp(buf, "enum ", 5))
		return 2;	/* enums are unsigned int unless negative */
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i].t, buf))
			return tab[i].cast;
	return 0;
}

/* $arg->a->b: the argument's struct type from the kernel's DWARF */
static int member(struct session *s, struct tp_target *tt, int k,
		  const char *type, struct expr *e)
{
	struct dw_kernel *kd;
	struct dw_loc_req rq = { 0 };
	struct dw_access acc;
	const char *why;
	char spec[256];
	size_t n = strlen(type);

	/* "struct sk_buff*", "struct sk_buff const*" */
	if (n < 2 || type[n - 1] != '*' || type[n - 2] == '*' ||
	    (strncmp(type, "struct ", 7) && strncmp(type, "union ", 6)))
		return 0;
	snprintf(spec, sizeof(spec), "%.*s", (int)(n - 1), type);
	n = strlen(spec);
	if (n > 6 && !strcmp(spec + n - 6, " const"))
		spec[n - 6] = 0;
	kd = dw_kernel_get(s, &why);
	if (!kd || !dw_find_type(kd, spec, &rq.value_type))
		return 0;
	rq.k = kd;
	rq.addr_c = "@@BASE@@";
	rq.comps = &e->comps;
	rq.addr_of = e->addr_of;
	if (!dw_access(&rq, &acc))
		return 0;
	if (!tt->member) {
		tt->member = arena_alloc(&s->arena, tt->n * sizeof(char *));
		tt->string = acc.string;
		vec_each(&e->comps, i) {
			struct target_comp *c = e->comps.v[i];

			if (c->kind == COMP_INDEX)
				vec_push(&tt->idxs, c->index);
		}
	} else if (tt->string != acc.string) {
		return 0;
	}
	tt->member[k] = acc.code;
	e->type = acc.string ? TY_STRING : TY_LONG;
	return 1;
}

static int tp_target_var(struct session *s, struct derived_probe *dp,
			 struct expr *e)
{
	const struct tp_event *ev = dp->priv;
	struct elab_probe *ep = dp->probe;
	struct tp_target *tt = e->prov;
	int k = -1, a;

	if (!ep)
		return 0;
	if (e->kind == E_TARGET_SYM) {
		if (strcmp(e->str, "parms") && strcmp(e->str, "vars"))
			return 0;
	} else if (e->kind != E_TARGET || e->pretty ||
		   (e->addr_of && !e->comps.n)) {
		return 0;
	}
	k = dp_point_index(dp);
	if (k < 0)
		return 0;
	if (!tt) {
		tt = arena_new(&s->arena, struct tp_target);
		tt->ref.emit = tracepoint_target_emit;
		tt->probe = ep;
		tt->n = ep->derived.n;
		tt->idx = arena_alloc(&s->arena, tt->n);
		tt->cast = arena_alloc(&s->arena, tt->n);
		memset(tt->idx, -1, tt->n);
		tt->parms = e->kind == E_TARGET_SYM;
		e->prov = tt;
	}
	if (tt->parms) {
		e->type = TY_STRING;
		return 1;
	}
	for (a = 0; a < ev->nargs; a++)
		if (!strcmp(ev->args[a].name, e->str))
			break;
	if (a == ev->nargs)
		return 0;
	tt->idx[k] = (signed char)a;
	tt->cast[k] = (unsigned char)tp_cast_of(ev->args[a].type);
	e->type = TY_LONG;
	if (e->comps.n)
		return member(s, tt, k, ev->args[a].type, e);
	return 1;
}

const struct provider tracepoint_provider = {
	.name = "tracepoint",
	.patterns = tp_patterns,
	.match = tp_match_pp,
	.list = tp_list,
	.target_var = tp_target_var,
	.emit = tracepoint_emit,
};
