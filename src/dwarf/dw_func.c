/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw_func.c - kernel functions by pattern: name globs go through the ELF
 * symbol table and the CU holding each address (fast); file globs walk the
 * DIEs of the CUs of that file, which also finds inlined instances.
 */
#include <dwarf.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf/dw.h"
#include "session.h"
#include "util/progress.h"
#include "util/glob.h"
#include "util/vec.h"
#include "util/xalloc.h"

static bool name_ok(const char *pat, const char *n)
{
	return n && (glob_has_wild(pat) ? !fnmatch(pat, n, 0) : !strcmp(pat, n));
}

/* kbuild-relative file name */
static const char *rel_file(const char *f)
{
	const char *p;

	if (!f)
		return "";
	if (f[0] == '/' && (p = strstr(f, "/linux-"))) {
		p = strchr(p + 1, '/');
		if (p)
			return p + 1;
	}
	while (f[0] == '.' && f[1] == '/')
		f += 2;
	return f;
}

static const char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &a));
}

static bool die_decl(Dwarf_Die *d, const char **file, int *line)
{
	*file = rel_file(dwarf_decl_file(d));
	*line = 0;
	dwarf_decl_line(d, line);
	return true;
}

static void add(struct vec *out, Dwarf_Die *d, const char *name, uint64_t pc,
		bool inl)
{
	struct dw_func *f = xcalloc(1, sizeof(*f));

	f->name = xstrdup(name);
	die_decl(d, &f->file, &f->line);
	f->file = xstrdup(f->file);
	f->entry = pc;
	f->func_entry = pc;
	f->inlined = inl;
	f->die = dwarf_dieoffset(d);
	vec_push(out, f);
}

/* concrete subprogram with code: its entry pc (hot/cold split functions
 * have only DW_AT_ranges: the first range is the entry part) */
static bool concrete_pc(Dwarf_Die *d, uint64_t *pc)
{
	Dwarf_Addr a, base, start, end;

	if (dwarf_hasattr(d, DW_AT_declaration))
		return false;
	if (dwarf_entrypc(d, &a) != 0 && dwarf_lowpc(d, &a) != 0) {
		if (dwarf_ranges(d, 0, &base, &start, &end) <= 0)
			return false;
		a = start;
	}
	*pc = a;
	return a != 0;
}

/* inlined instances under d, recursively */
static void walk_inlines(Dwarf_Die *d, const char *fglob, const char *file,
			 struct vec *out)
{
	Dwarf_Die ch;

	if (dwarf_child(d, &ch) != 0)
		return;
	do {
		int tag = dwarf_tag(&ch);

		if (tag == DW_TAG_inlined_subroutine) {
			const char *n = die_name(&ch), *f;
			int line;
			Dwarf_Addr pc;

			die_decl(&ch, &f, &line);
			if (name_ok(fglob, n) && (!file || !fnmatch(file, f, 0)) &&
			    (dwarf_entrypc(&ch, &pc) == 0 ||
			     dwarf_lowpc(&ch, &pc) == 0 ||
			     concrete_pc(&ch, &pc)))
				add(out, &ch, n, pc, true);
		}
		if (tag == DW_TAG_inlined_subroutine ||
		    tag == DW_TAG_lexical_block)
			walk_inlines(&ch, fglob, file, out);
	} while (dwarf_siblingof(&ch, &ch) == 0);
}

static bool has_symbol_named(struct dw_kernel *k, const char *n)
{
	return dw_sym_named(k, n, strlen(n)) >= 0;
}

/*
 * Is the concrete DIE n at pc the function itself?  Its symbol is there
 * under its name, or under a GCC clone name (n.constprop.0, n.isra.0)
 * when that clone is all there is; .part/.cold pieces and clones beside
 * the real one are not.
 */
static bool real_copy(struct dw_kernel *k, const char *n, uint64_t pc)
{
	int lo = 0, hi = k->nfuncs;
	size_t len = strlen(n);
	bool clone = false;

	if (!k->by_addr)
		return true;
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (k->by_addr[mid].addr < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->nfuncs && k->by_addr[lo].addr == pc; lo++) {
		const char *sn = k->by_addr[lo].name;

		if (!strcmp(sn, n))
			return true;
		if (!strncmp(sn, n, len) && sn[len] == '.' &&
		    !strstr(sn + len, ".cold") && !strstr(sn + len, ".part."))
			clone = true;
	}
	return clone && !has_symbol_named(k, n);
}

