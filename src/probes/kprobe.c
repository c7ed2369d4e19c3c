/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kprobe.c - pass 2 of the DWARF-less kprobe family:
 *   kprobe.function("f")[.call|.return[.maxactive(N)]]
 *   kprobe.module("m").function("f")[.call|.return[.maxactive(N)]]
 *   kprobe.statement(ADDR).absolute                      (guru mode)
 * Names are checked against the target's symbol table when one is found
 * (src/symbols/); globs are expanded from it.  Without one, exact names are
 * kept (the kernel resolves them when the module registers its kprobes).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "probes/emit.h"
#include "probes/kprobe.h"
#include "probes/provider.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "symbols/kmod.h"
#include "symbols/ksym.h"
#include "symbols/similar.h"
#include "util/arena.h"
#include "util/glob.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

extern const struct provider kprobe_provider;

static const char *const kprobe_patterns[] = {
	"kprobe.function(string)",
	"kprobe.function(string).call",
	"kprobe.function(string).return",
	"kprobe.function(string).return.maxactive(number)",
	"kprobe.module(string).function(string)",
	"kprobe.module(string).function(string).call",
	"kprobe.module(string).function(string).return",
	"kprobe.module(string).function(string).return.maxactive(number)",
	"kprobe.statement(number).absolute",
	NULL,
};

static const char *str_arg(const struct pp_comp *c)
{
	return c && c->arg && c->arg->kind == E_STR ? c->arg->str : NULL;
}

/* the parsed shape of one point */
struct kp_req {
	const char *module;	/* NULL: kernel */
	const char *func;
	bool call, ret;
	int64_t maxactive;	/* -1 none */
};

static int parse_point(struct session *s, const struct probe_point *pp,
		       struct kp_req *r)
{
	int i = 1;
	const struct pp_comp *c = pp_comp_at(pp, i);

	memset(r, 0, sizeof(*r));
	r->maxactive = -1;
	if (c && !strcmp(c->name, "module")) {
		r->module = str_arg(c);
		if (!r->module)
			return 0;
		c = pp_comp_at(pp, ++i);
	}
	if (!c || strcmp(c->name, "function") || !(r->func = str_arg(c)))
		return 0;
	c = pp_comp_at(pp, ++i);
	if (c && !strcmp(c->name, "call") && !c->arg) {
		r->call = true;
		c = pp_comp_at(pp, ++i);
	} else if (c && !strcmp(c->name, "return") && !c->arg) {
		r->ret = true;
		c = pp_comp_at(pp, ++i);
		if (c && !strcmp(c->name, "maxactive") && c->arg &&
		    c->arg->kind == E_NUM) {
			r->maxactive = c->arg->num;
			if (r->maxactive < 0 || r->maxactive > 65536) {
				pp_error(s, pp, "maxactive value out of range "
					 "[0, 65536]");
				return -1;
			}
			c = pp_comp_at(pp, ++i);
		}
	}
	return c ? 0 : 1;
}

static const char *canon(struct session *s, const struct kp_req *r,
			 const char *func)
{
	struct strbuf sb = { 0 };
	const char *t;

	sb_puts(&sb, "kprobe.");
	if (r->module)
		sb_printf(&sb, "module(\"%s\").", r->module);
	sb_printf(&sb, "function(\"%s\")", func);
	if (r->call)
		sb_puts(&sb, ".call");
	if (r->ret)
		sb_puts(&sb, ".return");
	if (r->maxactive >= 0)
		sb_printf(&sb, ".maxactive(%" PRId64 ")", r->maxactive);
	t = arena_strdup(&s->arena, sb_str(&sb));
	sb_free(&sb);
	return t;
}

static void add(struct session *s, const struct probe_point *pp,
		const struct kp_req *r, const char *func, struct vec *out)
{
	struct derived_probe *dp = dp_new(s, &kprobe_provider, pp);

	dp->pp = canon(s, r, func);
	dp->sym = arena_strdup(&s->arena, func);
	dp->module = r->module;
	dp->is_return = r->ret;
	dp->num[0] = r->maxactive > 0 ? r->maxactive : 0;
	if (pp->optional)
		dp->flags |= KPF_OPTIONAL;
	vec_push(out, dp);
}

static void no_match(struct session *s, const struct probe_point *pp,
		     const struct ksymtab *t, const char *func)
{
	struct vec names = { 0 };
	char *sim = NULL;

	if (t && !glob_has_wild(func)) {
		for (int i = 0; i < t->n; i++) {
			char ty = t->syms[i].type;

			if (ty == 't' || ty == 'T' || ty == 'W' || ty == 'w')
				vec_push(&names, (void *)t->syms[i].name);
		}
		sim = similar_names(func, &names);
		vec_free(&names);
	}
	if (sim)
		pp_error(s, pp, "no match (similar functions: %s)", sim);
	else
		pp_error(s, pp, "no match");
	free(sim);
}

static void warn_nosyms(struct session *s, const struct probe_point *pp)
{
	struct kinfo *k = kinfo_get(s);

	if (k->warned_nosyms)
		return;
	k->warned_nosyms = true;
	diag_warn(s, &pp->loc, "no symbol table for kernel %s (System.map in "
		  "%s is missing or a stub, no -dbg System.map, no "
		  "tools/fetch-debuginfo cache): kprobe names are checked "
		  "only when the module is loaded", k->release, k->build_dir);
}

