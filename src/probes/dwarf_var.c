/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dwarf_var.c - pass 2 of kernel.function() context variables: $param,
 * $local, $var->a[2]->b, &$var, $return, $$parms, $$locals, $$vars,
 * $$return, one C reading per derived probe of the handler (dw_loc.c).
 */
#include <dwarf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf/dw.h"
#include "dwarf/dw_loc.h"
#include "elaborate/elab.h"
#include "probes/dwarf.h"
#include "probes/provider.h"
#include "session.h"
#include "symbols/kinfo.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

static const char ret_c[] = "((int64_t)regs_return_value(c->regs))";

/* one variable of f by name (params first) */
static bool find_var(struct dw_kernel *k, const struct dw_func *f,
		     const char *name, Dwarf_Die *out)
{
	struct vec vars = { 0 };
	bool ok = false;

	dw_func_vars(k, f, true, &vars);
	vec_each(&vars, i) {
		struct dw_var *v = vars.v[i];

		if (!ok && !strcmp(v->name, name))
			ok = dwarf_offdie(k->dw, v->die, out) != NULL;
		free(v);
	}
	vec_free(&vars);
	return ok;
}

static char *one_var(struct dw_kernel *k, const struct dw_func *f,
		     const struct derived_probe *dp, struct expr *e,
		     bool *string, bool *at_entry)
{
	struct dw_loc_req rq = { 0 };
	struct dw_access acc;
	Dwarf_Die fd, vd;

	if (!dw_func_die(k, f, &fd))
		return NULL;
	rq.k = k;
	rq.func = &fd;
	rq.pc = f->entry;
	rq.at_entry = !dp->is_return && f->entry == f->func_entry;
	rq.comps = &e->comps;
	rq.addr_of = e->addr_of;
	if (!strcmp(e->str, "return")) {
		if (!dp->is_return || !dw_die_type(&fd, &rq.value_type))
			return NULL;
		rq.value_c = ret_c;
	} else {
		if (!find_var(k, f, e->str, &vd))
			return NULL;
		rq.var = &vd;
		if (dp->is_return) {
			/* read at the entry, saved for the return (@entry) */
			rq.at_entry = true;
			*at_entry = true;
			vec_each(&e->comps, i) {
				struct target_comp *c = e->comps.v[i];

				if (c->kind == COMP_INDEX &&
				    c->index->kind != E_NUM)
					return NULL;
			}
		}
	}
	if (e->pretty) {
		if (*at_entry || !dw_pretty(&rq, e->pretty == 1 ? 1 : 3, &acc))
			return NULL;
		*string = true;
		return acc.code;
	}
	if (!dw_access(&rq, &acc))
		return NULL;
	if (*at_entry && acc.string)
		return NULL;	/* strings are not saved at entry */
	*string = acc.string;
	return acc.code;
}

struct dwarf_entry_set *dwarf_entry_set_of(struct session *s,
					   const struct elab_probe *p)
{
	struct kinfo *ki = kinfo_get(s);

	if (!ki->dw_entry_sets)
		return NULL;
	vec_each(ki->dw_entry_sets, i) {
		struct dwarf_entry_set *es = ki->dw_entry_sets->v[i];

		if (es->probe == p)
			return es;
	}
	return NULL;
}

/* a new slot of p's entry set; returns its number + 1 (0: too many) */
static int new_slot(struct session *s, struct elab_probe *p)
{
	struct kinfo *ki = kinfo_get(s);
	struct dwarf_entry_set *es = dwarf_entry_set_of(s, p);

	if (!es) {
		es = xcalloc(1, sizeof(*es));
		es->probe = p;
		es->n = p->derived.n;
		if (!ki->dw_entry_sets)
			ki->dw_entry_sets = xcalloc(1, sizeof(struct vec));
		vec_push(ki->dw_entry_sets, es);
	}
	if (es->nslots >= 63)
		return 0;
	vec_push(&es->codes, xcalloc(es->n, sizeof(char *)));
	return ++es->nslots;
}

