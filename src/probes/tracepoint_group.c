/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoint_group.c - pass 3 of several probes on one tracepoint: one
 * registration whose handler (a generated dispatcher) runs the members a
 * hit concerns.  Members whose handler starts with the same dispatch guard
 * `if (KEY != N ...) next` (translate/tx_guard.h) are picked by KEY,
 * evaluated once: a switch, or for many keys in a dense range a table
 * indexed by KEY (stp_tp_dispatch); the others run on every hit, all in
 * probe order.  So syscall.* on raw_syscalls:sys_enter costs one handler
 * and one table lookup per system call, not 346 handlers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elaborate/elab.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "probes/tracepoint.h"
#include "translate/tx_emit.h"
#include "translate/tx_guard.h"
#include "translate/tx_int.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

/* the members' guards; returns the member whose key the dispatcher uses
 * (-1: none), after dropping guards on another key */
static int guards(struct vec *derived, const int *idx, int n,
		  struct tx_guard *g)
{
	int lead = -1;

	for (int i = 0; i < n; i++) {
		const struct derived_probe *dp = derived->v[idx[i]];

		if (!tx_guard_find(dp->probe, &g[i]) || g[i].val == INT64_MIN)
			g[i].key = NULL;
		if (!g[i].key)
			continue;
		if (lead < 0)
			lead = i;
		else if (!tx_guard_same_key(g[lead].key, g[i].key))
			g[i].key = NULL;
	}
	return lead;
}

static void chain(struct strbuf *sb, const char *tab, int i)
{
	sb_printf(sb, "\t\tstp_tp_chain(c, &%s[%d]);\n", tab, i);
}

/* the members keyed val (or every unkeyed one, val NULL), in order */
static void chains(struct strbuf *sb, const char *tab, const int *idx, int n,
		   const struct tx_guard *g, const int64_t *val)
{
	for (int i = 0; i < n; i++)
		if (!g[i].key || (val && g[i].val == *val))
			chain(sb, tab, idx[i]);
}

/* the members for key v (every unkeyed one with v NULL), as a C list */
static int list_of(struct strbuf *sb, const int *idx, int n,
		   const struct tx_guard *g, const int64_t *v)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (!g[i].key || (v && g[i].val == *v)) {
			sb_printf(sb, " %d,", idx[i]);
			k++;
		}
	}
	return k;
}

/*
 * Many keys in a dense range: a table indexed by key - lo (the kernel is
 * built with -fno-jump-tables, so a big switch is a tree of compares).
 * False when a switch suits better.
 */
static bool table(struct strbuf *sb, const int *idx, int n,
		  const struct tx_guard *g, const char *tab, const char *key)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	int nkeys = 0, end = 0;
	struct strbuf list = { 0 }, start = { 0 };

	for (int i = 0; i < n; i++) {
		if (!g[i].key)
			continue;
		nkeys++;
		lo = g[i].val < lo ? g[i].val : lo;
		hi = g[i].val > hi ? g[i].val : hi;
	}
	if (nkeys < 8 || hi - lo >= 4 * (int64_t)nkeys + 64)
		return false;
	for (int64_t v = lo; v <= hi; v++) {
		sb_printf(&start, " %d,", end);
		end += list_of(&list, idx, n, g, &v);
	}
	sb_printf(&start, " %d", end);
	end += list_of(&list, idx, n, g, NULL);
	if (end < 65536) {
		sb_printf(sb, "\tstatic const unsigned short list[] = {%s 0 };\n"
			  "\tstatic const unsigned short start[] = {%s };\n"
			  "\tstatic const struct stp_tp_table t = { %" PRId64
			  "LL, %" PRId64 ", %d, start, list };\n"
			  "\tint64_t key = %s;\n\n"
			  "\tstp_tp_dispatch(c, %s, &t, key);\n\treturn;\n",
			  sb_str(&list), sb_str(&start), lo, hi - lo + 1, end,
			  key, tab);
	}
	sb_free(&list);
	sb_free(&start);
	return end < 65536;
}

/*
 * The dispatcher of members idx[0..n) of tab: function fn and its probe
 * descriptor desc; *k is the head's index among its key's handler's points.
 */
