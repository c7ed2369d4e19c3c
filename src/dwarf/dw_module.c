/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw_module.c - a loadable module's DWARF, found where stap finds it
 * (/usr/lib/debug/lib/modules/R/..., the build tree, the .ko itself, the
 * cache tools/fetch-debuginfo --module fills) and opened with libdwfl, which
 * lays the relocatable .ko's sections out and applies its relocations.
 * Addresses are then in that layout: probes are placed as symbol+offset.
 */
#include <dwarf.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>

#include "dwarf/dw.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/kmod.h"
#include "util/vec.h"
#include "util/xalloc.h"

static int no_debuginfo(Dwfl_Module *m, void **ud, const char *mod,
			Dwarf_Addr base, const char *file, const char *link,
			GElf_Word crc, char **name)
{
	(void)m; (void)ud; (void)mod; (void)base; (void)file; (void)link;
	(void)crc; (void)name;
	return -1;	/* the file opened has the DWARF itself */
}

static const Dwfl_Callbacks offline_cb = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static bool has_debug_info(const char *path)
{
	int fd = open(path, O_RDONLY);
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	bool yes = false;

	if (fd < 0)
		return false;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && !elf_getshdrstrndx(elf, &shstrndx)) {
		while (!yes && (scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *n;

			yes = gelf_getshdr(scn, &sh) &&
			      (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
			      !strcmp(n, ".debug_info") &&
			      sh.sh_type != SHT_NOBITS;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return yes;
}

/* without DWARF, one name per address: the first (init_module and
 * cleanup_module come after the functions they alias) */
static bool alias(struct dw_kernel *k, uint64_t addr)
{
	for (int i = 0; i < k->nfuncs; i++)
		if (k->funcs[i].addr == addr)
			return true;
	return false;
}

/* FUNC symbols in the laid-out addresses; the .init.text range refused */
static void read_syms(struct dw_kernel *k, Dwfl_Module *m)
{
	int n = dwfl_module_getsymtab(m), cap = 0;

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		Elf *elf;
		Dwarf_Addr bias;
		const char *name = dwfl_module_getsym_info(m, i, &sym, &addr,
							   &shndx, &elf, &bias);

		if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || (!k->dw && alias(k, addr)))
			continue;
		/* .exported in a module, as stap: its global functions */
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL)
			dw_export_add(k, name);
		if (k->nfuncs == cap) {
			cap = cap ? 2 * cap : 1024;
			k->funcs = xrealloc(k->funcs, cap * sizeof(*k->funcs));
		}
		k->funcs[k->nfuncs].name = name;
		k->funcs[k->nfuncs].addr = addr;
		k->nfuncs++;
	}
	dw_symtab_sort(k);
}

/* .init.text: its code is gone once the module runs */
static void read_sections(struct dw_kernel *k, Dwfl_Module *m)
{
	int n = dwfl_module_relocations(m);
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(m, &bias);

	for (int i = 0; elf && i < n; i++) {
		GElf_Word shndx;
		const char *sec = dwfl_module_relocation_info(m, i, &shndx);
		Elf_Scn *scn;
		GElf_Shdr sh;

		if (!sec || strcmp(sec, ".init.text"))
			continue;
		scn = elf_getscn(elf, shndx);
		if (!scn || !gelf_getshdr(scn, &sh) || !sh.sh_size)
			continue;
		k->init_lo = sh.sh_addr + bias;
		k->init_hi = sh.sh_addr + bias + sh.sh_size;
	}
}

static int count_named(struct dw_kernel *k, const char *n)
{
	int i = dw_sym_named(k, n, strlen(n)), c = 0;

	if (i < 0)
		return 0;
	for (; i < k->nfuncs && !strcmp(k->funcs[i].name, n); i++)
		if (!c || k->funcs[i].addr != k->funcs[i - 1].addr)
			c++;
	return c;
}

static Elf_Scn *section_of(struct dw_kernel *k, uint64_t addr)
{
	Dwfl_Module *m = k->dwfl ? dwfl_addrmodule(k->dwfl, addr) : NULL;
	Dwarf_Addr a = addr, bias;

	return m ? dwfl_module_address_section(m, &a, &bias) : NULL;
}

bool dw_containing_symbol(struct dw_kernel *k, uint64_t addr,
			  const char **name, uint64_t *off)
{
	int lo = dw_syms_upto(k, addr);

	/*
	 * The nearest symbol below with a unique name, in the same section
	 * (a section stays in one piece when the module loads; the kernel
	 * takes symbol+offset past the symbol's end as the address it is)
	 */
	for (int i = lo - 1; i >= 0; i--) {
		if (section_of(k, k->by_addr[i].addr) != section_of(k, addr))
			break;
		if (count_named(k, k->by_addr[i].name) == 1) {
			*name = k->by_addr[i].name;
			*off = addr - k->by_addr[i].addr;
			return true;
		}
	}
	return false;
}

/* the module at path; without DWARF only when k is given (filled) */
static struct dw_kernel *open_one(const char *name, const char *path,
				  struct dw_kernel *k)
{
	Dwfl *dwfl = dwfl_begin(&offline_cb);
	Dwfl_Module *m;
	Dwarf_Addr bias;
	Dwarf *dw;

