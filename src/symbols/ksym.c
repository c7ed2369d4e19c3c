/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ksym.c - load and query System.map / kallsyms */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/ksym.h"
#include "util/file.h"
#include "util/vec.h"
#include "util/xalloc.h"

/* a Debian stub map has a handful of lines; a real one tens of thousands */
#define KSYM_MIN_REAL 1000

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_name(const void *a, const void *b)
{
	const struct ksym *x = *(struct ksym *const *)a;
	const struct ksym *y = *(struct ksym *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* parse "ADDR T name[\t[module]]" lines in place; module symbols skipped */
static struct ksymtab *parse_map(char *buf, const char *path)
{
	struct ksymtab *t = xcalloc(1, sizeof(*t));
	int cap = 65536;
	char *p = buf;
	bool all_zero = true;

	t->path = xstrdup(path);
	t->syms = xmalloc(cap * sizeof(*t->syms));
	while (*p) {
		char *eol = strchr(p, '\n'), *name, *q;
		uint64_t a = 0;
		int h;

		if (eol)
			*eol = 0;
		for (q = p; (h = hexval(*q)) >= 0; q++)
			a = a << 4 | (uint64_t)h;
		if (q > p && q[0] == ' ' && q[1] && q[2] == ' ' && q[3]) {
			name = q + 3;
			q = strchr(name, '\t');
			if (q)
				*q = 0;	/* "\t[module]": not the kernel's */
			if (!q) {
				if (t->n == cap) {
					cap *= 2;
					t->syms = xrealloc(t->syms,
						cap * sizeof(*t->syms));
				}
				t->syms[t->n].name = name;
				t->syms[t->n].addr = a;
				t->syms[t->n].type = name[-2];
				t->n++;
				if (a)
					all_zero = false;
			}
		}
		if (!eol)
			break;
		p = eol + 1;
	}
	if (t->n < KSYM_MIN_REAL || all_zero) {	/* stub, or kptr_restrict */
		free(t->syms);
		free(t);
		return NULL;
	}
	qsort(t->syms, t->n, sizeof(*t->syms), cmp_addr);
	t->by_name = xmalloc(t->n * sizeof(*t->by_name));
	for (int i = 0; i < t->n; i++)
		t->by_name[i] = &t->syms[i];
	qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	return t;
}

static uint64_t addr_of(const struct ksymtab *t, const char *name)
{
	const struct ksym *k = ksym_lookup(t, name, NULL);

	return k ? k->addr : 0;
}

static void add_block(struct ksymtab *t, const char *lo, const char *hi)
{
	uint64_t a = addr_of(t, lo), b = addr_of(t, hi);

	if (a && b > a && t->nblocked < (int)(sizeof(t->blocked) /
					      sizeof(t->blocked[0]))) {
		t->blocked[t->nblocked].lo = a;
		t->blocked[t->nblocked].hi = b;
		t->nblocked++;
	}
}

static void find_text(struct ksymtab *t)
{
	t->stext = addr_of(t, "_stext");
	t->etext = addr_of(t, "_etext");
	add_block(t, "__kprobes_text_start", "__kprobes_text_end");
	add_block(t, "__entry_text_start", "__entry_text_end");
	add_block(t, "__irqentry_text_start", "__irqentry_text_end");
	add_block(t, "__softirqentry_text_start", "__softirqentry_text_end");
	add_block(t, "__noinstr_text_start", "__noinstr_text_end");
	add_block(t, "__cpuidle_text_start", "__cpuidle_text_end");
	add_block(t, "_sinittext", "_einittext");
}

static struct ksymtab *load_file(const char *path)
{
	size_t len;
	char *buf = file_read(path, &len);
	struct ksymtab *t;

	if (!buf)
		return NULL;
	t = parse_map(buf, path);
	if (!t) {
		free(buf);
		return NULL;
	}
	find_text(t);
	return t;		/* buf stays: names point into it */
}

const struct ksymtab *ksym_kernel(struct session *s)
{
	struct kinfo *k = kinfo_get(s);
	struct vec cands = { 0 }, dirs = { 0 };
	const char *env = getenv("STAP_SYSTEM_MAP");
	struct utsname u;

	if (k->symtab_tried)
		return k->symtab;
	k->symtab_tried = true;
	if (env && *env)
		vec_push(&cands, (void *)env);
	vec_push(&cands, xasprintf("%s/System.map", k->build_dir));
	vec_push(&cands, xasprintf("/boot/System.map-%s", k->release));
	vec_push(&cands, xasprintf("/usr/lib/debug/boot/System.map-%s",
				   k->release));
	kinfo_cache_dirs(s, &dirs);
	vec_each(&dirs, i)
		vec_push(&cands, xasprintf("%s/System.map", (char *)dirs.v[i]));
	if (uname(&u) == 0 && !strcmp(u.release, k->release))
		vec_push(&cands, "/proc/kallsyms");
	vec_each(&cands, i) {
		struct stat st;
		const char *p = cands.v[i];

		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		k->symtab = load_file(p);
		if (k->symtab)
			break;
	}
	vec_free(&cands);
	vec_free(&dirs);
	return k->symtab;
}

const struct ksym *ksym_lookup(const struct ksymtab *t, const char *name,
			       int *count)
{
	int lo = 0, hi = t->n, first;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (strcmp(t->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < t->n && !strcmp(t->by_name[lo]->name, name))
		lo++;
	if (count)
		*count = lo - first;
	return lo > first ? t->by_name[first] : NULL;
}

static bool is_func(const struct ksymtab *t, const struct ksym *k)
{
	switch (k->type) {
	case 't': case 'T': case 'w': case 'W':
		break;
	default:
		return false;
	}
	if (t->stext && t->etext && (k->addr < t->stext || k->addr >= t->etext))
		return false;
	return true;
}

void ksym_glob_funcs(const struct ksymtab *t, const char *pat,
		     struct vec *out)
{
	bool dots = strchr(pat, '.') != NULL;
	const char *last = NULL;

	for (int i = 0; i < t->n; i++) {
		const struct ksym *k = t->by_name[i];

		if (last && !strcmp(last, k->name))
			continue;
		if (!is_func(t, k))
			continue;
		/* compiler clones (foo.isra.0, foo.cold) only when asked */
		if (!dots && strchr(k->name, '.'))
			continue;
		if (fnmatch(pat, k->name, 0) != 0)
			continue;
		if (ksym_addr_blocked(t, k->addr))
			continue;
		vec_push(out, (void *)k);
		last = k->name;
	}
}

const struct ksym *ksym_at(const struct ksymtab *t, uint64_t addr)
{
	int lo = 0, hi = t->n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		const struct ksym *k = &t->syms[--lo];

		if (is_func(t, k))
			return k;
		if (k->addr < addr && k->type != 't' && k->type != 'T')
			break;
	}
	return NULL;
}

bool ksym_addr_blocked(const struct ksymtab *t, uint64_t addr)
{
	if (t->stext && t->etext && (addr < t->stext || addr >= t->etext))
		return true;
	for (int i = 0; i < t->nblocked; i++)
		if (addr >= t->blocked[i].lo && addr < t->blocked[i].hi)
			return true;
	return false;
}
