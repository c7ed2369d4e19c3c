/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_kprobes.h - kprobes and kretprobes for kprobe.function(),
 * kprobe.statement().absolute and the DWARF kernel.function() family.
 *
 * The generated module describes each point with a struct stp_kprobe (by
 * symbol name + offset, or by link-time address relocated against an
 * exported reference symbol) and calls stp_kprobes_register() once at
 * session start: the points are registered one at a time, so that one bad
 * point only costs a warning.
 *
 * Each registration costs milliseconds under emulation (the kernel checks
 * the address against long lists, and arming a kprobe on an ftrace site
 * updates every ftrace record), so an entry point and a return point of
 * the same function share one kretprobe, and a point known by both symbol
 * and address is registered by address (no kallsyms_lookup_name()).
 * Function entries (.fentry) end up under one ftrace_ops per table when
 * they sit on ftrace sites: one code update for all (stp_ftrace.h).
 */
#ifndef STP_KPROBES_H
#define STP_KPROBES_H

#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/percpu.h>
#include <linux/version.h>

struct stp_kprobe;

/* what the kernel keeps of a registered point: allocated per table at
 * registration, so that the table in the module's data stays small */
struct stp_kprobe_state {
	union {
		struct kprobe kp;
		struct kretprobe rp;
	} u;
	struct stp_kprobe *p;
	struct kprobe *guard;		/* keeps a kretprobe's unoptimized */
};

/* @entry() support: called at function entry of a .return probe, with
 * entry_size bytes of per-instance storage */
typedef void (*stp_kprobe_entry_fn)(const struct stp_kprobe *kp,
				    struct pt_regs *regs, void *data);

struct stp_kprobe {
	const char *symbol;		/* "vfs_read", "ext4:ext4_file_open" */
	unsigned long offset;		/* from symbol */
	unsigned long addr;		/* when symbol is NULL; else 0 or the
					 * link-time address of symbol+offset */
	unsigned char relocate;		/* addr is a link-time address */
	unsigned char ret;		/* kretprobe */
	unsigned char optional;		/* failures stay quiet */
	unsigned char fentry;		/* a function entry: try ftrace */
	unsigned char checked;		/* addr passed the kprobe blacklist
					 * in pass 2: no kprobe needed first */
	unsigned char wild;		/* matched by a wildcard: left out
					 * unless on an ftrace site */
	int maxactive;			/* kretprobe; 0 for the default */
	unsigned int k;			/* index among its handler's points */
	const struct stp_probe *probe;	/* this point's (its pp) */
	stp_kprobe_entry_fn entry;
	size_t entry_size;
	/* runtime state */
	bool registered;
	bool merged;			/* entry point run by a kretprobe's */
	bool via_ftrace;		/* run by stp_ftrace.h, kprobe idle */
	bool nokp;			/* tried on ftrace without a kprobe */
	bool left;			/* wild, no ftrace site: left out */
	bool noopt;			/* int3 kept (no jump optimization) */
	struct stp_kprobe *call;	/* kretprobe: that entry point */
	struct stp_kprobe_state *st;	/* while registered */
};

/* the point being handled on this CPU (nests with interrupts) */
struct stp_kprobe_cur {
	const struct stp_kprobe *kp;
	struct kretprobe_instance *ri;
};
static DEFINE_PER_CPU(struct stp_kprobe_cur, stp_kprobe_cur);

/* link-time minus run-time address (KASLR), from STP_KREF_SYM */
static long stp_kaslr_delta;

static inline const struct stp_kprobe *stp_kprobe_current(void)
{
	return this_cpu_read(stp_kprobe_cur.kp);
}

static inline struct kretprobe_instance *stp_kretprobe_instance(void)
{
	return this_cpu_read(stp_kprobe_cur.ri);
}

/* the index of the firing point among its handler's (for $vars) */
static inline int stp_kprobe_k(void)
{
	const struct stp_kprobe *p = this_cpu_read(stp_kprobe_cur.kp);

	return p ? p->k : -1;
}

