/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dwarf.c - pass 2 of the DWARF family:
 *   kernel.function("func[@file[:line]]")[.call|.return[.maxactive(N)]|
 *                   .inline|.exported]
 * Functions come from the kernel's debuginfo (src/dwarf/), context
 * variables ($param, $local, $var->a->b, $return, $$parms ...) from the
 * DIEs of each probed function.  Registration is a kprobe per function
 * (probes/kprobe.h layout), emitted by dwarf_emit.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dwarf/dw.h"
#include "elaborate/elab.h"
#include "probes/blocklist.h"
#include "probes/dwarf.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/kmod.h"
#include "util/arena.h"
#include "util/glob.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

extern const struct provider dwarf_provider;

static const char *const dwarf_patterns[] = {
	"kernel.function(string)",
	"kernel.function(string).call",
	"kernel.function(string).exported",
	"kernel.function(string).inline",
	"kernel.function(string).return",
	"kernel.function(string).return.maxactive(number)",
	"kernel.statement(string)",
	"kernel.statement(number)",
	"kernel.statement(number).absolute",
	"module(string).function(string)",
	"module(string).function(string).call",
	"module(string).function(string).return",
	"module(string).function(string).return.maxactive(number)",
	"module(string).function(string).inline",
	"module(string).function(string).exported",
	"module(string).statement(string)",
	NULL,
};

enum { DWK_PLAIN, DWK_CALL, DWK_RETURN, DWK_INLINE, DWK_EXPORTED,
       DWK_STATEMENT };

struct dw_req {
	char *func, *file;
	int line_lo, line_hi;		/* 0: any */
	int kind;
	int64_t maxactive;
};

static int parse_req(const struct probe_point *pp, struct dw_req *r)
{
	const struct pp_comp *c1 = pp_comp_at(pp, 1), *c2 = pp_comp_at(pp, 2);
	const struct pp_comp *c3 = pp_comp_at(pp, 3);
	char *at, *colon;

	memset(r, 0, sizeof(*r));
	r->maxactive = -1;
	if (c1 && !strcmp(c1->name, "statement") && c1->arg &&
	    c1->arg->kind == E_STR && !c2)
		r->kind = DWK_STATEMENT;
	else if (!c1 || strcmp(c1->name, "function") || !c1->arg ||
		 c1->arg->kind != E_STR)
		return 0;
	r->func = xstrdup(c1->arg->str);
	at = strchr(r->func, '@');
	if (at) {
		*at = 0;
		r->file = at + 1;
		colon = strchr(r->file, ':');
		if (colon) {
			*colon = 0;
			r->line_lo = r->line_hi = atoi(colon + 1);
			if (strchr(colon + 1, '-'))
				r->line_hi = atoi(strchr(colon + 1, '-') + 1);
		}
		if (!*r->file)
			r->file = NULL;
	}
	if (r->kind == DWK_STATEMENT) {
		/* func@file:N, :N-M or :* */
		if (!at || !colon)
			return -1;
		if (colon[1] == '*')
			r->line_lo = r->line_hi = 0;
		return 1;
	}
	if (!c2) {
		r->kind = DWK_PLAIN;
	} else if (!strcmp(c2->name, "call")) {
		r->kind = DWK_CALL;
	} else if (!strcmp(c2->name, "return")) {
		r->kind = DWK_RETURN;
		if (c3 && !strcmp(c3->name, "maxactive") && c3->arg)
			r->maxactive = c3->arg->num;
	} else if (!strcmp(c2->name, "inline")) {
		r->kind = DWK_INLINE;
	} else if (!strcmp(c2->name, "exported")) {
		r->kind = DWK_EXPORTED;
	} else {
		return 0;
	}
	return 1;
}

static const char *suffix(const struct dw_req *r)
{
	static const char *const s[] = { "", ".call", ".return", ".inline",
					  ".exported", "" };

	return s[r->kind];
}

static void missing(struct session *s, const struct probe_point *pp)
{
	struct kinfo *k = kinfo_get(s);

	pp_error(s, pp, "missing x86_64 kernel/module debuginfo "
		 "[man warning::debuginfo] under '%s' (tools/fetch-debuginfo "
		 "%s gets the reference kernel's)", k->build_dir, k->release);
}

