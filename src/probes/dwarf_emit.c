/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dwarf_emit.c - pass 3 of kernel.function(): the kprobe table (shared
 * with the kprobe family) and the context variable readers, one branch per
 * point of the handler, filled from dw_loc.c's C templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elaborate/elab.h"
#include "probes/dwarf.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "session.h"
#include "translate/tx_emit.h"
#include "translate/tx_int.h"
#include "util/strbuf.h"
#include "util/vec.h"

static void fill(struct tx *tx, struct strbuf *sb, const char *tmpl,
		 const char *near, const char *buf, const struct vec *idx,
		 struct expr *base);

void dwarf_fill(struct tx *tx, struct strbuf *sb, const char *tmpl,
		const char *near, const char *buf, const struct vec *idx,
		const char *base_c)
{
	struct strbuf t = { 0 };
	const char *p = tmpl, *q;

	/* @@BASE@@ as C text first, then the rest */
	while ((q = strstr(p, "@@BASE@@"))) {
		sb_add(&t, p, q - p);
		sb_printf(&t, "(int64_t)(%s)", base_c);
		p = q + 8;
	}
	sb_puts(&t, p);
	fill(tx, sb, sb_str(&t), near, buf, idx, NULL);
	sb_free(&t);
}

/* the kretprobe entry handler saving handler ep's @entry slots */
static void entry_fn(struct tx *tx, const struct dwarf_entry_set *es)
{
	struct strbuf sb = { 0 };
	struct vec none = { 0 };

	sb_printf(&sb, "static void stp_dw_entry_%d(const struct stp_kprobe *kp, "
		  "struct pt_regs *regs, void *data)\n{\n"
		  "\tint64_t *d = data;\n\tu64 f = 0;\n\tint _fault = 0;\n"
		  "\tstruct { struct pt_regs *regs; } _c = { regs }, *c = &_c;\n\n"
		  "#define stp_dw_read(c, a, n, s, near) "
		  "stp_dw_read_entry(&_fault, a, n, s)\n"
		  "\tswitch (kp->k) {\n", es->probe->index);
	for (int k = 0; k < es->n; k++) {
		sb_printf(&sb, "\tcase %d:\n", k);
		for (int i = 0; i < es->nslots; i++) {
			const char *code = ((char **)es->codes.v[i])[k];

			if (!code)
				continue;
			sb_printf(&sb, "\t\td[%d] = ", i + 1);
			fill(tx, &sb, code, "NULL", "NULL", &none, NULL);
			sb_printf(&sb, ";\n\t\tif (_fault) f |= 1ULL << %d;\n"
				  "\t\t_fault = 0;\n", i);
		}
		sb_puts(&sb, "\t\tbreak;\n");
	}
	sb_puts(&sb, "\t}\n#undef stp_dw_read\n\t(void)c;\n\td[0] = f;\n}\n\n");
	tx_printf(tx, "%s", sb_str(&sb));
	sb_free(&sb);
}

static void emit_by_module(struct tx *tx, struct vec *derived);

void dwarf_emit(struct tx *tx, struct vec *derived)
{
	struct session *s = tx_session(tx);
	struct vec done = { 0 };

	tx_printf(tx, "#include \"probes/stp_kprobes.h\"\n"
		  "#include \"probes/stp_deref.h\"\n\n");
	vec_each(derived, i) {
		struct derived_probe *dp = derived->v[i];
		const struct dwarf_entry_set *es;
		bool seen = false;

		if (!dp->num[3])
			continue;
		es = dwarf_entry_set_of(s, dp->probe);
		if (!es) {
			dp->num[3] = 0;
			continue;
		}
		dp->num[3] = 8 * (es->nslots + 1);
		vec_each(&done, j)
			seen |= done.v[j] == es;
		if (!seen) {
			entry_fn(tx, es);
			vec_push(&done, (void *)es);
		}
	}
	vec_free(&done);
	/* pass 2 dropped the functions on the kernel's kprobe blacklist
	 * (dw_blocked) */
	vec_each(derived, i) {
		struct derived_probe *dp = derived->v[i];

		if (!dp->module)
			dp->flags |= KPF_CHECKED;
	}
	emit_by_module(tx, derived);
}

/* a named module's points in a table of their own, armed whenever that
 * module is loaded; the others in one table registered at start */