/* kernel functions: 1 matched, 0 none (reported unless optional), -1 error */
static int match_kernel(struct session *s, const struct probe_point *pp,
			const struct kp_req *r, struct vec *out, bool quiet)
{
	const struct ksymtab *t = ksym_kernel(s);
	struct vec m = { 0 };
	bool wild = glob_has_wild(r->func);

	if (!t) {
		if (wild) {
			if (!quiet)
				pp_error(s, pp, "cannot expand '%s' without the "
					 "kernel's symbol table (System.map); "
					 "run tools/fetch-debuginfo", r->func);
			return -1;
		}
		if (!quiet)
			warn_nosyms(s, pp);
		add(s, pp, r, r->func, out);
		return 1;
	}
	if (wild) {
		ksym_glob_funcs(t, r->func, &m);
	} else {
		const struct ksym *k = ksym_lookup(t, r->func, NULL);

		if (k && k->type != 'D' && k->type != 'd' && k->type != 'b' &&
		    k->type != 'B' && k->type != 'r' && k->type != 'R')
			vec_push(&m, (void *)k);
	}
	if (!m.n) {
		if (!pp->optional && !quiet)
			no_match(s, pp, t, r->func);
		return pp->optional ? 0 : -1;
	}
	vec_each(&m, i) {
		const struct ksym *k = m.v[i];
		struct derived_probe *dp;
		int count = 0;

		add(s, pp, r, k->name, out);
		dp = out->v[out->n - 1];
		/* a unique name: its address too, checked against the
		 * symbol at run time (spares a kallsyms_lookup_name()) */
		if (ksym_lookup(t, k->name, &count) && count == 1)
			dp->num[1] = (int64_t)k->addr;
		/* a glob skipped the blocked sections (ksym_glob_funcs); the
		 * runtime leaves out what ftrace cannot trace */
		if (wild)
			dp->flags |= KPF_WILD | (dp->num[1] ? KPF_CHECKED : 0);
	}
	vec_free(&m);
	return 1;
}

static int match_module(struct session *s, const struct probe_point *pp,
			const struct kp_req *r, struct vec *out, bool quiet)
{
	const char *path = glob_has_wild(r->module) ? NULL : kmod_path(s, r->module);
	struct vec m = { 0 };

	if (glob_has_wild(r->module)) {
		if (!quiet)
			pp_error(s, pp, "kprobe.module() takes one module name, "
				 "not a pattern");
		return -1;
	}
	if (!path || kmod_glob_funcs(path, glob_has_wild(r->func) ? r->func : "*",
				     &m) < 0) {
		/* built-in or out-of-tree module: trust the name */
		if (glob_has_wild(r->func)) {
			if (!quiet)
				pp_error(s, pp, "cannot expand '%s': module "
					 "'%s' not found for kernel %s", r->func,
					 r->module, kinfo_get(s)->release);
			return -1;
		}
		add(s, pp, r, r->func, out);
		return 1;
	}
	if (!glob_has_wild(r->func)) {
		bool found = false;

		vec_each(&m, i)
			if (!strcmp(m.v[i], r->func))
				found = true;
		if (!found) {
			char *sim = similar_names(r->func, &m);

			if (!quiet && !pp->optional) {
				if (sim)
					pp_error(s, pp, "no match (similar "
						 "functions: %s)", sim);
				else
					pp_error(s, pp, "no match");
			}
			free(sim);
			return pp->optional ? 0 : -1;
		}
		add(s, pp, r, r->func, out);
		return 1;
	}
	if (!m.n) {
		if (!quiet && !pp->optional)
			pp_error(s, pp, "no match");
		return pp->optional ? 0 : -1;
	}
	vec_each(&m, i)
		add(s, pp, r, m.v[i], out);
	return 1;
}

static int match_statement(struct session *s, const struct probe_point *pp,
			   struct vec *out, bool quiet)
{
	const struct pp_comp *c1 = pp_comp_at(pp, 1), *c2 = pp_comp_at(pp, 2);
	struct derived_probe *dp;
	char buf[64];

	if (!c1->arg || c1->arg->kind != E_NUM || !c2 ||
	    strcmp(c2->name, "absolute") || c2->arg || pp->comps.n != 3)
		return 0;
	if (!s->guru) {
		if (!quiet)
			pp_error(s, pp, "absolute statement probe in "
				 "unprivileged script; need stap -g");
		return -1;
	}
	dp = dp_new(s, &kprobe_provider, pp);
	snprintf(buf, sizeof(buf), "kprobe.statement(0x%" PRIx64 ").absolute",
		 (uint64_t)c1->arg->num);
	dp->pp = arena_strdup(&s->arena, buf);
	dp->num[1] = c1->arg->num;
	dp->flags = KPF_ABSOLUTE | (pp->optional ? KPF_OPTIONAL : 0);
	vec_push(out, dp);
	return 1;
}

static int resolve(struct session *s, const struct probe_point *pp,
		   struct vec *out, bool quiet)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0), *c1 = pp_comp_at(pp, 1);
	struct kp_req r;
	int k;

	if (!c0 || strcmp(c0->name, "kprobe") || !c1)
		return 0;
	if (!strcmp(c1->name, "statement"))
		return match_statement(s, pp, out, quiet);
	k = parse_point(s, pp, &r);
	if (k <= 0)
		return k;
	return r.module ? match_module(s, pp, &r, out, quiet) :
			  match_kernel(s, pp, &r, out, quiet);
}

static int kprobe_match(struct session *s, const struct probe_point *pp,
			struct vec *out)
{
	return resolve(s, pp, out, false);
}

static void kprobe_list(struct session *s, const struct probe_point *pp,
			struct vec *out)
{
	struct vec dps = { 0 };

	if (resolve(s, pp, &dps, true) > 0) {
		vec_each(&dps, i) {
			struct derived_probe *dp = dps.v[i];

			vec_push(out, (void *)dp->pp);
		}
	}
	vec_free(&dps);
}

const struct provider kprobe_provider = {
	.name = "kprobe",
	.patterns = kprobe_patterns,
	.match = kprobe_match,
	.list = kprobe_list,
	.emit = kprobe_emit,
};