static int statement_addr(struct session *s, const struct probe_point *pp,
			  struct vec *out, bool quiet);

static void missing_module(struct session *s, const struct probe_point *pp,
			   const char *mod, const char *why)
{
	struct kinfo *k = kinfo_get(s);

	if (!strcmp(why, "not found")) {
		pp_error(s, pp, "module '%s' not found in /lib/modules/%s "
			 "(modules.dep)", mod, k->release);
		return;
	}
	pp_error(s, pp, "missing x86_64 kernel/module debuginfo "
		 "[man warning::debuginfo] for module '%s' under '%s' "
		 "(tools/fetch-debuginfo --module %s %s gets the reference "
		 "kernel's)", mod, k->build_dir, mod, k->release);
}

/* x86's kretprobe blacklist: a task switch returns on another stack */
static bool ret_refused(const char *name)
{
	return !strcmp(name, "__switch_to");
}

/* the points of request r in k (vmlinux or module mod) appended to out */
static int resolve_in(struct session *s, const struct probe_point *pp,
		      struct dw_req *r, struct dw_kernel *k, const char *mod,
		      struct vec *out, bool quiet)
{
	struct vec fs = { 0 };
	int n = 0, asm_left = 0, black_left = 0, block_left = 0;
	bool wild = glob_has_wild(r->func);

