/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_tracepoints.h - kernel.trace("name"): attach to kernel (and loaded
 * module) tracepoints by name with tracepoint_probe_register(), no trace
 * headers needed.  The generated callbacks take every argument as an
 * unsigned long (all tracepoint arguments are scalars or pointers, which
 * the x86_64 ABI passes in one register or stack slot each) and hand them
 * to stp_tracepoint_fire(); the $name accessors read them from there.
 *
 * Several probes on one tracepoint share one registration: a "head" entry
 * whose probe is a generated dispatcher (one handler run for the hit) that
 * picks the member entries to run, usually by a switch or a table
 * (stp_tp_dispatch) on a key ($id of raw_syscalls), and runs each with
 * stp_tp_chain().  Members are not registered themselves (.member).
 */
#ifndef STP_TRACEPOINTS_H
#define STP_TRACEPOINTS_H

#include <linux/tracepoint.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/percpu.h>

struct stp_tracepoint {
	const char *name;		/* "kfree_skb" */
	void *cb;			/* generated callback */
	const struct stp_probe *probe;
	const char *pp;
	unsigned int k;			/* index among its handler's points */
	unsigned char optional;
	unsigned char member;		/* run by its group's dispatcher */
	/* runtime state */
	struct tracepoint *tp;
	struct module *mod;		/* owner of tp (held while attached) */
	bool registered;
	struct stp_probe self;		/* *probe with this point's pp */
};

struct stp_tracepoint_cur {
	const struct stp_tracepoint *tp;
	const unsigned long *args;
};
static DEFINE_PER_CPU(struct stp_tracepoint_cur, stp_tracepoint_cur);

static void __maybe_unused stp_tracepoint_fire(void *data,
					       const unsigned long *args)
{
	const struct stp_tracepoint *t = data;
	struct stp_tracepoint_cur old = *this_cpu_ptr(&stp_tracepoint_cur);

	this_cpu_write(stp_tracepoint_cur.tp, t);
	this_cpu_write(stp_tracepoint_cur.args, args);
	stp_probe_run(&t->self, NULL, STP_SS_RUNNING);
	this_cpu_write(stp_tracepoint_cur.tp, old.tp);
	this_cpu_write(stp_tracepoint_cur.args, old.args);
}

/* from a dispatcher: run member t of its group for the current hit */
static void __maybe_unused stp_tp_chain(struct stp_context *c,
					const struct stp_tracepoint *t)
{
	const struct stp_tracepoint *head = this_cpu_read(stp_tracepoint_cur.tp);

	this_cpu_write(stp_tracepoint_cur.tp, t);
	stp_probe_chain(c, &t->self);
	this_cpu_write(stp_tracepoint_cur.tp, head);
}

/* run members tps[idx[0..n)] in order */
static void __maybe_unused stp_tp_chain_list(struct stp_context *c,
					     const struct stp_tracepoint *tps,
					     const unsigned short *idx,
					     unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		stp_tp_chain(c, &tps[idx[i]]);
}

/*
 * A dispatcher's table: keys lo..lo+n-1 run list[start[k - lo] ..
 * start[k - lo + 1]), other keys list[start[n] .. end).
 */
struct stp_tp_table {
	int64_t lo;
	unsigned int n, end;
	const unsigned short *start, *list;
};

static void __maybe_unused stp_tp_dispatch(struct stp_context *c,
					   const struct stp_tracepoint *tps,
					   const struct stp_tp_table *t,
					   int64_t key)
{
	unsigned int from = t->start[t->n], to = t->end;

	if (key >= t->lo && key - t->lo < t->n) {
		from = t->start[key - t->lo];
		to = t->start[key - t->lo + 1];
	}
	stp_tp_chain_list(c, tps, t->list + from, to - from);
}

/* the dispatcher could not compute its key (an error): run every member,
 * each meets the same error in its own guard and reports it */
static void __maybe_unused stp_tp_chain_all(struct stp_context *c,
					    const struct stp_tracepoint *tps,
					    const unsigned short *idx,
					    unsigned int n)
{
	c->unwind = 0;
	c->fatal = false;
	c->last_error = NULL;
	c->error_near = NULL;
	stp_tp_chain_list(c, tps, idx, n);
}

/* how an argument register is narrowed to its declared type */
enum {
	STP_TA_LONG,	/* pointers, long, u64 */
	STP_TA_S32, STP_TA_U32, STP_TA_S16, STP_TA_U16, STP_TA_S8, STP_TA_U8,
	STP_TA_BOOL,
};

/*
 * $name in a tracepoint handler: map[k] is the argument's index in the
 * point numbered k of this handler (-1: not there), cast[k] its STP_TA_*.
 */
static int64_t __maybe_unused stp_tp_arg(struct stp_context *c,
					 const signed char *map,
					 const unsigned char *cast,
					 const char *near)
{
	const struct stp_tracepoint *t = this_cpu_read(stp_tracepoint_cur.tp);
	const unsigned long *args = this_cpu_read(stp_tracepoint_cur.args);
	unsigned long v;

	if (!t || !args || map[t->k] < 0) {
		stp_error(c, "tracepoint argument not available here", near);
		return 0;
	}
	v = args[map[t->k]];
	switch (cast[t->k]) {
	case STP_TA_S32: return (s32)v;
	case STP_TA_U32: return (u32)v;
	case STP_TA_S16: return (s16)v;
	case STP_TA_U16: return (u16)v;
	case STP_TA_S8: return (s8)v;
	case STP_TA_U8: return (u8)v;
	case STP_TA_BOOL: return (u8)v != 0;
	}
	return (int64_t)v;
}

