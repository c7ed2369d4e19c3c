/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_ftrace.h - function-entry probes through one ftrace_ops.
 *
 * Arming a kprobe on an ftrace site costs one ftrace code update per
 * point (the kernel walks every ftrace record and patches); hundreds of
 * points take seconds under emulation.  Instead, the entry points of a
 * table are first registered as DISABLED kprobes in one batch (the kernel
 * resolves symbol + offset, checks its blacklist and tells whether the
 * address is an ftrace site, without arming anything); the ftrace sites
 * then go into the filter of one struct ftrace_ops, registered once (one
 * code update for all) and unregistered once.  The disabled kprobes stay
 * registered (nothing armed) so addr() and the kprobe bookkeeping do not
 * change; the other points are enabled as ordinary kprobes.
 *
 * The callback gives handlers what a kprobe on ftrace gives them: the
 * saved pt_regs with ip = address + 1, preemption off, one hit per
 * context (a nested hit from the handler's own calls is dropped, as the
 * kprobe path drops it).
 *
 * Return points work the same way: their kretprobes are registered
 * disabled (the kernel sets up the return hook pool and
 * installs its own entry handler in kp.pre_handler, arming nothing), and
 * the callback runs that entry handler at the function entry, as an
 * armed kretprobe on this ftrace site would: it takes an instance and
 * hooks the return address, and the kernel runs our return handler.
 *
 * Included by stp_kprobes.h (needs struct stp_kprobe, stp_kprobe_fire).
 * -DSTP_NO_FTRACE keeps every point on the kprobe path.
 */
#ifndef STP_FTRACE_H
#define STP_FTRACE_H

#include <linux/ftrace.h>
#include <linux/sort.h>
#include <linux/bsearch.h>

#if defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS) && \
	defined(CONFIG_KPROBES_ON_FTRACE) && !defined(STP_NO_FTRACE)
#define STP_FTRACE_OK 1
#endif

struct stp_ftrace_ent {
	unsigned long ip;		/* the ftrace site (kprobe address) */
	struct stp_kprobe *p;
};

struct stp_ftrace {
#ifdef STP_FTRACE_OK
	struct ftrace_ops ops;
#endif
	struct stp_ftrace_ent *ents;	/* sorted by ip, then table order */
	unsigned int n;
	bool on;
};

#ifdef STP_FTRACE_OK

static void notrace stp_ftrace_handler(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *ops,
				       struct ftrace_regs *fregs)
{
	struct stp_ftrace *ft = container_of(ops, struct stp_ftrace, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);
	unsigned int lo = 0, hi = ft->n, mid;
	unsigned long orig_ip;
	int bit;