	dw_find_funcs(s, k, r->func, r->file,
		      r->kind != DWK_INLINE,
		      r->kind == DWK_PLAIN || r->kind == DWK_INLINE, &fs);
	if (r->kind == DWK_STATEMENT) {
		struct vec ls = { 0 };

		vec_each(&fs, i)
			dw_func_lines(k, fs.v[i], r->line_lo, r->line_hi, &ls);
		vec_free(&fs);
		fs = ls;
	}
	vec_each(&fs, i) {
		struct dw_func *f = fs.v[i];
		struct derived_probe *dp;
		struct dwarf_point *dpp;
		struct strbuf txt = { 0 };
		const char *base = NULL;
		uint64_t base_off = 0;
		bool unique;

		if (r->kind != DWK_STATEMENT && r->line_lo &&
		    (f->line < r->line_lo || f->line > r->line_hi))
			continue;
		/* a module's symbol-only functions count as exported, as
		 * stap's symbol table fallback has them */
		if (r->kind == DWK_EXPORTED && f->die &&
		    !dw_exported(k, f->name))
			continue;
		if (dw_blocked(k, f)) {
			if (!quiet && !wild)
				diag_warn(s, &pp->loc, "function %s is in "
					  "blocklisted section", f->name);
			continue;
		}
		/* under a wildcard, the kernel's assembly routines (no
		 * declaration in the DWARF: ftrace_regs_caller, __fentry__,
		 * __switch_to_asm, ...) are left out: one kprobe on ftrace's
		 * trampoline stalls every traced call (kernel.function("*")
		 * .call wedged the guest on it).  Named exactly, they are
		 * probed; -l/-L still list them. */
		if (wild && !mod && !quiet && (!f->die || !f->file || !*f->file)) {
			asm_left++;
			continue;
		}
		/* and so are the primitives every handler runs through, as
		 * stap's blocklist leaves them out (probes/blocklist.h) */
		if (wild && !quiet && blocklisted(f->name, f->file)) {
			block_left++;
			continue;
		}
		/* and so are the points the kernel refuses: in a function of
		 * its kprobe blacklist (NOKPROBE_SYMBOL: the kprobe machinery,
		 * die/NMI paths, sched_clock...), on a jump label (trace_*()
		 * wrappers, static_branch tests), a static call or a BUG():
		 * stap 4.8 warns "registration error (rc -22)" for each (98
		 * for kernel.function("*").return), and for .return probes,
		 * __switch_to.  Named exactly, that warning is what the user
		 * gets. */
		if (wild && !mod && !quiet &&
		    (dw_kprobe_refused(k, f->entry) ||
		     (r->kind == DWK_RETURN && ret_refused(f->name)))) {
			black_left++;
			continue;
		}
		unique = !f->inlined && dwarf_symbol_unique(k, f);
		if (mod && !unique && !dw_containing_symbol(k, f->entry,
							   &base, &base_off) &&
		    !quiet) {	/* -l/-L lists it all the same */
			/* placed as "mod:sym"+offset: needs a unique name */
			if (!wild)
				diag_warn(s, &pp->loc, "cannot place a probe on "
					  "%s in module %s: no unique symbol "
					  "holds it", f->name, mod);
			continue;
		}
		dp = dp_new(s, &dwarf_provider, pp);
		if (mod)
			sb_printf(&txt, "module(\"%s\").", mod);
		else
			sb_puts(&txt, "kernel.");
		if (r->kind == DWK_STATEMENT)
			sb_printf(&txt, "statement(\"%s@%s:%d\")", f->name,
				  f->file, f->stmt_line);
		else if (!f->die)	/* a module's symbol without DWARF */
			sb_printf(&txt, "function(\"%s\")%s", f->name,
				  suffix(r));
		else
			sb_printf(&txt, "function(\"%s@%s:%d\")%s", f->name,
				  f->file, f->line, suffix(r));
		dp->pp = arena_strdup(&s->arena, sb_str(&txt));
		sb_free(&txt);
		dpp = arena_new(&s->arena, struct dwarf_point);
		dpp->func = f;
		dpp->kernel = k;
		dp->priv = dpp;
		dp->is_return = r->kind == DWK_RETURN;
		dp->num[0] = r->maxactive > 0 ? r->maxactive : 0;
		dp->num[1] = mod ? 0 : (int64_t)f->entry;
		if (unique) {
			dp->sym = f->name;
			dp->num[2] = (int64_t)(f->entry - f->func_entry);
		} else if (mod) {
			dp->sym = base;
			dp->num[2] = (int64_t)base_off;
		}
		dp->module = k->module;	/* as loaded: "mod:sym" */
		/* a function's first byte: ftrace's, when vmlinux lists it
		 * among its call sites (or cannot tell) */
		if (f->entry == f->func_entry && dw_ftrace_site(k, f->entry))
			dp->flags |= KPF_FENTRY;
		else
			dp->flags |= KPF_NOFTRACE;
		/* init code is gone once the module runs: quietly skipped */
		if (mod && f->entry >= k->init_lo && f->entry < k->init_hi)
			dp->flags |= KPF_OPTIONAL;
		if (pp->optional)
			dp->flags |= KPF_OPTIONAL;
		vec_push(out, dp);
		n++;
	}
	vec_free(&fs);
	if (asm_left && s->verbose[1])
		diag_warn(s, &pp->loc, "%d assembly function%s matching '%s' "
			  "left out; name one to probe it",
			  asm_left, asm_left == 1 ? "" : "s", r->func);
	if (block_left && s->verbose[1])
		diag_warn(s, &pp->loc, "%d probe point%s matching '%s' left "
			  "out: lock, atomic and bit primitives, kprobe and "
			  "paravirt code (name one to probe it)",
			  block_left, block_left == 1 ? "" : "s", r->func);
	if (black_left && s->verbose[1])
		diag_warn(s, &pp->loc, "%d probe point%s matching '%s' left "
			  "out: the kernel refuses kprobes there (its kprobe "
			  "blacklist, jump labels, static calls, BUG())",
			  black_left, black_left == 1 ? "" : "s", r->func);
	return n;
}

/* module(MPAT): each module of the target kernel matching it, with its
 * debuginfo (a pattern skips those without) */
static int resolve_modules(struct session *s, const struct probe_point *pp,
			   struct dw_req *r, const char *mpat,
			   struct vec *out, bool quiet)
{
	struct vec names = { 0 };
	int n = 0, first;
	bool glob = glob_has_wild(mpat);