/* the kprobe of p: its own, or its kretprobe's */
static inline struct kprobe *stp_kprobe_kp(const struct stp_kprobe *p)
{
	return p->ret ? &p->st->u.rp.kp : &p->st->u.kp;
}

static void stp_kprobe_fire(const struct stp_kprobe *p, struct pt_regs *regs,
			    struct kretprobe_instance *ri)
{
	struct stp_kprobe_cur old = *this_cpu_ptr(&stp_kprobe_cur);

	this_cpu_write(stp_kprobe_cur.kp, p);
	this_cpu_write(stp_kprobe_cur.ri, ri);
	stp_probe_enter(p->probe, regs, STP_SS_RUNNING, true);
	this_cpu_write(stp_kprobe_cur.kp, old.kp);
	this_cpu_write(stp_kprobe_cur.ri, old.ri);
}

static int stp_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	stp_kprobe_fire(container_of(kp, struct stp_kprobe_state, u.kp)->p,
			regs, NULL);
	return 0;
}

/* a kprobe with a post handler is never jump-optimized */
static void stp_kprobe_post(struct kprobe *kp, struct pt_regs *regs,
			    unsigned long flags)
{
}

static struct stp_kprobe *stp_kprobe_of_ri(struct kretprobe_instance *ri)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
	struct kretprobe *rp = get_kretprobe(ri);
#else
	struct kretprobe *rp = ri->rp;
#endif
	return rp ? container_of(rp, struct stp_kprobe_state, u.rp)->p : NULL;
}

static int stp_kretprobe_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct stp_kprobe *p = stp_kprobe_of_ri(ri);

	if (p)
		stp_kprobe_fire(p, regs, ri);
	return 0;
}

static int stp_kretprobe_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct stp_kprobe *p = stp_kprobe_of_ri(ri);

	if (p && p->call)
		stp_kprobe_fire(p->call, regs, NULL);
	if (p && p->entry)
		p->entry(p, regs, ri->data);
	return 0;
}

/* registered, and still disabled: for ftrace, or to be armed last */
static bool stp_kprobe_waits(const struct stp_kprobe *p)
{
	return p->registered && !p->via_ftrace &&
	       (stp_kprobe_kp(p)->flags & KPROBE_FLAG_DISABLED);
}

#include "probes/stp_ftrace.h"

/*
 * A point known by symbol and by link-time address: is the relocated
 * address that symbol + offset in the running kernel?  Then it is used,
 * which spares the kernel a kallsyms_lookup_name(), a linear scan of
 * every symbol name (milliseconds each under emulation).
 */
static bool stp_kprobe_addr_ok(const struct stp_kprobe *p)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t l = strlen(p->symbol);
	char *end;

	if (!p->addr || !p->relocate || strchr(p->symbol, ':'))
		return false;
	sprint_symbol(sym, p->addr - stp_kaslr_delta);
	if (strncmp(sym, p->symbol, l) || sym[l] != '+')
		return false;
	return simple_strtoul(sym + l + 1, &end, 16) == p->offset &&
	       *end == '/';
}

