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
#include "translate/tx_emit.h"
#include "translate/tx_int.h"
#include "util/strbuf.h"
#include "util/vec.h"

void dwarf_emit(struct tx *tx, struct vec *derived)
{
	kprobe_emit_points(tx, derived);
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