	if (glob)
		kmod_glob_paths(s, mpat, &names);
	else
		vec_push(&names, xstrdup(mpat));
	vec_each(&names, i) {
		const char *why;
		struct dw_kernel *k = glob ? dw_module_at(s, names.v[i], &why) :
				     dw_module_get(s, names.v[i], &why);

		if (!k && !glob && !strcmp(why, "missing") &&
		    r->kind != DWK_STATEMENT && !r->file &&
		    (k = dw_module_symtab(s, names.v[i]))) {
			/* as stap: the .ko's symbol table, without $vars */
			if (!quiet && !k->warned) {
				diag_warn(s, &pp->loc, "cannot find module %s "
					  "debuginfo: No DWARF information "
					  "found [man warning::debuginfo] "
					  "(tools/fetch-debuginfo --module %s "
					  "gets it)", k->module, k->module);
				k->warned = true;
			}
		}
		if (!k) {
			if (!glob && !quiet && !pp->optional)
				missing_module(s, pp, names.v[i], why);
			if (!glob) {
				n = -1;
				break;
			}
			continue;
		}
		first = out->n;
		n += resolve_in(s, pp, r, k, glob ? k->module : mpat, out,
				quiet);
		/* a module's points are armed whenever it is loaded; with
		 * module("*") their failures stay quiet */
		for (int j = first; j < out->n; j++) {
			struct derived_probe *dp = out->v[j];

			if (glob)
				dp->flags |= KPF_OPTIONAL;
			((struct dwarf_point *)dp->priv)->kmod = true;
		}
	}
	vec_each(&names, i)
		free(names.v[i]);
	vec_free(&names);
	return n;
}

static int resolve(struct session *s, const struct probe_point *pp,
		   struct vec *out, bool quiet)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0);
	const char *mod = NULL;
	struct dw_kernel *k;
	struct dw_req r;
	const char *why;
	int n = 0;

	if (c0 && !strcmp(c0->name, "module") && c0->arg &&
	    c0->arg->kind == E_STR)
		mod = c0->arg->str;
	else if (!c0 || strcmp(c0->name, "kernel"))
		return 0;
	if (!mod && pp_comp_at(pp, 1) &&
	    !strcmp(pp_comp_at(pp, 1)->name, "statement") &&
	    pp_comp_at(pp, 1)->arg && pp_comp_at(pp, 1)->arg->kind == E_NUM)
		return statement_addr(s, pp, out, quiet);
	switch (parse_req(pp, &r)) {
	case 0:
		return 0;
	case -1:
		if (!quiet)
			pp_error(s, pp, "%s.statement() takes "
				 "\"function@file:line\" (line may be N, N-M "
				 "or *)", mod ? "module()" : "kernel");
		return -1;
	}
	if (mod) {
		n = resolve_modules(s, pp, &r, mod, out, quiet);
		if (n < 0)
			return pp->optional ? 0 : -1;
	} else {
		k = dw_kernel_get(s, &why);
		if (!k) {
			if (!quiet)
				missing(s, pp);
			return -1;
		}
		n = resolve_in(s, pp, &r, k, NULL, out, quiet);
	}
	if (!n) {
		if (!quiet && !pp->optional)
			pp_error(s, pp, "no match");
		return pp->optional ? 0 : -1;
	}
	return 1;
}

/* kernel.statement(ADDR)[.absolute]: guru mode, no DWARF needed */
static int statement_addr(struct session *s, const struct probe_point *pp,
			  struct vec *out, bool quiet)
{
	const struct pp_comp *c1 = pp_comp_at(pp, 1), *c2 = pp_comp_at(pp, 2);
	struct derived_probe *dp;
	char *txt;

	if (c2 && (strcmp(c2->name, "absolute") || pp->comps.n != 3))
		return 0;
	if (!s->guru) {
		if (!quiet)
			pp_error(s, pp, "absolute statement probe in "
				 "unprivileged script; need stap -g");
		return -1;
	}
	dp = dp_new(s, &dwarf_provider, pp);
	txt = xasprintf("kernel.statement(0x%" PRIx64 ")%s",
			(uint64_t)c1->arg->num, c2 ? ".absolute" : "");
	dp->pp = arena_strdup(&s->arena, txt);
	free(txt);
	dp->num[1] = c1->arg->num;
	/* .absolute: as is; otherwise a link-time address, relocated */
	dp->flags = (c2 ? KPF_ABSOLUTE : 0) | (pp->optional ? KPF_OPTIONAL : 0);
	vec_push(out, dp);
	return 1;
}