static void scan_cu(struct dw_kernel *k, Dwarf_Die *cu, const char *fglob,
		    const char *file, bool concrete, bool inl, struct vec *out)
{
	Dwarf_Die ch;

	if (dwarf_child(cu, &ch) != 0)
		return;
	do {
		const char *n, *f;
		int line;
		uint64_t pc;

		if (dwarf_tag(&ch) != DW_TAG_subprogram)
			continue;
		if (inl)
			walk_inlines(&ch, fglob, file, out);
		if (!concrete || !concrete_pc(&ch, &pc))
			continue;
		n = die_name(&ch);
		if (!name_ok(fglob, n) || !real_copy(k, n, pc))
			continue;
		die_decl(&ch, &f, &line);
		if (file && fnmatch(file, f, 0))
			continue;
		add(out, &ch, n, pc, false);
	} while (dwarf_siblingof(&ch, &ch) == 0);
}

/* the concrete DIE of function symbol (name, addr) */
static void by_symbol(struct dw_kernel *k, const struct dw_sym *sym,
		      struct vec *out)
{
	Dwarf_Die cu, ch;

	if (!dwarf_addrdie(k->dw, sym->addr, &cu) || dwarf_child(&cu, &ch))
		return;
	do {
		uint64_t pc;

		if (dwarf_tag(&ch) != DW_TAG_subprogram ||
		    !concrete_pc(&ch, &pc) || pc != sym->addr)
			continue;
		if (!name_ok(sym->name, die_name(&ch)))
			continue;
		add(out, &ch, sym->name, pc, false);
		return;
	} while (dwarf_siblingof(&ch, &ch) == 0);
}

/* inlined copies of fglob in every CU that declares such an inline */
static void inlines_everywhere(struct dw_kernel *k, const char *fglob,
			       struct vec *out)
{
	Dwarf_Off off = 0, next;
	size_t hsz;

