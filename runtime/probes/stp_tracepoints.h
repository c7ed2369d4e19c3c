/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_tracepoints.h - kernel.trace("name"): attach to the tracepoints of
 * the kernel and of its modules (as they load) by name with
 * tracepoint_probe_register(), no trace headers needed.  The generated
 * callbacks take every argument as an unsigned long (all tracepoint
 * arguments are scalars or pointers, which the x86_64 ABI passes in one
 * register or stack slot each) and hand them to stp_tracepoint_fire();
 * the $name accessors read them from there.
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
	struct module *mod;		/* owner of tp (NULL: the kernel) */
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

/* ---- attaching: at start, and as modules come and go ------------------- */

/*
 * A point whose tracepoint is in no loaded module waits for it, as stap's
 * do: it is attached when a module defining it loads (the tracepoint
 * module notifier's COMING, before the module's init runs) and detached
 * when that module goes (GOING, before the kernel checks that nothing is
 * left on its tracepoints).  No module is pinned.  The notifier calls are
 * serialized by the kernel's tracepoint module list mutex, and
 * unregistering the notifier waits for a call under way.
 */
struct stp_tp_set {
	struct stp_tracepoint *tps;
	unsigned int n;
	int last;			/* last registration error */
};

static struct stp_tp_set stp_tp_set;

static void stp_tracepoint_warn(const struct stp_tracepoint *t, int rc)
{
	char msg[256];

	if (t->optional)
		return;
	scnprintf(msg, sizeof(msg), "probe %s registration error (rc %d)",
		  t->pp, rc);
	stp_transport_warn(msg);
}

/*
 * Attach the waiting points of tracepoint tp, of module mod (NULL: the
 * kernel's).  A point that fails keeps tp, to wait no more.
 */
static void stp_tp_attach(struct stp_tp_set *set, struct tracepoint *tp,
			  struct module *mod)
{
	unsigned int i;
	int rc;

	for (i = 0; i < set->n; i++) {
		struct stp_tracepoint *t = &set->tps[i];

		if (t->tp || t->member || strcmp(t->name, tp->name))
			continue;
		rc = tracepoint_probe_register(tp, t->cb, t);
		t->tp = tp;
		t->mod = mod;
		t->registered = !rc;
		if (rc) {
			stp_tracepoint_warn(t, rc);
			if (!t->optional)
				set->last = rc;
		}
	}
}

static void stp_tp_attach_kernel(struct tracepoint *tp, void *priv)
{
	stp_tp_attach(priv, tp, NULL);
}

static void stp_tp_detach(struct stp_tracepoint *t)
{
	if (t->registered)
		tracepoint_probe_unregister(t->tp, t->cb, t);
	t->registered = false;
	t->tp = NULL;
	t->mod = NULL;
}

#ifdef CONFIG_MODULES
static int stp_tp_module_cb(struct notifier_block *nb, unsigned long val,
			    void *data)
{
	struct module *mod = ((struct tp_module *)data)->mod;
	struct stp_tp_set *set = &stp_tp_set;
	unsigned int i;

	if (val == MODULE_STATE_COMING) {
		for (i = 0; i < mod->num_tracepoints; i++)
			stp_tp_attach(set, tracepoint_ptr_deref(
					&mod->tracepoints_ptrs[i]), mod);
	} else if (val == MODULE_STATE_GOING) {
		for (i = 0; i < set->n; i++)
			if (set->tps[i].tp && set->tps[i].mod == mod)
				stp_tp_detach(&set->tps[i]);
	}
	return NOTIFY_OK;
}

static struct notifier_block stp_tp_module_nb = {
	.notifier_call = stp_tp_module_cb,
};

static bool stp_tp_watching;
#endif

static void __maybe_unused stp_tracepoints_unregister(
	struct stp_tracepoint *tps, unsigned int n)
{
	unsigned int i;

#ifdef CONFIG_MODULES
	if (stp_tp_watching)	/* first: no module attaches any more */
		unregister_tracepoint_module_notifier(&stp_tp_module_nb);
	stp_tp_watching = false;
#endif
	for (i = 0; i < n; i++)
		stp_tp_detach(&tps[i]);
	if (n)		/* also for points detached when their module went */
		tracepoint_synchronize_unregister();
	stp_tp_set.tps = NULL;
	stp_tp_set.n = 0;
}

/*
 * 0 unless every point that could be attached failed (points waiting for
 * their modules are no failure: with -v, how many wait is said).
 */
static int __maybe_unused stp_tracepoints_register(struct stp_tracepoint *tps,
						   unsigned int n)
{
	unsigned int i, ok = 0, wait = 0, heads = 0;
	char msg[128];
	int rc;

	for (i = 0; i < n; i++) {
		tps[i].self = *tps[i].probe;
		tps[i].self.pp = tps[i].pp;
		tps[i].tp = NULL;
		tps[i].mod = NULL;
		tps[i].registered = false;
	}
	stp_tp_set.tps = tps;
	stp_tp_set.n = n;
	stp_tp_set.last = 0;
	for_each_kernel_tracepoint(stp_tp_attach_kernel, &stp_tp_set);
#ifdef CONFIG_MODULES
	/* registering replays COMING for every loaded module */
	stp_tp_watching = !register_tracepoint_module_notifier(
				&stp_tp_module_nb);
#endif
	for (i = 0; i < n; i++) {
		if (tps[i].member)
			continue;
		heads++;
		ok += tps[i].registered;
		wait += !tps[i].tp;
	}
	if (wait && stp_verbose) {
		scnprintf(msg, sizeof(msg), "%u tracepoint probe points wait "
			  "for their modules to load", wait);
		stp_transport_info(msg);
	}
	if (ok || wait || !heads)
		return 0;
	rc = stp_tp_set.last;
	stp_tracepoints_unregister(tps, n);	/* the module watch */
	return rc;
}

#endif /* STP_TRACEPOINTS_H */