bool dwarf_symbol_unique(struct dw_kernel *k, const struct dw_func *f)
{
	int lo = 0, hi = k->nfuncs, n = 0;
	bool at = false;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (strcmp(k->funcs[mid].name, f->name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->nfuncs && !strcmp(k->funcs[lo].name, f->name); lo++) {
		if (!n || k->funcs[lo].addr != k->funcs[lo - 1].addr)
			n++;
		at |= k->funcs[lo].addr == f->entry;
	}
	return n == 1 && at;
}

static int dwarf_match(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	return resolve(s, pp, out, false);
}

/* " $name:type" strings of the variables -L shows at f's probe: those
 * with a location there */
static void list_vars(struct dw_kernel *k, const struct dw_func *f, bool ret,
		      struct vec *out)
{
	struct vec vars = { 0 };
	Dwarf_Die d, t;

	if (ret && dw_func_die(k, f, &d) && dw_die_type(&d, &t)) {
		char *tn = dw_type_name(&t);

		vec_push(out, xasprintf(" $return:%s", tn));
		free(tn);
	}
	dw_func_vars_listed(k, f, &vars);
	vec_each(&vars, i) {
		struct dw_var *v = vars.v[i];
		Dwarf_Die vd;
		char *tn = NULL;

		if (!dwarf_offdie(k->dw, v->die, &vd) ||
		    !dw_var_at(&vd, f->entry)) {
			free(v);
			continue;	/* not live at the probe: stap omits it */
		}
		if (dw_die_type(&vd, &t))
			tn = dw_type_name(&t);
		vec_push(out, xasprintf(" $%s:%s", v->name, tn ? tn : "void"));
		free(tn);
		free(v);
	}
	vec_free(&vars);
}

static bool has_str(const struct vec *v, const char *s)
{
	vec_each(v, i)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

static void dwarf_list(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	struct vec dps = { 0 };

	if (resolve(s, pp, &dps, true) <= 0)
		return;
	vec_each(&dps, i) {
		struct derived_probe *dp = dps.v[i];
		struct strbuf sb = { 0 };
		struct vec vars = { 0 };
		bool dup = false;

		/* dw_find_funcs() sorts: copies of one name are adjacent */
		dup = i && !strcmp(((struct derived_probe *)dps.v[i - 1])->pp,
				   dp->pp);
		if (dup)
			continue;
		sb_puts(&sb, dp->pp);
		if (s->list_vars) {
			/* several places of one name (inlined copies): only
			 * the variables all of them have, as stap prints */
			for (int j = i; j < dps.n; j++) {
				struct derived_probe *q = dps.v[j];
				struct dwarf_point *qp = q->priv;
				struct vec these = { 0 };

				if (strcmp(q->pp, dp->pp))
					break;
				if (!qp)
					continue;
				list_vars(qp->kernel, qp->func, q->is_return,
					  &these);
				if (j == i) {
					vars = these;
					continue;
				}
				for (int k = 0; k < vars.n; k++) {
					if (!has_str(&these, vars.v[k])) {
						memmove(&vars.v[k], &vars.v[k + 1],
							(vars.n - k - 1) *
							sizeof(void *));
						vars.n--;
						k--;
					}
				}
				vec_free(&these);
			}
			vec_each(&vars, k)
				sb_puts(&sb, vars.v[k]);
			vec_free(&vars);
		}
		vec_push(out, arena_strdup(&s->arena, sb_str(&sb)));
		sb_free(&sb);
	}
	vec_free(&dps);
}

const struct provider dwarf_provider = {
	.name = "dwarf",
	.patterns = dwarf_patterns,
	.match = dwarf_match,
	.list = dwarf_list,
	.target_var = dwarf_target_var,
	.emit = dwarf_emit,
};