	if (unlikely(!regs))
		return;
	bit = ftrace_test_recursion_trylock(ip, parent_ip);	/* +preempt */
	if (bit < 0)
		return;
	while (lo < hi) {		/* the first entry at ip */
		mid = lo + (hi - lo) / 2;
		if (ft->ents[mid].ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	orig_ip = instruction_pointer(regs);
	/* what a kprobe handler sees: as if the int3 at ip had trapped */
	instruction_pointer_set(regs, ip + sizeof(kprobe_opcode_t));
	for (; lo < ft->n && ft->ents[lo].ip == ip; lo++) {
		struct stp_kprobe *p = ft->ents[lo].p;

		if (!p->ret)
			stp_kprobe_fire(p, regs, NULL);
		else if (stp_probe_may_run())
			/* what its armed kprobe would run */
			p->st->u.rp.kp.pre_handler(&p->st->u.rp.kp, regs);
	}
	instruction_pointer_set(regs, orig_ip);
	ftrace_test_recursion_unlock(bit);
}

static int stp_ftrace_cmp(const void *a, const void *b)
{
	const struct stp_ftrace_ent *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* a waiting kprobe on an ftrace site, or a point without a kprobe */
static bool stp_ftrace_cand(const struct stp_kprobe *p)
{
	return p->nokp ||
	       (stp_kprobe_waits(p) &&
		(stp_kprobe_kp(p)->flags & KPROBE_FLAG_FTRACE));
}

/*
 * Add ips[0..n) (sorted) to the filter of ops (reset: in place of what it
 * holds); a refused chunk is halved until the refused sites are found,
 * which go to bad[] (in order).  A refused call leaves the filter as it
 * was, and each call copies the whole filter: halving costs O(refused x
 * log n) calls where one call per site would cost O(n) (quadratic for
 * kernel.function("*")).
 */
static void stp_ftrace_add(struct ftrace_ops *ops, unsigned long *ips,
			   unsigned int n, int reset, unsigned long *bad,
			   unsigned int *nbad)
{
	if (!n || !ftrace_set_filter_ips(ops, ips, n, 0, reset))
		return;
	if (n == 1) {
		bad[(*nbad)++] = ips[0];
		return;
	}
	stp_ftrace_add(ops, ips, n / 2, reset, bad, nbad);
	stp_ftrace_add(ops, ips + n / 2, n - n / 2, reset, bad, nbad);
}

/*
 * Sites patched per code update.  The kernel patches all the sites of one
 * update without rescheduling: with every function of the kernel under a
 * return probe, one update of 37,000 sites held a CPU for over 100 s under
 * TCG (soft lockups).  Each update has a fixed cost too: for
 * kernel.function("*").call (37,000 sites) under TCG, registration took
 * 47.8 s in one update, 50.8 s in chunks of 8,192 and 93.7 s in chunks
 * of 1,024 (unregistration 16.8, 19.1 and 33.7 s).
 */
#ifndef STP_FTRACE_CHUNK
#define STP_FTRACE_CHUNK 8192
#endif

/*
 * Put ips[0..nip) (sorted, unique) under ft->ops and register it, a chunk
 * per code update; the sites the kernel refuses (points without kprobes
 * that are no ftrace sites) go to bad[] (sorted).  The filter never
 * becomes empty while the ops is registered: an empty filter traces every
 * function.
 */
static int stp_ftrace_enable(struct stp_ftrace *ft, unsigned long *ips,
			     unsigned int nip, unsigned long *bad,
			     unsigned int *nbad)
{
	unsigned int pos, len, was;
	int rc;

	for (pos = 0; pos < nip; pos += len) {
		len = min_t(unsigned int, nip - pos, STP_FTRACE_CHUNK);
		was = *nbad;
		cond_resched();
		if (ft->on && stp_transport_stopping())
			return -EINTR;
		stp_ftrace_add(&ft->ops, ips + pos, len, 0, bad, nbad);
		if (ft->on || *nbad - was == len)
			continue;
		rc = register_ftrace_function(&ft->ops);
		if (rc)
			return rc;
		ft->on = true;
	}
	return ft->on ? 0 : -ENOENT;
}

/* take the filter down a chunk per code update, then the ops */
static void stp_ftrace_disable(struct stp_ftrace *ft)
{
	unsigned long *ips;
	unsigned int i, nip = 0;

	ips = kvmalloc_array(STP_FTRACE_CHUNK, sizeof(*ips), GFP_KERNEL);
	for (i = 0; ips && i < ft->n; i++) {
		unsigned long ip = ft->ents[i].ip;

		if (!ft->ents[i].p->via_ftrace || (nip && ips[nip - 1] == ip))
			continue;
		if (nip == STP_FTRACE_CHUNK) {	/* one is left after it */
			ftrace_set_filter_ips(&ft->ops, ips, nip, 1, 0);
			nip = 0;
			cond_resched();
		}
		ips[nip++] = ip;
	}
	kvfree(ips);
	unregister_ftrace_function(&ft->ops);
	ftrace_free_filter(&ft->ops);
	ft->on = false;
}

static int stp_ftrace_cmp_ip(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* in bad[0..nbad) (sorted)? */
static bool stp_ftrace_refused(unsigned long ip, const unsigned long *bad,
			       unsigned int nbad)
{
	return bsearch(&ip, bad, nbad, sizeof(*bad), stp_ftrace_cmp_ip);
}

/* sort ents[0..k) by ip; their distinct sites to ips[], how many */
static unsigned int stp_ftrace_sites(struct stp_ftrace_ent *ents,
				     unsigned int k, unsigned long *ips)
{
	unsigned int i, nip = 0;

	sort(ents, k, sizeof(*ents), stp_ftrace_cmp, NULL);
	for (i = 0; i < k; i++)
		if (!nip || ips[nip - 1] != ents[i].ip)
			ips[nip++] = ents[i].ip;
	return nip;
}

/*
 * The points matched by a wildcard whose functions ftrace cannot trace are
 * left out before anything is registered, as bpftrace leaves out of its
 * kprobe wildcards what available_filter_functions does not list: the
 * kernel's assembly routines and notrace code, where one kprobe can stall
 * or crash the kernel (ftrace_regs_caller runs on every traced call, the
 * return thunks on every return; srso_alias_safe_ret spans 1 MB by
 * kallsyms, which the kernel decodes in one go to prepare a kprobe there).
 * The test: the kernel refuses a filter naming a non-site (a scratch ops,
 * never registered, reset by every call: halving costs O(n log n)), at
 * the link-time address from pass 2 (relocated; a System.map that does
 * not match the kernel only leaves more out).  The points without one
 * (ambiguous names) are sifted after registration (stp_kprobes_settle).
 */
static void stp_ftrace_sift(struct stp_kprobe *ps, unsigned int n)
{
	struct stp_ftrace_ent *ents = NULL;
	unsigned long *ips = NULL, *bad = NULL;
	struct ftrace_ops *ops = NULL;
	unsigned int i, k = 0, nip, nbad = 0;

	for (i = 0; i < n; i++) {
		ps[i].left = false;
		k += ps[i].wild;
	}
	if (!k)
		return;
	ents = kvmalloc_array(k, sizeof(*ents), GFP_KERNEL);
	ips = kvmalloc_array(k, sizeof(*ips), GFP_KERNEL);
	bad = kvmalloc_array(k, sizeof(*bad), GFP_KERNEL);
	ops = kzalloc(sizeof(*ops), GFP_KERNEL);
	if (!ents || !ips || !bad || !ops)
		goto out;	/* then all are sifted after registration */
	for (i = 0, k = 0; i < n; i++) {
		cond_resched();
		if (!ps[i].wild || !ps[i].addr || !ps[i].relocate)
			continue;
		ents[k].ip = ps[i].addr - stp_kaslr_delta;
		ents[k++].p = &ps[i];
	}
	nip = stp_ftrace_sites(ents, k, ips);
	stp_ftrace_add(ops, ips, nip, 1, bad, &nbad);
	ftrace_free_filter(ops);
	for (i = 0; i < k; i++)
		ents[i].p->left = stp_ftrace_refused(ents[i].ip, bad, nbad);
out:
	kfree(ops);
	kvfree(bad);
	kvfree(ips);
	kvfree(ents);
}

/*
 * Put the waiting points that sit on ftrace sites, and the points without
 * kprobes that do, under ft's one ftrace_ops.  Returns 0 or an error (then
 * none of them is on ftrace: the caller gives them kprobes, or stops on
 * -EINTR).  The entries of refused sites stay in ft->ents (the handler,
 * running from the first chunk on, is never called at their ip).
 */
static int stp_ftrace_start(struct stp_ftrace *ft, struct stp_kprobe *ps,
			    unsigned int n)
{
	unsigned long *ips, *bad;
	unsigned int i, k = 0, nip, nbad = 0;
	int rc;

	ft->on = false;
	ft->n = 0;
	for (i = 0; i < n; i++)
		k += stp_ftrace_cand(&ps[i]);
	if (!k)
		return 0;
	memset(&ft->ops, 0, sizeof(ft->ops));
	ft->ops.func = stp_ftrace_handler;
	ft->ops.flags = FTRACE_OPS_FL_SAVE_REGS;
	ft->ents = kvmalloc_array(k, sizeof(*ft->ents), GFP_KERNEL);
	ips = kvmalloc_array(k, sizeof(*ips), GFP_KERNEL);
	bad = kvmalloc_array(k, sizeof(*bad), GFP_KERNEL);
	rc = -ENOMEM;
	if (!ft->ents || !ips || !bad)
		goto out;
	for (i = 0; i < n; i++) {
		if (!stp_ftrace_cand(&ps[i]))
			continue;
		ft->ents[ft->n].ip = (unsigned long)stp_kprobe_kp(&ps[i])->addr;
		ft->ents[ft->n++].p = &ps[i];
	}
	nip = stp_ftrace_sites(ft->ents, ft->n, ips);
	rc = stp_ftrace_enable(ft, ips, nip, bad, &nbad);
	for (i = 0; !rc && i < ft->n; i++) {
		struct stp_kprobe *p = ft->ents[i].p;

		p->via_ftrace = !stp_ftrace_refused(ft->ents[i].ip, bad, nbad);
		if (p->via_ftrace && p->nokp)
			p->registered = true;
	}
out:
	kvfree(ips);
	kvfree(bad);
	if (!rc)
		return 0;
	if (ft->on) {
		unregister_ftrace_function(&ft->ops);
		ft->on = false;
	}
	ftrace_free_filter(&ft->ops);
	kvfree(ft->ents);
	ft->ents = NULL;
	ft->n = 0;
	return rc;
}

/* after this, no handler runs from ft (the kernel waits for them) */
static void stp_ftrace_stop(struct stp_ftrace *ft)
{
	unsigned int i;

	if (!ft || !ft->on)
		return;
	stp_ftrace_disable(ft);
	for (i = 0; i < ft->n; i++)
		ft->ents[i].p->via_ftrace = false;
	kvfree(ft->ents);
	ft->ents = NULL;
	ft->n = 0;
}

#else /* !STP_FTRACE_OK */

static inline void stp_ftrace_sift(struct stp_kprobe *ps, unsigned int n)
{
}

static inline int stp_ftrace_start(struct stp_ftrace *ft,
				   struct stp_kprobe *ps, unsigned int n)
{
	return 0;
}

static inline void stp_ftrace_stop(struct stp_ftrace *ft)
{
}

#endif /* STP_FTRACE_OK */
#endif /* STP_FTRACE_H */