static void stp_kprobe_prepare(struct stp_kprobe *p)
{
	struct kprobe *kp = stp_kprobe_kp(p);

	memset(&p->st->u, 0, sizeof(p->st->u));
	p->registered = false;
	p->via_ftrace = false;
	p->nokp = false;
	if (p->symbol && stp_kprobe_addr_ok(p)) {
		kp->addr = (kprobe_opcode_t *)(p->addr - stp_kaslr_delta);
	} else if (p->symbol) {
		kp->symbol_name = p->symbol;
		kp->offset = p->offset;
	} else {
		kp->addr = (kprobe_opcode_t *)(p->relocate ?
					       p->addr - stp_kaslr_delta :
					       p->addr);
	}
	/* registered unarmed: stp_kprobes_settle() arms it */
	kp->flags = KPROBE_FLAG_DISABLED;
	if (p->ret) {
		p->st->u.rp.handler = stp_kretprobe_ret;
		p->st->u.rp.maxactive = p->maxactive;
		/* a missed return would now miss its call too */
		if (p->call && p->maxactive <= 0)
			p->st->u.rp.maxactive =
				max_t(int, 20, 4 * num_possible_cpus());
		if (p->entry || p->call) {
			p->st->u.rp.entry_handler = stp_kretprobe_entry;
			p->st->u.rp.data_size = p->entry_size;
		}
	} else {
		kp->pre_handler = stp_kprobe_pre;
		if (p->noopt)
			kp->post_handler = stp_kprobe_post;
#ifdef STP_FTRACE_OK
#ifndef CONFIG_X86_KERNEL_IBT	/* else the site is past an endbr */
		/* checked address of a function entry: straight to ftrace
		 * (stp_kprobes_settle), no kprobe registration at all */
		if (p->fentry && p->checked && !p->merged && kp->addr &&
		    !kp->symbol_name)
			p->nokp = true;
#endif
#endif
	}
}

static void stp_kprobe_warn(const struct stp_kprobe *p, int rc)
{
	char msg[256];

	if (p->optional)
		return;
	if (p->symbol)
		scnprintf(msg, sizeof(msg),
			  "probe %s registration error (rc %d)", p->probe->pp,
			  rc);
	else
		scnprintf(msg, sizeof(msg),
			  "probe %s (address 0x%lx) registration error (rc %d)",
			  p->probe->pp, p->relocate ? p->addr - stp_kaslr_delta :
			  p->addr, rc);
	stp_transport_warn(msg);
}

/*
 * A kretprobe's kprobe cannot have a post handler: a disabled one at the
 * same address lends its own to the kernel's aggregate of the two, which
 * keeps it from being optimized.  Without it, it just may be.
 */
static void stp_kprobe_guard(struct stp_kprobe *p)
{
	struct kprobe *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return;
	g->addr = p->st->u.rp.kp.addr;
	g->post_handler = stp_kprobe_post;
	g->flags = KPROBE_FLAG_DISABLED;
	if (register_kprobe(g)) {
		kfree(g);
		return;
	}
	p->st->guard = g;
}

/* register a prepared point; a failure is a warning */
static int stp_kprobe_arm(struct stp_kprobe *p)
{
	int rc = p->ret ? register_kretprobe(&p->st->u.rp) :
			  register_kprobe(&p->st->u.kp);

	/* a wildcard's function the kernel refuses (its kprobe blacklist,
	 * the symbol table cannot tell): left out with the others */
	if (rc == -EINVAL && p->wild) {
		p->left = true;
		return 0;
	}
	if (rc) {
		stp_kprobe_warn(p, rc);
		return rc;
	}
	p->registered = true;
	if (p->ret && p->noopt)
		stp_kprobe_guard(p);
	return 0;
}

static void stp_kprobe_unguard(struct stp_kprobe *p)
{
	if (p->st->guard)
		unregister_kprobe(p->st->guard);
	kfree(p->st->guard);
	p->st->guard = NULL;
}

static void stp_kprobe_disarm(struct stp_kprobe *p)
{
	if (p->ret)
		unregister_kretprobe(&p->st->u.rp);
	else
		unregister_kprobe(&p->st->u.kp);
	stp_kprobe_unguard(p);
	p->registered = false;
}

static int stp_kprobe_register_one(struct stp_kprobe *p)
{
	stp_kprobe_prepare(p);
	p->nokp = false;	/* this is the kprobe path */
	return stp_kprobe_arm(p);
}

/* a return point that can run an entry point too */
static bool stp_kprobe_pairable_ret(const struct stp_kprobe *p)
{
	return p->ret && p->symbol && !p->offset && p->maxactive <= 0 &&
	       !p->left;
}

static int stp_kprobe_cmp_sym(const void *a, const void *b)
{
	const struct stp_kprobe *x = *(const struct stp_kprobe **)a;
	const struct stp_kprobe *y = *(const struct stp_kprobe **)b;
	int c = strcmp(x->symbol, y->symbol);

	return c ? c : (x > y) - (x < y);
}