static void dispatcher(struct tx *tx, struct strbuf *sb, struct vec *derived,
		       const char *tab, const int *idx, int n, const char *fn,
		       const char *desc, int *k)
{
	struct tx_guard *g = xcalloc(n, sizeof(*g));
	struct strbuf key = { 0 };
	const struct derived_probe *head;
	int lead = guards(derived, idx, n, g);

	if (lead >= 0) {
		head = derived->v[idx[lead]];
		if (!tx_guard_emit_key(tx, head->probe, g[lead].key, &key)) {
			memset(g, 0, n * sizeof(*g));
			lead = -1;
		}
	}
	head = derived->v[idx[lead < 0 ? 0 : lead]];
	*k = tracepoint_point_index(head);
	sb_printf(sb, "static void %s(struct stp_context *c)\n{\n", fn);
	if (lead < 0) {
		chains(sb, tab, idx, n, g, NULL);
		goto done;
	}
	tx_guard_frame(tx, head->probe, sb);
	sb_puts(sb, "\tstatic const unsigned short all[] = {");
	for (int i = 0; i < n; i++)
		sb_printf(sb, "%s %d", i ? "," : "", idx[i]);
	sb_puts(sb, " };\n");
	if (table(sb, idx, n, g, tab, sb_str(&key)))
		goto out;
	sb_printf(sb, "\tint64_t key = %s;\n\n\tswitch (key) {\n",
		  sb_str(&key));
	for (int i = 0; i < n; i++) {
		bool seen = false;

		if (!g[i].key)
			continue;
		for (int j = 0; j < i && !seen; j++)
			seen = g[j].key && g[j].val == g[i].val;
		if (seen)
			continue;
		sb_printf(sb, "\tcase %" PRId64 "LL:\n", g[i].val);
		chains(sb, tab, idx, n, g, &g[i].val);
		sb_puts(sb, "\t\treturn;\n");
	}
	sb_puts(sb, "\tdefault:\n");
	chains(sb, tab, idx, n, g, NULL);
	sb_puts(sb, "\t\treturn;\n\t}\n");
out:
	sb_puts(sb, "out: __maybe_unused\n");
	sb_printf(sb, "\tstp_tp_chain_all(c, %s, all, %d);\n", tab, n);
done:
	sb_printf(sb, "}\n\nstatic const struct stp_probe %s = { .fn = %s, "
		  ".pp = ", desc, fn);
	tx_cstr(sb, head->pp);
	sb_puts(sb, " };\n\n");
	sb_free(&key);
	free(g);
}

int tracepoint_groups(struct tx *tx, struct strbuf *sb, struct vec *derived,
		      const char *tab, int *group, struct vec *heads)
{
	int n = derived->n, *idx = xcalloc(n, sizeof(int)), nheads = 0;

	/* group[i]: the first point on the same tracepoint */
	for (int i = 0; i < n; i++) {
		const struct derived_probe *a = derived->v[i];

		group[i] = i;
		for (int j = 0; j < i; j++) {
			const struct derived_probe *b = derived->v[j];

			if (group[j] == j && !strcmp(a->sym, b->sym) &&
			    !strcmp(a->module, b->module)) {
				group[i] = j;
				break;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n && group[i] == i; j++) {
			if (group[j] == i) {
				nheads++;
				break;
			}
		}
	}
	if (nheads)
		sb_printf(sb, "static struct stp_tracepoint %s[%d];\n\n", tab,
			  n + nheads);
	for (int i = 0; i < n; i++) {
		struct tp_group_head *h;
		int m = 0;

		if (group[i] != i)
			continue;
		for (int j = i; j < n; j++)
			if (group[j] == i)
				idx[m++] = j;
		if (m < 2) {
			group[i] = -1;	/* registered on its own */
			continue;
		}
		h = xcalloc(1, sizeof(*h));
		h->first = i;
		h->fn = tx_unique(tx, "stp_tpd");
		h->desc = tx_unique(tx, "stp_tpdp");
		h->optional = true;
		for (int j = 0; j < m; j++) {
			const struct derived_probe *dp = derived->v[idx[j]];

			h->optional = h->optional && (dp->flags & KPF_OPTIONAL);
		}
		dispatcher(tx, sb, derived, tab, idx, m, h->fn, h->desc, &h->k);
		vec_push(heads, h);
	}
	free(idx);
	return heads->n;
}
