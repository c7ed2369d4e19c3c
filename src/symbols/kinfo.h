/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kinfo.h - what pass 2 knows about the target kernel: its release, where
 * its symbol table and debuginfo are, and the caches built from them.
 * Everything hangs off session->kinfo and is loaded at most once.
 */
#ifndef STAP_KINFO_H
#define STAP_KINFO_H

#include <stdbool.h>

struct session;
struct ksymtab;
struct dw_kernel;
struct tp_table;

struct kinfo {
	const char *release;		/* target kernel release */
	const char *build_dir;		/* its kbuild tree (may not exist) */
	bool symtab_tried;
	struct ksymtab *symtab;		/* NULL: none found */
	bool dwarf_tried;
	struct dw_kernel *dwarf;	/* NULL: no vmlinux debuginfo */
	bool tp_tried;
	struct tp_table *tracepoints;
	bool warned_nosyms;
	struct vec *dw_entry_sets;	/* probes/dwarf_var.c: @entry slots */
	struct vec *dw_modules;		/* dwarf/dw_module.c: struct dw_kernel * */
};

struct kinfo *kinfo_get(struct session *s);

/*
 * Debuginfo cache directory for the target release (tools/fetch-debuginfo
 * fills it): $STAP_DEBUGINFO_DIR/R, /var/cache/stap-debuginfo/R or
 * ~/.cache/stap-debuginfo/R.  Appends the candidates to out (char *).
 */
struct vec;
void kinfo_cache_dirs(struct session *s, struct vec *out);

/* first readable regular non-empty file of the NULL-terminated list */
const char *kinfo_first_file(const char *const *paths);

#endif
