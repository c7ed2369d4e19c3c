/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmod.c - find modules through modules.dep; read their symbol tables */
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/kmod.h"
#include "util/vec.h"
#include "util/xalloc.h"

/* modules.dep names modules by file: dashes and underscores are one */
static bool same_modname(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; a[i] && i < blen; i++) {
		char x = a[i] == '-' ? '_' : a[i];
		char y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return !a[i] && i == blen;
}

/* calls fn(name, namelen, relpath) for each module of modules.dep */
static void each_module(struct session *s,
			bool (*fn)(void *arg, const char *name, size_t len,
				   const char *rel), void *arg)
{
	struct kinfo *k = kinfo_get(s);
	char *path = xasprintf("/lib/modules/%s/modules.dep", k->release);
	FILE *f = fopen(path, "r");
	char line[4096];

	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *base, *dot;

		if (!colon)
			continue;
		*colon = 0;
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		dot = strstr(base, ".ko");
		if (!dot)
			continue;
		if (fn(arg, base, (size_t)(dot - base), line))
			break;
	}
	fclose(f);
}

struct find_arg {
	const char *want;
	char *rel;
};

static bool find_one(void *arg, const char *name, size_t len, const char *rel)
{
	struct find_arg *fa = arg;

	if (!same_modname(fa->want, name, len))
		return false;
	fa->rel = xstrdup(rel);
	return true;
}

const char *kmod_path(struct session *s, const char *name)
{
	struct find_arg fa = { name, NULL };
	char *p;

	each_module(s, find_one, &fa);
	if (!fa.rel)
		return NULL;
	p = xasprintf("/lib/modules/%s/%s", kinfo_get(s)->release, fa.rel);
	free(fa.rel);
	return p;
}

struct glob_arg {
	const char *pat;
	struct vec *out;
};

/* the module name of a file name (its '-' are '_'), if it matches */
static char *glob_match(const struct glob_arg *ga, const char *name, size_t len)
{
	char *n = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		n[i] = name[i] == '-' ? '_' : name[i];
	n[len] = 0;
	if (fnmatch(ga->pat, n, 0) == 0)
		return n;
	free(n);
	return NULL;
}

static bool glob_one(void *arg, const char *name, size_t len, const char *rel)
{
	struct glob_arg *ga = arg;
	char *n = glob_match(ga, name, len);

	if (n)
		vec_push(ga->out, n);
	return false;
}

static bool glob_path(void *arg, const char *name, size_t len,
		      const char *rel)
{
	struct glob_arg *ga = arg;
	char *n = glob_match(ga, name, len);

	if (n)
		vec_push(ga->out, xasprintf("%s\t%s", n, rel));
	free(n);
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kmod_glob_names(struct session *s, const char *pat, struct vec *out)
{
	struct glob_arg ga = { pat, out };
	int first = out->n;

	each_module(s, glob_one, &ga);
	qsort(out->v + first, out->n - first, sizeof(void *), cmp_str);
}

void kmod_glob_paths(struct session *s, const char *pat, struct vec *out)
{
	struct glob_arg ga = { pat, out };
	int first = out->n;
	const char *rel = kinfo_get(s)->release;

	each_module(s, glob_path, &ga);
	qsort(out->v + first, out->n - first, sizeof(void *), cmp_str);
	for (int i = first; i < out->n; i++) {	/* "name\tpath" -> path */
		char *e = out->v[i], *tab = strchr(e, '\t');

		out->v[i] = xasprintf("/lib/modules/%s/%s", rel, tab + 1);
		free(e);
	}
}

int kmod_glob_funcs(const char *path, const char *pat, struct vec *out)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	int first = out->n, w;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e) {
		close(fd);
		return -1;
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			const char *n;

			if (!gelf_getsym(d, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			n = elf_strptr(e, sh.sh_link, sym.st_name);
			if (!n || !*n || (strchr(n, '.') && !strchr(pat, '.')))
				continue;
			if (fnmatch(pat, n, 0) == 0)
				vec_push(out, xstrdup(n));
		}
	}
	elf_end(e);
	close(fd);
	qsort(out->v + first, out->n - first, sizeof(void *), cmp_str);
	/* unique */
	w = first;
	for (int i = first; i < out->n; i++) {
		if (w > first && !strcmp(out->v[w - 1], out->v[i])) {
			free(out->v[i]);
			continue;
		}
		out->v[w++] = out->v[i];
	}
	out->n = w;
	return 0;
}