	if (!dwfl)
		return NULL;
	dwfl_report_begin(dwfl);
	m = dwfl_report_offline(dwfl, name, path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	dw = m ? dwfl_module_getdwarf(m, &bias) : NULL;
	if (!m || (!dw && !k)) {
		dwfl_end(dwfl);
		return NULL;
	}
	if (!k)
		k = xcalloc(1, sizeof(*k));
	k->path = xstrdup(path);
	k->fd = -1;
	k->elf = dwfl_module_getelf(m, &bias);
	k->dw = dw;
	k->dwfl = dwfl;
	k->module = xstrdup(name);
	read_syms(k, m);
	read_sections(k, m);
	return k;
}

/* where stap (and our cache) keep module name's debuginfo */
static void candidates(struct session *s, const char *rel, struct vec *out)
{
	struct kinfo *ki = kinfo_get(s);
	struct vec dirs = { 0 };
	const char *sub = strncmp(rel, "kernel/", 7) ? rel : rel + 7;

	vec_push(out, xasprintf("/usr/lib/debug/lib/modules/%s/%s",
				ki->release, rel));
	vec_push(out, xasprintf("%s/%s", ki->build_dir, sub));
	vec_push(out, xasprintf("%s/.debug/%s", ki->build_dir, sub));
	vec_push(out, xasprintf("/lib/modules/%s/%s", ki->release, rel));
	kinfo_cache_dirs(s, &dirs);
	vec_each(&dirs, i) {
		vec_push(out, xasprintf("%s/modules/%s", (char *)dirs.v[i], rel));
		free(dirs.v[i]);
	}
	vec_free(&dirs);
}

/* name (normalized) already tried: its entry */
static struct dw_kernel *cached(struct kinfo *ki, const char *norm)
{
	if (!ki->dw_modules)
		ki->dw_modules = xcalloc(1, sizeof(*ki->dw_modules));
	vec_each(ki->dw_modules, i) {
		struct dw_kernel *m = ki->dw_modules->v[i];

		if (!strcmp(m->module, norm))
			return m;
	}
	return NULL;
}

static char *normalize(const char *name)
{
	char *norm = xstrdup(name);

	for (char *p = norm; *p; p++)
		if (*p == '-')
			*p = '_';
	return norm;
}

struct dw_kernel *dw_module_at(struct session *s, const char *path,
			       const char **why)
{
	struct kinfo *ki = kinfo_get(s);
	const char *b = strrchr(path, '/');
	char *norm = normalize(b ? b + 1 : path), *rel;
	size_t pre = strlen("/lib/modules/") + strlen(ki->release) + 1;
	struct vec cands = { 0 };
	struct dw_kernel *k = NULL;

	*why = NULL;
	norm[strcspn(norm, ".")] = 0;
	if ((k = cached(ki, norm))) {
		free(norm);
		if (!k->dw)
			*why = "missing";
		return k->dw ? k : NULL;
	}
	elf_version(EV_CURRENT);
	if (strncmp(path, "/lib/modules/", 13) ||
	    strncmp(path + 13, ki->release, pre - 14)) {
		rel = NULL;		/* module("/path/to/x.ko"): itself */
		vec_push(&cands, xstrdup(path));
	} else {
		rel = xstrdup(path + pre);
		if (strstr(rel, ".ko."))
			strstr(rel, ".ko.")[3] = 0;	/* .ko.xz: debug is .ko */
		candidates(s, rel, &cands);
	}
	vec_each(&cands, i) {
		const char *c = cands.v[i];

		if (!k && !access(c, R_OK) && has_debug_info(c))
			k = open_one(norm, c, NULL);
		free(cands.v[i]);
	}
	vec_free(&cands);
	free(rel);
	if (!k) {
		k = xcalloc(1, sizeof(*k));	/* remembered as missing */
		k->module = norm;
		k->path = xstrdup(path);
		vec_push(ki->dw_modules, k);
		*why = "missing";
		return NULL;
	}
	free(norm);
	vec_push(ki->dw_modules, k);
	return k;
}

struct dw_kernel *dw_module_get(struct session *s, const char *name,
				const char **why)
{
	struct kinfo *ki = kinfo_get(s);
	char *norm = normalize(name);
	struct dw_kernel *k = cached(ki, norm);
	const char *path;

	*why = NULL;
	if (name[0] == '/') {		/* an out-of-tree module's .ko */
		free(norm);
		if (access(name, R_OK)) {
			*why = "not found";
			return NULL;
		}
		return dw_module_at(s, name, why);
	}
	if (k) {
		free(norm);
		if (!k->dw)
			*why = "missing";
		return k->dw ? k : NULL;
	}
	path = kmod_path(s, norm);
	free(norm);
	if (!path) {
		*why = "not found";
		return NULL;
	}
	return dw_module_at(s, path, why);
}

struct dw_kernel *dw_module_symtab(struct session *s, const char *name)
{
	struct kinfo *ki = kinfo_get(s);
	char *norm = normalize(name[0] == '/' && strrchr(name, '/') ?
			       strrchr(name, '/') + 1 : name);
	struct dw_kernel *k;
	const char *why;

	norm[strcspn(norm, ".")] = 0;
	if (!dw_module_get(s, name, &why) && !strcmp(why, "not found")) {
		free(norm);
		return NULL;
	}
	k = cached(ki, norm);
	free(norm);
	if (!k || k->dw)
		return k;
	if (!k->dwfl && k->path) {	/* the .ko's own symbol table */
		const char *path = k->path;

		k->path = NULL;
		if (!open_one(k->module, path, k))
			k->path = path;
	}
	return k->dwfl ? k : NULL;
}
