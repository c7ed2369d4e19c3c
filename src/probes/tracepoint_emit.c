/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoint_emit.c - pass 3 of kernel.trace(): one callback per argument
 * count, a table of struct stp_tracepoint (runtime/probes/
 * stp_tracepoints.h) attached at session start, and the $name readers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elaborate/elab.h"
#include "probes/dwarf.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "probes/tracepoint.h"
#include "session.h"
#include "symbols/tracepoints.h"
#include "translate/tx_emit.h"
#include "translate/tx_int.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

#define TP_MAXARGS 32

static void callback(struct strbuf *sb, const char *name, int n)
{
	sb_printf(sb, "static void %s(void *data", name);
	for (int i = 0; i < n; i++)
		sb_printf(sb, ", unsigned long a%d", i);
	sb_puts(sb, ")\n{\n");
	if (n) {
		sb_puts(sb, "\tconst unsigned long args[] = {");
		for (int i = 0; i < n; i++)
			sb_printf(sb, "%s a%d", i ? "," : "", i);
		sb_puts(sb, " };\n\n\tstp_tracepoint_fire(data, args);\n}\n\n");
	} else {
		sb_puts(sb, "\tstp_tracepoint_fire(data, NULL);\n}\n\n");
	}
}

int tracepoint_point_index(const struct derived_probe *dp)
{
	int k = dp_point_index(dp);

	return k < 0 ? 0 : k;
}

void tracepoint_emit(struct tx *tx, struct vec *derived)
{
	const char *tab = tx_unique(tx, "stp_tp");
	const char *cbs[TP_MAXARGS + 1] = { 0 };
	struct strbuf sb = { 0 }, reg = { 0 }, unreg = { 0 };
	struct vec heads = { 0 };
	int *group = xcalloc(derived->n ? derived->n : 1, sizeof(int));
	int total;

	sb_puts(&sb, "#include \"probes/stp_tracepoints.h\"\n\n");
	vec_each(derived, i) {
		const struct derived_probe *dp = derived->v[i];
		const struct tp_event *ev = dp->priv;
		int n = ev->nargs > TP_MAXARGS ? TP_MAXARGS : ev->nargs;

		if (!cbs[n]) {
			char pre[32];

			snprintf(pre, sizeof(pre), "stp_tpcb%d_", n);
			cbs[n] = tx_unique(tx, pre);
			callback(&sb, cbs[n], n);
		}
	}
	total = derived->n + tracepoint_groups(tx, &sb, derived, tab, group,
					       &heads);
	sb_printf(&sb, "static struct stp_tracepoint %s[%d] = {\n", tab, total);
	vec_each(derived, i) {
		const struct derived_probe *dp = derived->v[i];
		const struct tp_event *ev = dp->priv;
		int n = ev->nargs > TP_MAXARGS ? TP_MAXARGS : ev->nargs;

		sb_puts(&sb, "\t{ .name = ");
		tx_cstr(&sb, ev->name);
		sb_printf(&sb, ", .cb = (void *)%s, .k = %d%s%s,\n\t  .probe = %s, "
			  ".pp = ", cbs[n], tracepoint_point_index(dp),
			  dp->flags & KPF_OPTIONAL ? ", .optional = 1" : "",
			  group[i] >= 0 ? ", .member = 1" : "",
			  tx_probe_ref(tx, dp));
		tx_cstr(&sb, dp->pp);
		sb_puts(&sb, " },\n");
	}
	vec_each(&heads, i) {
		struct tp_group_head *h = heads.v[i];
		const struct derived_probe *dp = derived->v[h->first];
		const struct tp_event *ev = dp->priv;
		int n = ev->nargs > TP_MAXARGS ? TP_MAXARGS : ev->nargs;

		sb_puts(&sb, "\t{ .name = ");
		tx_cstr(&sb, ev->name);
		sb_printf(&sb, ", .cb = (void *)%s, .k = %d%s,\n\t  .probe = &%s, "
			  ".pp = ", cbs[n], h->k,
			  h->optional ? ", .optional = 1" : "", h->desc);
		tx_cstr(&sb, dp->pp);
		sb_puts(&sb, " },\n");
		free(h);
	}
	sb_puts(&sb, "};\n");
	tx_printf(tx, "%s", sb_str(&sb));
	sb_printf(&reg, "stp_tracepoints_register(%s, %d)", tab, total);
	sb_printf(&unreg, "stp_tracepoints_unregister(%s, %d)", tab, total);
	tx_on_register(tx, sb_str(&reg), sb_str(&unreg));
	sb_free(&sb);
	sb_free(&reg);
	sb_free(&unreg);
	vec_free(&heads);
	free(group);
}

