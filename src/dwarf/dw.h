/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw.h - the target kernel's DWARF (elfutils libdw): where its debuginfo
 * is, functions by name/file globs, their parameters and locals with
 * C types, and location expressions turned into C for the runtime.
 */
#ifndef STAP_DW_H
#define STAP_DW_H

#include <stdbool.h>
#include <stdint.h>

#include <elfutils/libdw.h>

struct session;
struct vec;
struct strbuf;

struct dw_sym {
	const char *name;
	uint64_t addr;
};

struct dw_kernel {
	const char *path;		/* the vmlinux read */
	int fd;
	Elf *elf;
	Dwarf *dw;
	struct dw_sym *funcs;		/* FUNC symbols, by name */
	int nfuncs;
	struct dw_sym *by_addr;		/* the same, by address */
	uint64_t *mcount;		/* ftrace call sites, sorted */
	int nmcount;
	uint64_t *kpblack;		/* NOKPROBE_SYMBOL functions, sorted */
	int nkpblack;
	uint64_t *kpinsn;		/* jump label, static call and BUG()
					   instructions, sorted */
	int nkpinsn;
	struct { uint64_t lo, hi; } blocked[16];	/* sections kprobes refuse */
	int nblocked;
	uint64_t stext, etext;
	const char **exports;		/* EXPORT_SYMBOL names, sorted */
	int nexports;
	struct { const char *name; Dwarf_Off die; } *types;	/* @cast cache */
	int ntypes;
	const char *module;		/* a module's (dw_module.c); NULL: vmlinux */
	void *dwfl;			/* module: the libdwfl session laying
					   its sections out */
	uint64_t init_lo, init_hi;	/* module: its .init.text */
	bool warned;			/* module: "no DWARF" said once */
	uint64_t *dwentries;		/* module: entries of its DWARF
					   functions, sorted (dw_func.c) */
	int ndwentries;
	const char **dwnames;		/* ... and their names, sorted */
	int ndwnames;
};

struct dw_func {
	const char *name;
	const char *file;		/* declaration file, kbuild-relative */
	int line;			/* declaration line */
	uint64_t entry;			/* link-time probe address */
	bool inlined;			/* an inlined instance */
	Dwarf_Off die;			/* subprogram / inlined_subroutine */
	uint64_t func_entry;		/* the function's entry (!= entry for
					   kernel.statement) */
	int stmt_line;			/* kernel.statement: its line */
};

/* the first address of each line of f in [lo, hi] (0, 0: every line),
 * as struct dw_func * copies with entry/stmt_line set */
void dw_func_lines(struct dw_kernel *k, const struct dw_func *f, int lo,
		   int hi, struct vec *out);

/* The kernel's DWARF, opened once; NULL (and *why) when not found. */
struct dw_kernel *dw_kernel_get(struct session *s, const char **why);
/* Module name's DWARF (dashes and underscores alike), opened once; NULL
 * and *why ("missing": no debuginfo, "not found": no such module). */
struct dw_kernel *dw_module_get(struct session *s, const char *name,
				const char **why);
/* a module without debuginfo: its .ko's symbol table alone (dw NULL,
 * funcs set, one name per address); NULL when there is no such module */
struct dw_kernel *dw_module_symtab(struct session *s, const char *name);
/* the same for the module at path (/lib/modules/R/kernel/...ko) */
struct dw_kernel *dw_module_at(struct session *s, const char *path,
			       const char **why);

/*
 * Functions matching fglob (and, if not NULL, file glob file) appended as
 * struct dw_func *: concrete functions, and inlined instances too when
 * inl.  Sorted by name, file, line.
 */
void dw_find_funcs(struct session *s, struct dw_kernel *k, const char *fglob,
		   const char *file, bool concrete, bool inl, struct vec *out);

/* the nearest function symbol at or below addr in its section whose
 * name is unique: *name and addr's offset from it (a module's probes are
 * placed so) */
bool dw_containing_symbol(struct dw_kernel *k, uint64_t addr,
			  const char **name, uint64_t *off);

/* why f cannot be probed (NULL: it can) */
const char *dw_blocked(struct dw_kernel *k, const struct dw_func *f);
/* does the kernel refuse a kprobe at instruction addr: in a function of
 * its kprobe blacklist (NOKPROBE_SYMBOL), on a jump label, static call or
 * BUG()?  false when unknown */
bool dw_kprobe_refused(const struct dw_kernel *k, uint64_t addr);
/* index in k->funcs of the first FUNC symbol named by the first len bytes
 * of name, or -1 */
int dw_sym_named(const struct dw_kernel *k, const char *name, size_t len);
/* how many FUNC symbols are at or below addr (a count of k->by_addr) */
int dw_syms_upto(const struct dw_kernel *k, uint64_t addr);
/* is addr an ftrace call site? 1 yes, 0 no, -1 unknown (no mcount table) */
int dw_ftrace_site(const struct dw_kernel *k, uint64_t addr);
bool dw_exported(struct dw_kernel *k, const char *name);
/* building a symbol table (dw_open.c for vmlinux, dw_module.c for a
 * module): an exported name, then the lookup order of funcs, by_addr
 * and exports once all are in */
void dw_export_add(struct dw_kernel *k, const char *name);
void dw_symtab_sort(struct dw_kernel *k);

/* ---- variables and types ---- */

struct dw_var {
	const char *name;
	Dwarf_Off die;			/* formal_parameter / variable */
	bool param;
};

/* parameters, then locals (each name once) of f */
void dw_func_vars(struct dw_kernel *k, const struct dw_func *f, bool locals,
		  struct vec *out);
/* what -L lists, as stap: parameters, then the locals of the function's
 * own scope (not those of nested blocks) */
void dw_func_vars_listed(struct dw_kernel *k, const struct dw_func *f,
			 struct vec *out);
/* stap's name of a type DIE ("struct file*", "char const*"); NULL: void */
char *dw_type_name(Dwarf_Die *type);
/* the type of a variable / the return type of f (false: none / void) */
bool dw_die_type(Dwarf_Die *die, Dwarf_Die *type);
bool dw_func_die(struct dw_kernel *k, const struct dw_func *f, Dwarf_Die *out);
/* the type named spec ("struct sk_buff", "sk_buff", "pid_t") */
bool dw_find_type(struct dw_kernel *k, const char *spec, Dwarf_Die *out);
/* the variable has a location (or a constant value) at pc */
bool dw_var_at(Dwarf_Die *var, uint64_t pc);

#endif
