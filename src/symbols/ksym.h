/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ksym.h - the target kernel's symbol table, from a real System.map (build
 * tree, /boot, the -dbg package, the debuginfo cache) or, for the running
 * kernel, /proc/kallsyms.  Used to check and expand kprobe.function()
 * names, to tell probe-able text from entry/noinstr/init text, and to name
 * addresses.
 */
#ifndef STAP_KSYM_H
#define STAP_KSYM_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct vec;

struct ksym {
	const char *name;
	uint64_t addr;
	char type;		/* System.map type letter: t T W ... */
};

struct ksym_range {
	uint64_t lo, hi;	/* [lo, hi) */
};

struct ksymtab {
	const char *path;	/* where it was read from */
	struct ksym *syms;	/* sorted by address */
	int n;
	struct ksym **by_name;	/* sorted by name, then address */
	uint64_t stext, etext;	/* kernel text */
	struct ksym_range blocked[16];	/* text kprobes refuse */
	int nblocked;
};

/* The symbol table, loaded once; NULL when no real one was found. */
const struct ksymtab *ksym_kernel(struct session *s);

/* first symbol called name (by address); *count gets how many there are */
const struct ksym *ksym_lookup(const struct ksymtab *t, const char *name,
			       int *count);

/* function symbols (t/T/w/W in kernel text) matching glob pat, each name
 * once, sorted by name: appends const struct ksym * to out */
void ksym_glob_funcs(const struct ksymtab *t, const char *pat,
		     struct vec *out);

/* the function symbol at or before addr, or NULL */
const struct ksym *ksym_at(const struct ksymtab *t, uint64_t addr);

/* addr is outside kernel text or in text kprobes cannot probe */
bool ksym_addr_blocked(const struct ksymtab *t, uint64_t addr);

#endif
