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

/* a registered entry point or kretprobe that waits (disabled) for ftrace */
static bool stp_ftrace_wants(const struct stp_kprobe *p)
{
	return p->registered && !p->via_ftrace &&
	       (stp_kprobe_kp(p)->flags & KPROBE_FLAG_DISABLED);
}

/* a waiting kprobe on an ftrace site, or a point without a kprobe */
static bool stp_ftrace_cand(const struct stp_kprobe *p)
{
	return p->nokp ||
	       (stp_ftrace_wants(p) &&
		(stp_kprobe_kp(p)->flags & KPROBE_FLAG_FTRACE));
}

/*
 * Add ips[0..n) (sorted) to the filter; a refused chunk is halved until
 * the refused sites are found, which go to bad[] (in order).  A refused
 * call leaves the filter as it was, and each call copies the whole filter:
 * halving costs O(refused x log n) calls where one call per site would
 * cost O(n) (quadratic for kernel.function("*")).
 */
static void stp_ftrace_add(struct stp_ftrace *ft, unsigned long *ips,
			   unsigned int n, unsigned long *bad,
			   unsigned int *nbad)
{
	if (!n || !ftrace_set_filter_ips(&ft->ops, ips, n, 0, 0))
		return;
	if (n == 1) {
		bad[(*nbad)++] = ips[0];
		return;
	}
	stp_ftrace_add(ft, ips, n / 2, bad, nbad);
	stp_ftrace_add(ft, ips + n / 2, n - n / 2, bad, nbad);
}

/*
 * The filter: all sites in one call; when the kernel refuses some (points
 * without kprobes that are no ftrace sites), the others, dropping the
 * entries of the refused ones.
 */
static int stp_ftrace_filter(struct stp_ftrace *ft, unsigned long *ips,
			     unsigned int nip)
{
	unsigned long *bad;
	unsigned int i, k = 0, b = 0, nbad = 0;

	if (!ftrace_set_filter_ips(&ft->ops, ips, nip, 0, 1))
		return 0;
	bad = kvmalloc_array(nip, sizeof(*bad), GFP_KERNEL);
	if (!bad)
		return -ENOMEM;
	stp_ftrace_add(ft, ips, nip, bad, &nbad);
	for (i = 0; i < ft->n; i++) {	/* ents and bad are sorted by ip */
		while (b < nbad && bad[b] < ft->ents[i].ip)
			b++;
		if (b == nbad || bad[b] != ft->ents[i].ip)
			ft->ents[k++] = ft->ents[i];
	}
	kvfree(bad);
	ft->n = k;
	return k ? 0 : -ENOENT;
}

/*
 * Put the waiting points that sit on ftrace sites, and the points without
 * kprobes that do, under ft's one ftrace_ops.  Returns 0 or an error (then
 * none of them is on ftrace: the caller gives them kprobes).
 */
static int stp_ftrace_start(struct stp_ftrace *ft, struct stp_kprobe *ps,
			    unsigned int n)
{
	unsigned long *ips;
	unsigned int i, k = 0, nip = 0;
	int rc;

	ft->on = false;
	ft->n = 0;
	for (i = 0; i < n; i++)
		k += stp_ftrace_cand(&ps[i]);
	if (!k)
		return 0;
	ft->ents = kvmalloc_array(k, sizeof(*ft->ents), GFP_KERNEL);
	ips = kvmalloc_array(k, sizeof(*ips), GFP_KERNEL);
	rc = -ENOMEM;
	if (!ft->ents || !ips)
		goto fail;
	for (i = 0; i < n; i++) {
		if (!stp_ftrace_cand(&ps[i]))
			continue;
		ft->ents[ft->n].ip = (unsigned long)stp_kprobe_kp(&ps[i])->addr;
		ft->ents[ft->n++].p = &ps[i];
	}
	sort(ft->ents, ft->n, sizeof(*ft->ents), stp_ftrace_cmp, NULL);
	for (i = 0; i < ft->n; i++)
		if (!nip || ips[nip - 1] != ft->ents[i].ip)
			ips[nip++] = ft->ents[i].ip;
	memset(&ft->ops, 0, sizeof(ft->ops));
	ft->ops.func = stp_ftrace_handler;
	ft->ops.flags = FTRACE_OPS_FL_SAVE_REGS;
	rc = stp_ftrace_filter(ft, ips, nip);
	if (!rc)
		rc = register_ftrace_function(&ft->ops);
	if (rc) {
		ftrace_free_filter(&ft->ops);
		goto fail;
	}
	kvfree(ips);
	for (i = 0; i < ft->n; i++) {
		ft->ents[i].p->via_ftrace = true;
		if (ft->ents[i].p->nokp)
			ft->ents[i].p->registered = true;
	}
	ft->on = true;
	return 0;
fail:
	kvfree(ips);
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
	unregister_ftrace_function(&ft->ops);
	ftrace_free_filter(&ft->ops);
	for (i = 0; i < ft->n; i++)
		ft->ents[i].p->via_ftrace = false;
	kvfree(ft->ents);
	ft->ents = NULL;
	ft->n = 0;
	ft->on = false;
}

#else /* !STP_FTRACE_OK */

static inline bool stp_ftrace_wants(const struct stp_kprobe *p)
{
	return false;
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