static void near_of(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	char what[160];

	snprintf(what, sizeof(what), "identifier '$%s%s'",
		 e->kind == E_TARGET_SYM ? "$" : "", e->str);
	tx_near(tx, sb, what, &e->loc);
}

/* $$parms: "a=0x1 b=0x2", per point of the handler */
static void emit_parms(struct tx *tx, struct strbuf *sb, struct expr *e,
		       const struct tp_target *tt)
{
	struct strbuf near = { 0 };
	int t = tx_tmp(tx);

	near_of(tx, &near, e);
	sb_puts(sb, "({ const struct stp_tracepoint *_tp = "
		"this_cpu_read(stp_tracepoint_cur.tp); "
		"switch (_tp ? _tp->k : -1) { ");
	vec_each(&tt->probe->derived, k) {
		const struct derived_probe *dp = tt->probe->derived.v[k];
		const struct tp_event *ev = dp->priv;
		struct strbuf fmt = { 0 };

		for (int a = 0; a < ev->nargs; a++)
			sb_printf(&fmt, "%s%s=%%#x", a ? " " : "",
				  ev->args[a].name);
		sb_printf(sb, "case %d: stp_sprintf(c, l->_t[%d], %s, ", k, t,
			  sb_str(&near));
		tx_cstr(sb, sb_str(&fmt));
		for (int a = 0; a < ev->nargs; a++) {
			sb_printf(sb, ", ({ static const signed char _m[%d] = "
				  "{ [%d] = %d }; static const unsigned char "
				  "_c[%d] = { [%d] = %d }; stp_tp_arg(c, _m, _c, "
				  "%s); })", tt->n, k, a, tt->n, k,
				  tp_cast_of(ev->args[a].type), sb_str(&near));
		}
		sb_puts(sb, "); break; ");
		sb_free(&fmt);
	}
	sb_printf(sb, "default: l->_t[%d][0] = 0; } (const char *)l->_t[%d]; })",
		  t, t);
	sb_free(&near);
}

void tracepoint_target_emit(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	const struct tp_target *tt = e->prov;
	struct strbuf near = { 0 };
	static const char inc[] = "#include \"probes/stp_tracepoints.h\"\n";

	/* the readers are used in handlers, before the emitter's tables */
	if (!strstr(sb_str(&tx->embeds), inc))
		sb_puts(&tx->embeds, inc);

	if (tt->parms) {
		emit_parms(tx, sb, e, tt);
		return;
	}
	near_of(tx, &near, e);
	if (tt->member) {
		/* one branch per point: its argument, then the members */
		struct strbuf arg = { 0 }, buf = { 0 };

		if (!strstr(sb_str(&tx->embeds), "probes/stp_deref.h"))
			sb_puts(&tx->embeds, "#include \"probes/stp_deref.h\"\n");
		if (tt->string)
			sb_printf(&buf, "l->_t[%d]", tx_tmp(tx));
		sb_printf(sb, "({ %s _r = %s; const struct stp_tracepoint *_tp = "
			  "this_cpu_read(stp_tracepoint_cur.tp); "
			  "switch (_tp ? _tp->k : -1) { ",
			  tt->string ? "const char *" : "int64_t",
			  tt->string ? "\"\"" : "0");
		for (int k = 0; k < tt->n; k++) {
			if (!tt->member[k])
				continue;
			arg.len = 0;
			sb_printf(&arg, "({ static const signed char _m[%d] = "
				  "{ [%d] = %d }; static const unsigned char "
				  "_c[%d] = { 0 }; stp_tp_arg(c, _m, _c, %s); })",
				  tt->n, k, tt->idx[k], tt->n, sb_str(&near));
			sb_printf(sb, "case %d: _r = ", k);
			dwarf_fill(tx, sb, tt->member[k], sb_str(&near),
				   sb_str(&buf), &tt->idxs, sb_str(&arg));
			sb_puts(sb, "; break; ");
		}
		sb_puts(sb, "} _r; })");
		sb_free(&arg);
		sb_free(&buf);
		sb_free(&near);
		return;
	}
	sb_printf(sb, "({ static const signed char _m[%d] = {", tt->n);
	for (int k = 0; k < tt->n; k++)
		sb_printf(sb, "%s%d", k ? ", " : " ", tt->idx[k]);
	sb_printf(sb, " }; static const unsigned char _c[%d] = {", tt->n);
	for (int k = 0; k < tt->n; k++)
		sb_printf(sb, "%s%d", k ? ", " : " ", tt->cast[k]);
	sb_printf(sb, " }; stp_tp_arg(c, _m, _c, %s); })", sb_str(&near));
	sb_free(&near);
}