/* ---- finding tracepoints by name ---------------------------------------- */

struct stp_tp_find {
	struct stp_tracepoint *tps;
	unsigned int n;
};

static struct module *stp_tp_find_owner;	/* set while scanning a module */

static void stp_tp_match(struct tracepoint *tp, void *priv)
{
	struct stp_tp_find *f = priv;
	unsigned int i;

	for (i = 0; i < f->n; i++) {
		if (!f->tps[i].tp && !f->tps[i].member &&
		    !strcmp(f->tps[i].name, tp->name)) {
			f->tps[i].tp = tp;
			f->tps[i].mod = stp_tp_find_owner;
		}
	}
}

#ifdef CONFIG_MODULES
static struct stp_tp_find *stp_tp_find_mod;

static int stp_tp_module_cb(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	struct tp_module *tm = data;
	struct module *mod = tm->mod;
	unsigned int i;

	if (val != MODULE_STATE_COMING || !stp_tp_find_mod)
		return NOTIFY_OK;
	stp_tp_find_owner = mod;
	for (i = 0; i < mod->num_tracepoints; i++)
		stp_tp_match(tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]),
			     stp_tp_find_mod);
	stp_tp_find_owner = NULL;
	return NOTIFY_OK;
}

static struct notifier_block stp_tp_module_nb = {
	.notifier_call = stp_tp_module_cb,
};
#endif

static void stp_tracepoints_lookup(struct stp_tracepoint *tps, unsigned int n)
{
	struct stp_tp_find f = { tps, n };
	unsigned int i;

	for (i = 0; i < n; i++) {
		tps[i].tp = NULL;
		tps[i].mod = NULL;
	}
	for_each_kernel_tracepoint(stp_tp_match, &f);
#ifdef CONFIG_MODULES
	for (i = 0; i < n; i++)
		if (!tps[i].tp && !tps[i].member)
			break;
	if (i < n) {
		/* registering replays COMING for every loaded module */
		stp_tp_find_mod = &f;
		if (!register_tracepoint_module_notifier(&stp_tp_module_nb))
			unregister_tracepoint_module_notifier(&stp_tp_module_nb);
		stp_tp_find_mod = NULL;
	}
#endif
}

/* ---- registration ------------------------------------------------------- */

static void stp_tracepoint_warn(const struct stp_tracepoint *t, int rc)
{
	char msg[256];

	if (t->optional)
		return;
	if (rc == -ENOENT)
		scnprintf(msg, sizeof(msg), "probe %s registration error: "
			  "no tracepoint '%s' in the kernel or its loaded "
			  "modules", t->pp, t->name);
	else
		scnprintf(msg, sizeof(msg), "probe %s registration error "
			  "(rc %d)", t->pp, rc);
	stp_transport_warn(msg);
}

static void __maybe_unused stp_tracepoints_unregister(
	struct stp_tracepoint *tps, unsigned int n)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < n; i++) {
		if (!tps[i].registered)
			continue;
		tracepoint_probe_unregister(tps[i].tp, tps[i].cb, &tps[i]);
		tps[i].registered = false;
		any = true;
	}
	if (any)
		tracepoint_synchronize_unregister();
	for (i = 0; i < n; i++) {
		if (tps[i].mod)
			module_put(tps[i].mod);
		tps[i].mod = NULL;
	}
}

/* 0 when at least one point is attached (or only optional ones failed) */
static int __maybe_unused stp_tracepoints_register(struct stp_tracepoint *tps,
						   unsigned int n)
{
	unsigned int i, ok = 0, heads = 0;
	int last = 0;

	stp_tracepoints_lookup(tps, n);
	for (i = 0; i < n; i++) {
		int rc;

		tps[i].self = *tps[i].probe;
		tps[i].self.pp = tps[i].pp;
		if (tps[i].member) {
			tps[i].tp = NULL;
			tps[i].mod = NULL;
			continue;
		}
		/* a module's tracepoint: keep the module while attached */
		if (tps[i].mod && !try_module_get(tps[i].mod)) {
			tps[i].mod = NULL;
			tps[i].tp = NULL;
		}
		heads++;
		rc = tps[i].tp ? tracepoint_probe_register(tps[i].tp,
							       tps[i].cb,
							       &tps[i])
				   : -ENOENT;
		if (rc && tps[i].mod) {
			module_put(tps[i].mod);
			tps[i].mod = NULL;
		}

		if (rc) {
			stp_tracepoint_warn(&tps[i], rc);
			if (!tps[i].optional)
				last = rc;
			continue;
		}
		tps[i].registered = true;
		ok++;
	}
	return ok || !heads ? 0 : last;
}

#endif /* STP_TRACEPOINTS_H */