/* "a=%#x b=%#x" over the parameters / locals / return value */
/* $$parms$ / $$vars$ / $$locals$: name=pretty pairs */
static char *sym_vars_pretty(struct dw_kernel *k, const struct dw_func *f,
			     const struct derived_probe *dp, const char *which,
			     int depth)
{
	bool parms = !strcmp(which, "parms") || !strcmp(which, "vars");
	bool locals = !strcmp(which, "locals") || !strcmp(which, "vars");
	struct vec vars = { 0 };
	struct strbuf out = { 0 };
	Dwarf_Die fd;
	bool first = true;

	if (dp->is_return || !dw_func_die(k, f, &fd))
		return NULL;
	sb_puts(&out, "({ char *_b = @@BUF@@; _b[0] = 0; ");
	dw_func_vars(k, f, locals, &vars);
	vec_each(&vars, i) {
		struct dw_var *v = vars.v[i];
		struct dw_loc_req rq = { 0 };
		Dwarf_Die vd;
		char *st, *err = NULL;

		if ((v->param && !parms) || (!v->param && !locals) ||
		    !dwarf_offdie(k->dw, v->die, &vd) || !dw_var_at(&vd, f->entry)) {
			free(v);
			continue;
		}
		rq.k = k;
		rq.func = &fd;
		rq.var = &vd;
		rq.pc = f->entry;
		rq.at_entry = f->entry == f->func_entry;
		sb_printf(&out, "stp_pp_cat(_b, \"%s%s=\"); ", first ? "" : " ",
			  v->name);
		first = false;
		st = dw_pretty_stmts(&rq, depth, &err);
		sb_puts(&out, st ? st : "stp_pp_cat(_b, \"?\"); ");
		free(v);
	}
	vec_free(&vars);
	sb_puts(&out, "(const char *)_b; })");
	return out.s;
}

static char *sym_vars(struct dw_kernel *k, const struct dw_func *f,
		      const struct derived_probe *dp, const char *which)
{
	bool parms = !strcmp(which, "parms") || !strcmp(which, "vars");
	bool locals = !strcmp(which, "locals") || !strcmp(which, "vars");
	struct vec vars = { 0 };
	struct strbuf fmt = { 0 }, args = { 0 }, out = { 0 };
	Dwarf_Die fd;

	if (!dw_func_die(k, f, &fd))
		return NULL;
	if (!strcmp(which, "return")) {
		Dwarf_Die t;

		if (!dp->is_return)
			return NULL;
		if (dw_die_type(&fd, &t)) {	/* a void function's: "" */
			sb_puts(&fmt, "return=%#x");
			sb_printf(&args, ", %s", ret_c);
		}
	}
	dw_func_vars(k, f, locals, &vars);
	vec_each(&vars, i) {
		struct dw_var *v = vars.v[i];
		struct dw_loc_req rq = { 0 };
		struct dw_access acc;
		Dwarf_Die vd;

		if ((v->param && !parms) || (!v->param && !locals) ||
		    !dwarf_offdie(k->dw, v->die, &vd)) {
			free(v);
			continue;
		}
		rq.func = &fd;
		rq.var = &vd;
		rq.pc = f->entry;
		rq.at_entry = !dp->is_return && f->entry == f->func_entry;
		if (fmt.len)
			sb_putc(&fmt, ' ');
		if (!dp->is_return && dw_access(&rq, &acc) && !acc.string) {
			sb_printf(&fmt, "%s=%%#x", v->name);
			sb_printf(&args, ", (int64_t)%s", acc.code);
		} else {
			sb_printf(&fmt, "%s=?", v->name);
		}
		free(v);
	}
	vec_free(&vars);
	sb_puts(&out, "stp_sprintf(c, @@BUF@@, NEAR, \"");
	for (const char *p = sb_str(&fmt); *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_putc(&out, '\\');
		sb_putc(&out, *p);
	}
	sb_printf(&out, "\"%s)", sb_str(&args));
	sb_free(&fmt);
	sb_free(&args);
	return out.s;
}

int dwarf_target_var(struct session *s, struct derived_probe *dp,
		     struct expr *e)
{
	const struct dwarf_point *pt = dp->priv;
	struct elab_probe *ep = dp->probe;
	struct dwarf_target *dt = e->prov;
	bool string = false, entry = false;
	char *code;
	int k = -1;

