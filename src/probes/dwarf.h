/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dwarf.h - kernel.function() between pass 2 (dwarf.c, dwarf_var.c) and
 * pass 3 (dwarf_emit.c).  derived_probe uses the probes/kprobe.h layout
 * (sym when the name is a unique symbol, num[1] the link-time address)
 * and priv = struct dwarf_point.
 */
#ifndef STAP_PROBES_DWARF_H
#define STAP_PROBES_DWARF_H

#include <stdbool.h>

#include "probes/provider.h"

struct dw_kernel;
struct dw_func;
struct elab_probe;

struct dwarf_point {
	struct dw_func *func;
	struct dw_kernel *kernel;
	bool kmod;		/* in a named module: armed when it loads */
};

/* a resolved $var / $$parms: C per point of the handler (dw_loc.c form) */
struct dwarf_target {
	struct target_ref ref;
	struct elab_probe *probe;
	int n;
	char **code;		/* [n]; NULL where not resolved */
	bool string;
	struct vec idx;		/* struct expr *: the [index] expressions */
	struct expr *base;	/* @cast: the address expression */
	int slot;		/* @entry slot + 1 in return probes; 0 none */
};

/*
 * Values a .return probe's handler reads as they were at the function's
 * entry ($param, @entry(...)): saved by a kretprobe entry handler in
 * per-instance slots.  code[k][slot]: C evaluated at entry for the k-th
 * point of the handler (dw_loc.c form), NULL where not needed.
 */
struct dwarf_entry_set {
	struct elab_probe *probe;
	int nslots;
	struct vec codes;	/* per slot: char *[n] */
	int n;
};

/* the set of handler p, or NULL */
struct dwarf_entry_set *dwarf_entry_set_of(struct session *s,
					   const struct elab_probe *p);

/* a dw_loc.c template with NEAR, @@BUF@@, @@IDXn@@, @@BASE@@ filled */
void dwarf_fill(struct tx *tx, struct strbuf *sb, const char *tmpl,
		const char *near, const char *buf, const struct vec *idx,
		const char *base_c);

bool dwarf_symbol_unique(struct dw_kernel *k, const struct dw_func *f);
int dwarf_target_var(struct session *s, struct derived_probe *dp,
		     struct expr *e);
void dwarf_target_emit(struct tx *tx, struct strbuf *sb, struct expr *e);
/* @cast(addr, "type")->...: 1 resolved (e->prov, e->type set), 0 not,
 * with *why set (quiet: no diagnostics are printed here) */
int dwarf_cast_resolve(struct session *s, struct expr *e, const char **why);

#endif