/*
 * An entry point and a return point at the same function entry: the
 * kretprobe's entry handler runs the entry point too, which saves one
 * registration (milliseconds: the kernel checks each new address against
 * long lists) and one unregistration.  Each entry point takes the first
 * free return point of its symbol, found in the return points sorted by
 * symbol (kernel.function("*").call and .return: 40,000 of each).
 */
static void stp_kprobes_pair(struct stp_kprobe *ps, unsigned int n)
{
	struct stp_kprobe **rs;
	unsigned int i, nr = 0, lo, hi, mid;

	for (i = 0; i < n; i++) {
		ps[i].merged = false;
		ps[i].call = NULL;
		nr += stp_kprobe_pairable_ret(&ps[i]);
	}
	if (!nr)
		return;
	rs = kvmalloc_array(nr, sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return;		/* no pairs: each point on its own */
	for (i = 0, nr = 0; i < n; i++)
		if (stp_kprobe_pairable_ret(&ps[i]))
			rs[nr++] = &ps[i];
	sort(rs, nr, sizeof(*rs), stp_kprobe_cmp_sym, NULL);
	for (i = 0; i < n; i++) {
		if (ps[i].ret || !ps[i].symbol || ps[i].offset || ps[i].left)
			continue;
		for (lo = 0, hi = nr; lo < hi;) {	/* first of the symbol */
			mid = lo + (hi - lo) / 2;
			if (strcmp(rs[mid]->symbol, ps[i].symbol) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nr && !strcmp(rs[lo]->symbol, ps[i].symbol); lo++) {
			if (rs[lo]->call)
				continue;
			rs[lo]->call = &ps[i];
			ps[i].merged = true;
			break;
		}
		cond_resched();
	}
	kvfree(rs);
}

/*
 * Points matched by a wildcard on no ftrace site, or refused by the
 * kernel, were left out: said with stap -v, and as a warning when nothing
 * else is registered.
 */
static void stp_kprobes_left_out(unsigned int n, bool all)
{
	char msg[160];

	if (!n)
		return;
	scnprintf(msg, sizeof(msg), "%u probe points matched by a wildcard "
		  "left out: functions ftrace cannot trace or kprobes refuse "
		  "(name one to try it)", n);
	if (all)
		stp_transport_warn(msg);
	else if (stp_verbose)
		stp_transport_info(msg);
}

/*
 * Between two points of a registration loop (343,855 of them for
 * kernel.function("*")): true when Ctrl-C asks to stop.  Checked at every
 * point: under TCG one register_kprobe() takes ~6 ms, and a check every
 * 1024th point let a Ctrl-C wait 80 s.
 */
static bool stp_kprobes_yield(void)
{
	cond_resched();
	return stp_transport_stopping();
}

/*
 * The points registered disabled (kprobes, and the kprobes of kretprobes):
 * those on ftrace sites go under ft's one ftrace_ops, the others (and all
 * of them when that fails) are armed as kprobes, last: with every
 * function of the kernel under a return probe, the 5,000 int3 ones (notrace
 * functions) armed as they were registered made the guest crawl, and the
 * 37,000 registrations and the ftrace code updates after them crawled
 * (442 s, soft lockups, against 50 s for the ftrace ones alone).  Returns
 * the last non-optional error.
 */
static int stp_kprobes_settle(struct stp_kprobe *ps, unsigned int n,
			      struct stp_ftrace *ft)
{
	unsigned int i;
	int rc, last = 0;

	/* on failure: kprobes for all, unless Ctrl-C stopped it */
	if (stp_ftrace_start(ft, ps, n) == -EINTR)
		return -EINTR;
	for (i = 0; i < n; i++) {	/* not an ftrace site after all */
		if (stp_kprobes_yield())
			return -EINTR;
		if (!ps[i].nokp || ps[i].via_ftrace)
			continue;
		if (ps[i].wild) {
			ps[i].nokp = false;
			ps[i].left = true;
			continue;
		}
		rc = stp_kprobe_register_one(&ps[i]);	/* clears nokp */
		if (rc && !ps[i].optional)
			last = rc;
	}
	for (i = 0; i < n; i++) {
		if (stp_kprobes_yield())
			return -EINTR;
		if (!stp_kprobe_waits(&ps[i]))
			continue;
		if (ps[i].wild) {
			stp_kprobe_disarm(&ps[i]);
			ps[i].left = true;
			continue;
		}
		rc = enable_kprobe(stp_kprobe_kp(&ps[i]));
		if (!rc)
			continue;
		stp_kprobe_warn(&ps[i], rc);
		stp_kprobe_disarm(&ps[i]);
		if (!ps[i].optional)
			last = rc;
	}
	return last;
}

/* the kernel's side of n points: one array, ps[0].st its start */
static int stp_kprobes_alloc(struct stp_kprobe *ps, unsigned int n)
{
	struct stp_kprobe_state *st;
	unsigned int i;

	st = kvcalloc(n, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		st[i].p = &ps[i];
		ps[i].st = &st[i];
	}
	return 0;
}

/* after every point of ps is unregistered */
static void stp_kprobes_free(struct stp_kprobe *ps, unsigned int n)
{
	unsigned int i;

	if (!n || !ps[0].st)
		return;
	for (i = 0; i < n; i++)
		kfree(ps[0].st[i].guard);
	kvfree(ps[0].st);
	for (i = 0; i < n; i++)
		ps[i].st = NULL;
}

static void stp_kprobes_unregister_all(struct stp_kprobe *ps, unsigned int n,
				       struct stp_ftrace *ft);

/*
 * More int3 points (no ftrace site) than this in one table are kept from
 * the kernel's jump optimization.  Its worker patches 256 points per pass
 * without rescheduling, and takes back every optimized point of an
 * unregistration in one pass: for the 5,000 notrace functions under
 * kernel.function("*").return, that held a CPU for over 20 s, nine
 * times, under TCG.  Unoptimized, an int3 point costs a trap per hit.
 */
#ifndef STP_KPROBES_OPTIMIZE_MAX
#define STP_KPROBES_OPTIMIZE_MAX 256
#endif

static void stp_kprobes_noopt(struct stp_kprobe *ps, unsigned int n)
{
	unsigned int i, nint3 = 0;

	for (i = 0; i < n; i++)
		nint3 += !ps[i].fentry && !ps[i].left && !ps[i].merged;
	for (i = 0; i < n; i++)
		ps[i].noopt = nint3 > STP_KPROBES_OPTIMIZE_MAX && !ps[i].fentry;
}

/*
 * Register n points one by one (the kernel's register_kprobes() is the
 * same loop, but undoes them all when one fails); the failures are
 * warnings.  Function entries then move to ftrace (stp_kprobes_settle).
 * Returns 0 when at least one point is registered (or n is 0), else the
 * last error.
 */
static int stp_kprobes_register_all(struct stp_kprobe *ps, unsigned int n,
				    struct stp_ftrace *ft)
{
	unsigned int i, ok = 0, left = 0;
	int rc, one, last = 0;

	if (!n)
		return 0;
	rc = stp_kprobes_alloc(ps, n);
	if (rc)
		return rc;
	stp_ftrace_sift(ps, n);
	stp_kprobes_pair(ps, n);
	stp_kprobes_noopt(ps, n);
	for (i = 0; i < n; i++) {
		if (stp_kprobes_yield()) {
			stp_kprobes_unregister_all(ps, n, ft);
			return -EINTR;	/* Ctrl-C while registering */
		}
		if (ps[i].left)
			continue;
		stp_kprobe_prepare(&ps[i]);
		if (ps[i].merged || ps[i].nokp)
			continue;
		one = stp_kprobe_arm(&ps[i]);
		if (one && !ps[i].optional)
			last = one;
	}
	/* a merged entry point whose kretprobe failed: on its own */
	for (i = 0; i < n; i++) {
		if (!ps[i].ret || !ps[i].call || ps[i].registered)
			continue;
		ps[i].call->merged = false;
		one = stp_kprobe_register_one(ps[i].call);
		if (one && !ps[i].call->optional)
			last = one;
		ps[i].call = NULL;
	}
	one = stp_kprobes_settle(ps, n, ft);
	if (one == -EINTR) {
		stp_kprobes_unregister_all(ps, n, ft);
		return -EINTR;
	}
	if (one)
		last = one;
	for (i = 0; i < n; i++) {
		ok += ps[i].registered;
		left += ps[i].left;
	}
	stp_kprobes_left_out(left, !ok);
	if (!ok)
		stp_kprobes_free(ps, n);
	return ok ? 0 : last;	/* only optional ones failed: run anyway */
}

static void stp_kprobes_unregister_all(struct stp_kprobe *ps, unsigned int n,
				       struct stp_ftrace *ft)
{
	void **batch;
	unsigned int i, nk = 0, nr = 0, nb = 2 * n;

	/*
	 * First the armed int3 points, one at a time: the kernel's batch
	 * disarms them all in one loop (5,000 text pokes without
	 * rescheduling, and they make the kernel crawl until then).
	 */
	for (i = 0; i < n; i++) {
		struct kprobe *kp = stp_kprobe_kp(&ps[i]);

		if (ps[i].registered && !ps[i].via_ftrace &&
		    !(kp->flags & KPROBE_FLAG_DISABLED))
			disable_kprobe(kp);
		cond_resched();
	}
	stp_ftrace_stop(ft);	/* then ftrace: its points' kprobes are idle */
	batch = kvmalloc_array(nb ? nb : 1, sizeof(*batch), GFP_KERNEL);
	/* kprobes (and guards) from the front of batch, kretprobes from its
	 * end */
	for (i = 0; i < n; i++) {
		if (!ps[i].registered || ps[i].nokp)
			continue;
		if (!batch) {		/* no memory: one by one */
			stp_kprobe_disarm(&ps[i]);
			continue;
		}
		if (ps[i].ret)
			batch[nb - ++nr] = &ps[i].st->u.rp;
		else
			batch[nk++] = &ps[i].st->u.kp;
		if (ps[i].st->guard)
			batch[nk++] = ps[i].st->guard;
	}
	if (nk)
		unregister_kprobes((struct kprobe **)batch, nk);
	if (nr)
		unregister_kretprobes((struct kretprobe **)(batch + nb - nr),
				      nr);
	for (i = 0; i < n; i++)
		ps[i].registered = false;
	kvfree(batch);
	stp_kprobes_free(ps, n);	/* and the guards */
}

/*
 * The entry points of the generated code.  -DSTP_REG_TIMING logs how long
 * each took (bench/register.sh reads it from the kernel log).
 */
#ifdef STP_REG_TIMING
#define STP_REG_TIMED(what, n, call) do {				\
	u64 t0_ = ktime_get_ns();					\
	call;								\
	pr_info("stap_reg: %s %u points %llu us\n", what, n,		\
		(ktime_get_ns() - t0_) / 1000);				\
} while (0)
#else
#define STP_REG_TIMED(what, n, call) call
#endif

static int __maybe_unused stp_kprobes_register(struct stp_kprobe *ps,
					       unsigned int n,
					       struct stp_ftrace *ft)
{
	int rc;

	STP_REG_TIMED("register", n, rc = stp_kprobes_register_all(ps, n, ft));
	return rc;
}

static void __maybe_unused stp_kprobes_unregister(struct stp_kprobe *ps,
						  unsigned int n,
						  struct stp_ftrace *ft)
{
	STP_REG_TIMED("unregister", n, stp_kprobes_unregister_all(ps, n, ft));
}

/* compute stp_kaslr_delta from an exported symbol and its link address */
#define STP_KASLR_INIT(sym, link) \
	(stp_kaslr_delta = (long)((unsigned long)(link) - \
				  (unsigned long)&(sym)))

#endif /* STP_KPROBES_H */
