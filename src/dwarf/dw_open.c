/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw_open.c - find the kernel's debuginfo where stap looks for it, open it
 * with libdw, and read what the ELF symbol table says: function addresses,
 * the text kprobes refuse (entry/noinstr/init... sections and the
 * _kprobe_blacklist), exported names.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdw.h>

#include "dwarf/dw.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "util/vec.h"
#include "util/xalloc.h"

static int cmp_sym(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

static int cmp_addr(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void dw_export_add(struct dw_kernel *k, const char *name)
{
	if (k->nexports % 1024 == 0)
		k->exports = xrealloc(k->exports,
				      (k->nexports + 1024) * sizeof(char *));
	k->exports[k->nexports++] = name;
}

void dw_symtab_sort(struct dw_kernel *k)
{
	qsort(k->funcs, k->nfuncs, sizeof(*k->funcs), cmp_sym);
	k->by_addr = xmalloc((k->nfuncs + 1) * sizeof(*k->by_addr));
	memcpy(k->by_addr, k->funcs, k->nfuncs * sizeof(*k->funcs));
	qsort(k->by_addr, k->nfuncs, sizeof(*k->by_addr), cmp_addr);
	qsort(k->exports, k->nexports, sizeof(char *), cmp_str);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t sym_addr(struct dw_kernel *k, struct vec *all, const char *n)
{
	(void)k;
	vec_each(all, i) {
		struct dw_sym *s = all->v[i];

		if (!strcmp(s->name, n))
			return s->addr;
	}
	return 0;
}

/* the bytes of vmlinux's data between two symbols, or NULL */
static const char *table_bytes(struct dw_kernel *k, uint64_t start,
			       uint64_t stop)
{
	Elf_Scn *scn = NULL;

	if (!start || stop <= start)
		return NULL;
	while ((scn = elf_nextscn(k->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    start < sh.sh_addr || stop > sh.sh_addr + sh.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || stop - sh.sh_addr > d->d_size)
			return NULL;
		return (const char *)d->d_buf + (start - sh.sh_addr);
	}
	return NULL;
}

/*
 * A table between two symbols (final in a linked vmlinux) appended to
 * *out: entries of size bytes, each holding an address at its start,
 * absolute (rel false: __mcount_loc, _kprobe_blacklist) or as an s32
 * from there (__jump_table, static_call_sites, __bug_table).  Nothing is
 * added (unknown) when the symbols or their data are missing.
 */
static void read_addrs(struct dw_kernel *k, struct vec *marks,
		       const char *name, size_t size, bool rel, uint64_t **out,
		       int *n)
{
	char lo[80], hi[80];
	uint64_t start, stop;
	const char *b;
	size_t cnt;

	snprintf(lo, sizeof(lo), "__start_%s", name);
	snprintf(hi, sizeof(hi), "__stop_%s", name);
	start = sym_addr(k, marks, lo);
	stop = sym_addr(k, marks, hi);
	b = table_bytes(k, start, stop);
	if (!b || (stop - start) % size)
		return;
	cnt = (stop - start) / size;
	*out = xrealloc(*out, (*n + cnt) * sizeof(**out));
	for (size_t i = 0; i < cnt; i++) {
		uint64_t v;
		int32_t d;

		if (rel) {
			memcpy(&d, b + i * size, sizeof(d));
			v = start + i * size + (int64_t)d;
		} else {
			memcpy(&v, b + i * size, sizeof(v));
		}
		(*out)[(*n)++] = v;
	}
	qsort(*out, *n, sizeof(**out), cmp_u64);
}

static void read_symtab(struct dw_kernel *k)
{
	Elf_Scn *scn = NULL;
	struct vec marks = { 0 };
	int cap = 0;
	static const char *const ranges[][2] = {
		{ "__kprobes_text_start", "__kprobes_text_end" },
		{ "__entry_text_start", "__entry_text_end" },
		{ "__irqentry_text_start", "__irqentry_text_end" },
		{ "__softirqentry_text_start", "__softirqentry_text_end" },
		{ "__noinstr_text_start", "__noinstr_text_end" },
		{ "__cpuidle_text_start", "__cpuidle_text_end" },
		{ "_sinittext", "_einittext" },
	};

	while ((scn = elf_nextscn(k->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *n;

			if (!gelf_getsym(d, (int)i, &sym))
				continue;
			n = elf_strptr(k->elf, sh.sh_link, sym.st_name);
			if (!n || !*n)
				continue;
			if (!strncmp(n, "__ksymtab_", 10)) {
				dw_export_add(k, n + 10);
				continue;
			}
			if (GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
				if (k->nfuncs == cap) {
					cap = cap ? 2 * cap : 65536;
					k->funcs = xrealloc(k->funcs,
						cap * sizeof(*k->funcs));
				}
				k->funcs[k->nfuncs].name = n;
				k->funcs[k->nfuncs].addr = sym.st_value;
				k->nfuncs++;
			} else if (n[0] == '_' && (strstr(n, "text_") ||
				   strstr(n, "inittext") || !strcmp(n, "_stext") ||
				   !strcmp(n, "_etext") ||
				   !strncmp(n, "__start_", 8) ||
				   !strncmp(n, "__stop_", 7))) {
				struct dw_sym *m = xmalloc(sizeof(*m));

				m->name = n;
				m->addr = sym.st_value;
				vec_push(&marks, m);
			}
		}
	}
	dw_symtab_sort(k);
	k->stext = sym_addr(k, &marks, "_stext");
	k->etext = sym_addr(k, &marks, "_etext");
	read_addrs(k, &marks, "mcount_loc", 8, false, &k->mcount,
		   &k->nmcount);
	read_addrs(k, &marks, "kprobe_blacklist", 8, false, &k->kpblack,
		   &k->nkpblack);
	/* instructions the kernel will not put a kprobe on: jump labels,
	 * static calls (struct jump_entry, static_call_site: relative) and
	 * BUG()s (struct bug_entry, 12 bytes with BUGVERBOSE: the others are
	 * not a whole number of entries, or do not match, and are lost) */
	read_addrs(k, &marks, "__jump_table", 16, true, &k->kpinsn,
		   &k->nkpinsn);
	read_addrs(k, &marks, "static_call_sites", 8, true, &k->kpinsn,
		   &k->nkpinsn);
	read_addrs(k, &marks, "__bug_table", 12, true, &k->kpinsn,
		   &k->nkpinsn);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		uint64_t lo = sym_addr(k, &marks, ranges[i][0]);
		uint64_t hi = sym_addr(k, &marks, ranges[i][1]);

		if (lo && hi > lo && k->nblocked < 16) {
			k->blocked[k->nblocked].lo = lo;
			k->blocked[k->nblocked].hi = hi;
			k->nblocked++;
		}
	}
	vec_each(&marks, i)
		free(marks.v[i]);
	vec_free(&marks);
}

static bool has_debug_info(Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (gelf_getshdr(scn, &sh) &&
		    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, ".debug_info") && sh.sh_type != SHT_NOBITS)
			return true;
	}
	return false;
}

struct dw_kernel *dw_kernel_get(struct session *s, const char **why)
{
	struct kinfo *ki = kinfo_get(s);
	struct vec cands = { 0 }, dirs = { 0 };
	const char *env = getenv("STAP_VMLINUX");
	struct dw_kernel *k;

	*why = NULL;
	if (ki->dwarf_tried) {
		if (!ki->dwarf)
			*why = "missing";
		return ki->dwarf;
	}
	ki->dwarf_tried = true;
	if (env && *env)
		vec_push(&cands, (void *)env);
	vec_push(&cands, xasprintf("%s/vmlinux", ki->build_dir));
	vec_push(&cands, xasprintf("%s/.debug/vmlinux", ki->build_dir));
	vec_push(&cands, xasprintf("/usr/lib/debug/boot/vmlinux-%s", ki->release));
	vec_push(&cands, xasprintf("/usr/lib/debug/lib/modules/%s/vmlinux",
				   ki->release));
	vec_push(&cands, xasprintf("/boot/vmlinux-%s", ki->release));
	vec_push(&cands, xasprintf("/lib/modules/%s/vmlinux", ki->release));
	kinfo_cache_dirs(s, &dirs);
	vec_each(&dirs, i)
		vec_push(&cands, xasprintf("%s/vmlinux", (char *)dirs.v[i]));
	elf_version(EV_CURRENT);
	vec_each(&cands, i) {
		const char *p = cands.v[i];
		int fd = open(p, O_RDONLY);
		Elf *elf;
		Dwarf *dw;

		if (fd < 0)
			continue;
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (!elf || !has_debug_info(elf)) {
			if (elf)
				elf_end(elf);
			close(fd);
			continue;
		}
		dw = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
		if (!dw) {
			elf_end(elf);
			close(fd);
			continue;
		}
		k = xcalloc(1, sizeof(*k));
		k->path = xstrdup(p);
		k->fd = fd;
		k->elf = elf;
		k->dw = dw;
		read_symtab(k);
		ki->dwarf = k;
		break;
	}
	vec_free(&cands);
	vec_free(&dirs);
	if (!ki->dwarf)
		*why = "missing";
	return ki->dwarf;
}

int dw_ftrace_site(const struct dw_kernel *k, uint64_t addr)
{
	if (!k->nmcount)
		return -1;
	return bsearch(&addr, k->mcount, k->nmcount, sizeof(addr),
		       cmp_u64) != NULL;
}

static bool kp_blacklisted(const struct dw_kernel *k, uint64_t addr)
{
	return bsearch(&addr, k->kpblack, k->nkpblack, sizeof(addr),
		       cmp_u64) != NULL;
}

/* strcmp(s, the first len bytes of name) */
static int cmp_name_len(const char *s, const char *name, size_t len)
{
	int c = strncmp(s, name, len);

	return c ? c : s[len] != '\0';
}

int dw_sym_named(const struct dw_kernel *k, const char *name, size_t len)
{
	int lo = 0, hi = k->nfuncs;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (cmp_name_len(k->funcs[mid].name, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < k->nfuncs && !cmp_name_len(k->funcs[lo].name, name, len) ?
	       lo : -1;
}

int dw_syms_upto(const struct dw_kernel *k, uint64_t addr)
{
	int lo = 0, hi = k->nfuncs;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (k->by_addr[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * What the kernel's check_kprobe_address_safe() refuses: a jump label,
 * static call or BUG() instruction, and (within_kprobe_blacklist()) an
 * address in a NOKPROBE_SYMBOL function, or in a suffixed part of one
 * ("nmi_handle.part.0", "do_trap.cold": the name up to its first '.').
 */
bool dw_kprobe_refused(const struct dw_kernel *k, uint64_t addr)
{
	const char *name, *dot;
	int lo, i;

	if (k->nkpinsn && bsearch(&addr, k->kpinsn, k->nkpinsn, sizeof(addr),
				  cmp_u64))
		return true;
	if (!k->nkpblack || !k->by_addr)
		return false;
	lo = dw_syms_upto(k, addr);
	if (!lo)
		return false;
	if (kp_blacklisted(k, k->by_addr[lo - 1].addr))
		return true;
	/* the kernel's kprobe_lookup_name() of the base name: its first
	 * symbol in address order (funcs is sorted by name, then address) */
	name = k->by_addr[lo - 1].name;
	dot = strchr(name, '.');
	if (!dot || dot == name)
		return false;
	i = dw_sym_named(k, name, dot - name);
	return i >= 0 && kp_blacklisted(k, k->funcs[i].addr);
}

const char *dw_blocked(struct dw_kernel *k, const struct dw_func *f)
{
	if (k->stext && k->etext && (f->entry < k->stext || f->entry >= k->etext))
		return "outside kernel text";
	for (int i = 0; i < k->nblocked; i++)
		if (f->entry >= k->blocked[i].lo && f->entry < k->blocked[i].hi)
			return "in a section kprobes cannot probe";
	/* NOKPROBE_SYMBOL functions pass, as in stap 4.8: the kernel
	 * refuses them at registration (a warning) */
	return NULL;
}

bool dw_exported(struct dw_kernel *k, const char *name)
{
	return k->nexports && bsearch(&name, k->exports, k->nexports,
				      sizeof(char *), cmp_str) != NULL;
}