static void emit_by_module(struct tx *tx, struct vec *derived)
{
	struct vec rest = { 0 }, mods = { 0 };

	vec_each(derived, i) {
		struct derived_probe *dp = derived->v[i];
		const struct dwarf_point *pt = dp->priv;
		bool seen = false;

		if (!pt || !pt->kmod || !dp->module) {
			vec_push(&rest, dp);
			continue;
		}
		vec_each(&mods, j)
			seen |= !strcmp(mods.v[j], dp->module);
		if (!seen)
			vec_push(&mods, (void *)dp->module);
	}
	if (rest.n || !mods.n)
		kprobe_emit_points(tx, &rest);
	vec_each(&mods, j) {
		struct vec one = { 0 };

		vec_each(derived, i) {
			struct derived_probe *dp = derived->v[i];
			const struct dwarf_point *pt = dp->priv;

			if (pt && pt->kmod && dp->module &&
			    !strcmp(dp->module, mods.v[j]))
				vec_push(&one, dp);
		}
		kprobe_emit_module_points(tx, &one, mods.v[j]);
		vec_free(&one);
	}
	vec_free(&rest);
	vec_free(&mods);
}

static void need(struct tx *tx, const char *hdr)
{
	char inc[128];

	snprintf(inc, sizeof(inc), "#include \"%s\"\n", hdr);
	if (!strstr(sb_str(&tx->embeds), inc))
		sb_puts(&tx->embeds, inc);
}

/* tmpl with NEAR, @@BUF@@ and @@IDXn@@ replaced */
static void fill(struct tx *tx, struct strbuf *sb, const char *tmpl,
		 const char *near, const char *buf, const struct vec *idx,
		 struct expr *base)
{
	const char *p = tmpl;

	while (*p) {
		if (!strncmp(p, "NEAR", 4)) {
			sb_puts(sb, near);
			p += 4;
		} else if (!strncmp(p, "@@BASE@@", 8) && base) {
			sb_puts(sb, "(int64_t)(");
			tx_expr(tx, sb, base);
			sb_puts(sb, ")");
			p += 8;
		} else if (!strncmp(p, "@@BUF@@", 7)) {
			sb_puts(sb, buf);
			p += 7;
		} else if (!strncmp(p, "@@IDX", 5)) {
			int n = atoi(p + 5);

			if (n < idx->n) {
				sb_puts(sb, "(int64_t)(");
				tx_expr(tx, sb, idx->v[n]);
				sb_puts(sb, ")");
			}
			p = strstr(p + 5, "@@") + 2;
		} else {
			sb_putc(sb, *p++);
		}
	}
}

void dwarf_target_emit(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	const struct dwarf_target *dt = e->prov;

	if (e->kind == E_ENTRY && e->a)		/* @entry($x): $x is saved */
		e = e->a;
	struct strbuf near = { 0 }, buf = { 0 };
	char what[160];
	bool one = dt->n == 1;

	need(tx, "probes/stp_kprobes.h");
	need(tx, "probes/stp_deref.h");
	if (e->kind == E_CAST)
		snprintf(what, sizeof(what), "operator '@cast'");
	else
		snprintf(what, sizeof(what), "identifier '$%s%s'",
			 e->kind == E_TARGET_SYM ? "$" : "", e->str);
	tx_near(tx, &near, what, &e->loc);
	if (dt->string)
		sb_printf(&buf, "l->_t[%d]", tx_tmp(tx));
	if (one && dt->code[0]) {
		sb_puts(sb, dt->string ? "((const char *)" : "((int64_t)");
		fill(tx, sb, dt->code[0], sb_str(&near), sb_str(&buf), &dt->idx, dt->base);
		sb_puts(sb, ")");
		goto out;
	}
	sb_printf(sb, "({ %s _r = %s; switch (stp_kprobe_k()) { ",
		  dt->string ? "const char *" : "int64_t",
		  dt->string ? "\"\"" : "0");
	for (int k = 0; k < dt->n; k++) {
		if (!dt->code[k])
			continue;
		sb_printf(sb, "case %d: _r = ", k);
		fill(tx, sb, dt->code[k], sb_str(&near), sb_str(&buf), &dt->idx, dt->base);
		sb_puts(sb, "; break; ");
	}
	sb_printf(sb, "default: stp_error(c, \"context variable not available "
		  "here\", %s); } _r; })", sb_str(&near));
out:
	sb_free(&near);
	sb_free(&buf);
}
