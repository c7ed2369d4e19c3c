/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kprobe_emit.c - pass 3 of the kprobe family (and of kernel.function,
 * which registers the same way): one static table of struct stp_kprobe
 * (runtime/probes/stp_kprobes.h), registered at session start.  Points at a
 * function's entry (entry and return points) are marked .fentry: the
 * runtime runs those that sit on ftrace sites through one ftrace_ops per
 * table (runtime/probes/stp_ftrace.h).
 */
#include <inttypes.h>
#include <string.h>

#include "elaborate/elab.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "session.h"
#include "symbols/ksym.h"
#include "translate/tx_emit.h"
#include "util/strbuf.h"
#include "util/vec.h"

/* an exported function whose address tells the KASLR displacement */
static const struct ksym *kaslr_ref(struct session *s)
{
	static const char *const names[] = { "_printk", "printk", NULL };
	const struct ksymtab *t = ksym_kernel(s);

	for (int i = 0; t && names[i]; i++) {
		const struct ksym *k = ksym_lookup(t, names[i], NULL);

		if (k)
			return k;
	}
	return NULL;
}

/* kmod: the points of that named module, armed whenever it is loaded
 * (runtime/probes/stp_kmod.h); NULL: registered at start */
static void emit_points(struct tx *tx, struct vec *derived, const char *kmod)
{
	struct session *s = tx_session(tx);
	const char *tab = tx_unique(tx, "stp_kp");
	struct strbuf sb = { 0 }, reg = { 0 }, unreg = { 0 };
	const struct ksym *ref = kaslr_ref(s);
	bool relocate = false;

	sb_printf(&sb, "#include \"probes/stp_kprobes.h\"\n\n"
		  "static struct stp_kprobe %s[%d] = {\n", tab, derived->n);
	vec_each(derived, i) {
		const struct derived_probe *dp = derived->v[i];
		int k;

		sb_puts(&sb, "\t{ ");
		if (dp->sym) {
			struct strbuf name = { 0 };

			if (dp->module)
				sb_printf(&name, "%s:", dp->module);
			sb_puts(&name, dp->sym);
			sb_puts(&sb, ".symbol = ");
			tx_cstr(&sb, sb_str(&name));
			sb_free(&name);
			if (dp->num[2])
				sb_printf(&sb, ", .offset = 0x%" PRIx64 "UL",
					  (uint64_t)dp->num[2]);
			/* the address too (DWARF points): checked against
			 * the symbol at run time, it saves a name lookup */
			if (!dp->module && dp->num[1] && ref) {
				sb_printf(&sb, ", .addr = 0x%" PRIx64 "UL, "
					  ".relocate = 1", (uint64_t)dp->num[1]);
				relocate = true;
			}
		} else {
			sb_printf(&sb, ".addr = 0x%" PRIx64 "UL",
				  (uint64_t)dp->num[1]);
			if (!(dp->flags & KPF_ABSOLUTE)) {
				sb_puts(&sb, ", .relocate = 1");
				relocate = true;
			}
		}
		if (dp->is_return) {
			sb_puts(&sb, ", .ret = 1");
			if (dp->num[0])
				sb_printf(&sb, ", .maxactive = %d",
					  (int)dp->num[0]);
			if (dp->num[3] > 0)	/* @entry values (dwarf_emit.c) */
				sb_printf(&sb, ", .entry = stp_dw_entry_%d, "
					  ".entry_size = %d", dp->probe->index,
					  (int)dp->num[3]);
		}
		if (dp->flags & KPF_OPTIONAL)
			sb_puts(&sb, ", .optional = 1");
		if (dp->flags & KPF_WILD)
			sb_puts(&sb, ", .wild = 1");
		/* a function's first byte: maybe an ftrace site */
		if (!(dp->flags & KPF_NOFTRACE) &&
		    ((dp->sym && !dp->num[2]) || (dp->flags & KPF_FENTRY))) {
			sb_puts(&sb, ", .fentry = 1");
			if (!dp->is_return && (dp->flags & KPF_CHECKED) &&
			    !dp->module && dp->num[1] && ref)
				sb_puts(&sb, ", .checked = 1");
		}
		k = dp_point_index(dp);
		if (k > 0)
			sb_printf(&sb, ", .k = %d", k);
		sb_printf(&sb, ", .probe = %s },\n", tx_probe_ref(tx, dp));
	}
	sb_printf(&sb, "};\nstatic struct stp_ftrace %s_ft;\n\n", tab);
	tx_printf(tx, "%s", sb_str(&sb));

	if (relocate && ref)
		sb_printf(&reg, "STP_KASLR_INIT(%s, 0x%" PRIx64 "UL), ",
			  ref->name, ref->addr);
	if (kmod) {
		tx_printf(tx, "#include \"probes/stp_kmod.h\"\n"
			  "static struct stp_kmod_set %s_km = { .module = "
			  "\"%s\", .ps = %s, .n = %d, .ft = &%s_ft };\n\n",
			  tab, kmod, tab, derived->n, tab);
		sb_printf(&reg, "stp_kmod_register(&%s_km)", tab);
		sb_printf(&unreg, "stp_kmod_unregister(&%s_km)", tab);
	} else {
		sb_printf(&reg, "stp_kprobes_register(%s, %d, &%s_ft)", tab,
			  derived->n, tab);
		sb_printf(&unreg, "stp_kprobes_unregister(%s, %d, &%s_ft)",
			  tab, derived->n, tab);
	}
	tx_on_register(tx, sb_str(&reg), sb_str(&unreg));
	sb_free(&sb);
	sb_free(&reg);
	sb_free(&unreg);
}

void kprobe_emit_points(struct tx *tx, struct vec *derived)
{
	emit_points(tx, derived, NULL);
}

void kprobe_emit_module_points(struct tx *tx, struct vec *derived,
			       const char *module)
{
	emit_points(tx, derived, module);
}

void kprobe_emit(struct tx *tx, struct vec *derived)
{
	kprobe_emit_points(tx, derived);
}