	if (!ep || !pt || (e->kind != E_TARGET && e->kind != E_TARGET_SYM))
		return 0;
	k = dp_point_index(dp);
	if (k < 0)
		return 0;
	if (e->kind == E_TARGET_SYM && e->pretty) {
		code = sym_vars_pretty(pt->kernel, pt->func, dp, e->str,
				       e->pretty == 1 ? 1 : 3);
		string = true;
	} else if (e->kind == E_TARGET_SYM) {
		code = sym_vars(pt->kernel, pt->func, dp, e->str);
		string = true;
	} else {
		code = one_var(pt->kernel, pt->func, dp, e, &string, &entry);
	}
	if (!code)
		return 0;
	if (!dt) {
		dt = arena_new(&s->arena, struct dwarf_target);
		dt->ref.emit = dwarf_target_emit;
		dt->probe = ep;
		dt->n = ep->derived.n;
		dt->code = arena_alloc(&s->arena, dt->n * sizeof(char *));
		dt->string = string;
		vec_each(&e->comps, i) {
			struct target_comp *c = e->comps.v[i];

			if (c->kind == COMP_INDEX)
				vec_push(&dt->idx, c->index);
		}
		e->prov = dt;
	} else if (dt->string != string) {
		return 0;	/* a string here, a number there */
	}
	if (entry) {
		struct dwarf_entry_set *es;

		if (!dt->slot && !(dt->slot = new_slot(s, ep)))
			return 0;
		es = dwarf_entry_set_of(s, ep);
		((char **)es->codes.v[dt->slot - 1])[k] = code;
		dp->num[3] = 1;		/* needs the entry handler */
		code = xasprintf("stp_dw_entry_get(c, %d, NEAR)", dt->slot - 1);
	}
	dt->code[k] = code;
	e->type = string ? TY_STRING : TY_LONG;
	return 1;
}

/*
 * The type of @cast(p, "type"[, "where"]): where is "kernel" (the default),
 * "kernel<header.h>" (the kernel's DWARF too), a module name, or several
 * of them separated by ':' (the first that defines the type).
 */
static bool cast_type(struct session *s, struct expr *e, struct dw_kernel **kp,
		      Dwarf_Die *type, const char **why)
{
	const char *w = e->module ? e->module : "kernel", *end;

	*why = "type definition not found";
	for (; *w; w = *end ? end + 1 : end) {
		char *one;
		const char *w2;
		struct dw_kernel *k;

		end = w;
		if (!strncmp(w, "kernel<", 7) && strchr(w, '>'))
			end = strchr(w, '>') + 1;
		end += strcspn(end, ":");
		one = xasprintf("%.*s", (int)(end - w), w);
		if (!strcmp(one, "kernel") || !strncmp(one, "kernel<", 7))
			k = dw_kernel_get(s, &w2);
		else
			k = dw_module_get(s, one, &w2);
		free(one);
		if (!k) {
			*why = "missing x86_64 kernel/module debuginfo";
			continue;
		}
		if (dw_find_type(k, e->str, type)) {
			*kp = k;
			return true;
		}
		*why = "type definition not found";
	}
	return false;
}

int dwarf_cast_resolve(struct session *s, struct expr *e, const char **why)
{
	struct dwarf_target *dt;
	struct dw_kernel *k;
	struct dw_loc_req rq = { 0 };
	struct dw_access acc;

	*why = NULL;
	if (e->kind != E_CAST || !e->str || e->pretty)
		return 0;
	if (!cast_type(s, e, &k, &rq.value_type, why))
		return 0;
	rq.k = k;
	rq.addr_c = "@@BASE@@";
	rq.comps = &e->comps;
	rq.addr_of = e->addr_of;
	if (!dw_access(&rq, &acc)) {
		*why = acc.err;
		return 0;
	}
	dt = arena_new(&s->arena, struct dwarf_target);
	dt->ref.emit = dwarf_target_emit;
	dt->n = 1;
	dt->code = arena_alloc(&s->arena, sizeof(char *));
	dt->code[0] = acc.code;
	dt->string = acc.string;
	dt->base = e->a;
	vec_each(&e->comps, i) {
		struct target_comp *c = e->comps.v[i];

		if (c->kind == COMP_INDEX)
			vec_push(&dt->idx, c->index);
	}
	e->prov = dt;
	e->type = acc.string ? TY_STRING : TY_LONG;
	return 1;
}