	while (dwarf_nextcu(k->dw, off, &next, &hsz, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, ch;
		bool hit = false;

		if (dwarf_offdie(k->dw, off + hsz, &cu) &&
		    dwarf_child(&cu, &ch) == 0) {
			do {
				if (dwarf_tag(&ch) == DW_TAG_subprogram &&
				    dwarf_hasattr(&ch, DW_AT_inline) &&
				    name_ok(fglob, dwarf_diename(&ch)))
					hit = true;
			} while (!hit && dwarf_siblingof(&ch, &ch) == 0);
		}
		if (hit)
			scan_cu(k, &cu, fglob, NULL, false, true, out);
		off = next;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void push_name(struct dw_kernel *k, const char *n, int *cap)
{
	if (k->ndwnames == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		k->dwnames = xrealloc(k->dwnames, *cap * sizeof(char *));
	}
	k->dwnames[k->ndwnames++] = n;
}

/* the entry addresses and the names of every function defined in k's
 * DWARF, once */
static void dwarf_entries(struct dw_kernel *k)
{
	int ncap = 0;

	Dwarf_Off off = 0, next;
	size_t hsz;
	int cap = 0;

	if (k->dwentries)
		return;
	for (; dwarf_nextcu(k->dw, off, &next, &hsz, NULL, NULL, NULL) == 0;
	     off = next) {
		Dwarf_Die cu, ch;

		if (!dwarf_offdie(k->dw, off + hsz, &cu) ||
		    dwarf_child(&cu, &ch) != 0)
			continue;
		do {
			uint64_t pc;
			const char *n;

			if (dwarf_tag(&ch) != DW_TAG_subprogram ||
			    dwarf_hasattr(&ch, DW_AT_declaration))
				continue;
			if ((n = die_name(&ch)))
				push_name(k, n, &ncap);
			/* a hot/cold split one (DW_AT_ranges) does not
			 * claim its symbol: stap lists both */
			if (dwarf_lowpc(&ch, &pc) != 0)
				continue;
			if (k->ndwentries == cap) {
				cap = cap ? 2 * cap : 1024;
				k->dwentries = xrealloc(k->dwentries,
							cap * sizeof(uint64_t));
			}
			k->dwentries[k->ndwentries++] = pc;
		} while (dwarf_siblingof(&ch, &ch) == 0);
	}
	if (!k->dwentries)
		k->dwentries = xcalloc(1, sizeof(uint64_t));
	qsort(k->dwentries, k->ndwentries, sizeof(uint64_t), cmp_u64);
	if (!k->dwnames)
		k->dwnames = xcalloc(1, sizeof(char *));
	qsort(k->dwnames, k->ndwnames, sizeof(char *), cmp_name);
}

/*
 * A module's function symbols at no DWARF function's entry and named
 * after none (static call
 * trampolines, assembly, GCC's .cold pieces and some clones), named by
 * the symbol table alone as stap lists them: no file, no line, no
 * variables (die 0).
 */
static void symbols_only(struct dw_kernel *k, const char *fglob,
			 struct vec *out)
{
	dwarf_entries(k);
	for (int i = 0; i < k->nfuncs; i++) {
		const struct dw_sym *sym = &k->funcs[i];
		struct dw_func *f;

		if ((i && !strcmp(sym->name, k->funcs[i - 1].name)) ||
		    !name_ok(fglob, sym->name) ||
		    bsearch(&sym->addr, k->dwentries, k->ndwentries,
			    sizeof(uint64_t), cmp_u64) ||
		    bsearch(&sym->name, k->dwnames, k->ndwnames,
			    sizeof(char *), cmp_name))
			continue;
		f = xcalloc(1, sizeof(*f));
		f->name = xstrdup(sym->name);
		f->file = "";
		f->entry = sym->addr;
		f->func_entry = sym->addr;
		vec_push(out, f);
	}
}

static int cmp_func(const void *a, const void *b)
{
	const struct dw_func *x = *(struct dw_func *const *)a;
	const struct dw_func *y = *(struct dw_func *const *)b;
	int c = strcmp(x->name, y->name);

	if (!c)
		c = strcmp(x->file, y->file);
	if (!c)
		c = x->line - y->line;
	if (!c)
		c = (x->entry > y->entry) - (x->entry < y->entry);
	return c;
}

static void find_funcs(struct session *s, struct dw_kernel *k, const char *fglob,
		       const char *file, bool concrete, bool inl, struct vec *out)
{
	int first = out->n, w;
	bool any_cu = false;
	Dwarf_Off off = 0, next;
	size_t hsz;

	(void)s;
	if (!k->dw)		/* a module without debuginfo: symbols */
		goto sort;
	if (!file && concrete && glob_has_wild(fglob)) {
		/* a pattern: every CU's top level (cheaper than a lookup per
		 * matching symbol), then the inlined copies */
		for (off = 0; dwarf_nextcu(k->dw, off, &next, &hsz, NULL, NULL,
					   NULL) == 0; off = next) {
			Dwarf_Die cu;

			if (dwarf_offdie(k->dw, off + hsz, &cu))
				scan_cu(k, &cu, fglob, NULL, true, false, out);
		}
		if (inl)
			inlines_everywhere(k, fglob, out);
		goto sort;
	}
	if (!file && concrete) {
		/* a name through the symbol table */
		for (int i = 0; i < k->nfuncs; i++) {
			const struct dw_sym *sym = &k->funcs[i];

			if (i && !strcmp(sym->name, k->funcs[i - 1].name) &&
			    sym->addr == k->funcs[i - 1].addr)
				continue;
			const char *dot = strchr(sym->name, '.');

			if (dot && !strchr(fglob, '.')) {
				/* foo.constprop.0 / foo.isra.0: DWARF calls it
				 * foo; foo.cold is no entry */
				struct dw_sym base = *sym;
				char *n;

				if (strstr(dot, ".cold") || strstr(dot, ".part."))
					continue;
				n = xasprintf("%.*s", (int)(dot - sym->name),
					      sym->name);
				base.name = n;
				if (name_ok(fglob, n))
					by_symbol(k, &base, out);
				free(n);
				continue;
			}
			if (name_ok(fglob, sym->name))
				by_symbol(k, sym, out);
		}
		if (inl)
			inlines_everywhere(k, fglob, out);
		goto sort;
	}
	/* CUs of the file first; every CU when none is named so */
	for (int pass = 0; pass < 2; pass++) {
		off = 0;
		while (dwarf_nextcu(k->dw, off, &next, &hsz, NULL, NULL,
				    NULL) == 0) {
			Dwarf_Die cu;
			const char *cn;

			if (dwarf_offdie(k->dw, off + hsz, &cu)) {
				cn = rel_file(dwarf_diename(&cu));
				if (pass == 1 || (file && !fnmatch(file, cn, 0))) {
					any_cu = true;
					scan_cu(k, &cu, fglob, file, concrete,
						inl, out);
				}
			}
			off = next;
		}
		if (any_cu)
			break;
	}
sort:
	if (k->module && !file && concrete)
		symbols_only(k, fglob, out);
	qsort(out->v + first, out->n - first, sizeof(void *), cmp_func);
	/* one per name+file+line+address */
	w = first;
	for (int i = first; i < out->n; i++) {
		if (w > first && !cmp_func(&out->v[w - 1], &out->v[i]) &&
		    ((struct dw_func *)out->v[w - 1])->inlined ==
		    ((struct dw_func *)out->v[i])->inlined)
			continue;
		out->v[w++] = out->v[i];
	}
	out->n = w;
}

/* a pattern walks every CU: on a terminal, say so while it takes long */
void dw_find_funcs(struct session *s, struct dw_kernel *k, const char *fglob,
		   const char *file, bool concrete, bool inl, struct vec *out)
{
	struct progress *pr = progress_start("Pass 2: scanning debuginfo",
					     s ? s->verbose[1] : 1);

	find_funcs(s, k, fglob, file, concrete, inl, out);
	progress_stop(pr);
}

bool dw_func_die(struct dw_kernel *k, const struct dw_func *f, Dwarf_Die *out)
{
	return f->die && dwarf_offdie(k->dw, f->die, out) != NULL;
}

/* ---- variables ---------------------------------------------------------- */

static bool seen(struct vec *out, const char *n)
{
	vec_each(out, i)
		if (!strcmp(((struct dw_var *)out->v[i])->name, n))
			return true;
	return false;
}

static void collect(Dwarf_Die *d, bool params, bool locals, struct vec *out,
		    int depth, uint64_t pc)
{
	Dwarf_Die ch;

	if (dwarf_child(d, &ch) != 0)
		return;
	do {
		int tag = dwarf_tag(&ch);
		const char *n;

		if ((tag == DW_TAG_formal_parameter && params && !depth) ||
		    (tag == DW_TAG_variable && locals)) {
			n = die_name(&ch);
			if (n && !seen(out, n)) {
				struct dw_var *v = xcalloc(1, sizeof(*v));

				v->name = n;
				v->die = dwarf_dieoffset(&ch);
				v->param = tag == DW_TAG_formal_parameter;
				vec_push(out, v);
			}
		} else if (tag == DW_TAG_lexical_block && locals &&
			   dwarf_haspc(&ch, pc) == 1) {
			/* only the blocks in scope at the probe */
			collect(&ch, false, locals, out, depth + 1, pc);
		}
	} while (dwarf_siblingof(&ch, &ch) == 0);
}

void dw_func_vars_listed(struct dw_kernel *k, const struct dw_func *f,
			 struct vec *out)
{
	Dwarf_Die d;

	if (!dw_func_die(k, f, &d))
		return;
	collect(&d, true, false, out, 0, f->entry);
	collect(&d, false, true, out, 0, 0);	/* pc 0: in no block */
}

void dw_func_vars(struct dw_kernel *k, const struct dw_func *f, bool locals,
		  struct vec *out)
{
	Dwarf_Die d;

	if (!dw_func_die(k, f, &d))
		return;
	collect(&d, true, false, out, 0, f->entry);
	if (locals)
		collect(&d, false, true, out, 0, f->entry);
}

/* ---- types -------------------------------------------------------------- */

bool dw_die_type(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, DW_AT_type, &a) &&
	       dwarf_formref_die(&a, type) != NULL;
}

struct strbuf_lite {
	char buf[512];
	size_t len;
};

static void type_name(Dwarf_Die *t, struct strbuf_lite *sb);

static void put(struct strbuf_lite *sb, const char *s)
{
	size_t n = strlen(s);

	if (sb->len + n >= sizeof(sb->buf))
		n = sizeof(sb->buf) - 1 - sb->len;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

static void type_name(Dwarf_Die *t, struct strbuf_lite *sb)
{
	Dwarf_Die sub;
	const char *n = dwarf_diename(t);
	bool has = dw_die_type(t, &sub);

	switch (dwarf_tag(t)) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
		put(sb, n ? n : "?");
		return;
	case DW_TAG_structure_type:
		put(sb, "struct ");
		put(sb, n ? n : "{...}");
		return;
	case DW_TAG_union_type:
		put(sb, "union ");
		put(sb, n ? n : "{...}");
		return;
	case DW_TAG_enumeration_type:
		put(sb, "enum ");
		put(sb, n ? n : "{...}");
		return;
	case DW_TAG_pointer_type:
		if (has && dwarf_tag(&sub) == DW_TAG_subroutine_type) {
			Dwarf_Die r, p;
			bool first = true;

			if (dw_die_type(&sub, &r))
				type_name(&r, sb);
			else
				put(sb, "void");
			put(sb, " (*) (");
			if (dwarf_child(&sub, &p) == 0) {
				do {
					Dwarf_Die pt;

					if (dwarf_tag(&p) != DW_TAG_formal_parameter)
						continue;
					if (!first)
						put(sb, ", ");
					first = false;
					if (dw_die_type(&p, &pt))
						type_name(&pt, sb);
				} while (dwarf_siblingof(&p, &p) == 0);
			}
			put(sb, ")");
			return;
		}
		if (has)
			type_name(&sub, sb);
		else
			put(sb, "void");
		put(sb, "*");
		return;
	case DW_TAG_const_type:
		if (has)
			type_name(&sub, sb);
		else
			put(sb, "void");
		put(sb, " const");
		return;
	case DW_TAG_volatile_type:
		if (has)
			type_name(&sub, sb);
		else
			put(sb, "void");
		put(sb, " volatile");
		return;
	case DW_TAG_array_type:
		if (has)
			type_name(&sub, sb);
		put(sb, "[]");
		return;
	case DW_TAG_subroutine_type:
		put(sb, "void");	/* function type itself */
		return;
	default:
		if (has) {
			type_name(&sub, sb);	/* restrict, atomic, ... */
			return;
		}
		put(sb, n ? n : "?");
	}
}

char *dw_type_name(Dwarf_Die *type)
{
	struct strbuf_lite sb = { "", 0 };

	if (!type)
		return NULL;
	type_name(type, &sb);
	return xstrdup(sb.buf);
}

bool dw_var_at(Dwarf_Die *var, uint64_t pc)
{
	Dwarf_Attribute a;
	Dwarf_Op *ops;
	size_t n;

	if (dwarf_attr_integrate(var, DW_AT_const_value, &a))
		return true;
	if (!dwarf_attr_integrate(var, DW_AT_location, &a))
		return false;
	return dwarf_getlocation_addr(&a, pc, &ops, &n, 1) > 0 && n > 0;
}

void dw_func_lines(struct dw_kernel *k, const struct dw_func *f, int lo,
		   int hi, struct vec *out)
{
	Dwarf_Die d, cu;
	Dwarf_Lines *lines;
	size_t n;
	int first = out->n;

	if (!dw_func_die(k, f, &d) || !dwarf_diecu(&d, &cu, NULL, NULL) ||
	    dwarf_getsrclines(&cu, &lines, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		int line;
		bool stmt = false, dup = false;
		const char *src;

		if (!l || dwarf_lineaddr(l, &a) || dwarf_lineno(l, &line) ||
		    dwarf_linebeginstatement(l, &stmt))
			continue;
		if ((lo || hi) && (line < lo || line > hi))
			continue;
		if (line < f->line)
			continue;	/* an inlined callee's lines */
		src = rel_file(dwarf_linesrc(l, NULL, NULL));
		if (strcmp(src, f->file) || dwarf_haspc(&d, a) != 1)
			continue;
		for (int j = first; j < out->n; j++) {
			struct dw_func *o = out->v[j];

			if (o->stmt_line == line) {
				if (a < o->entry)
					o->entry = a;
				dup = true;
			}
		}
		if (!dup) {
			struct dw_func *c = xmalloc(sizeof(*c));

			*c = *f;
			c->entry = a;
			c->stmt_line = line;
			vec_push(out, c);
		}
	}
}
