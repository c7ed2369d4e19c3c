/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_pstat.h - statistics kept per CPU.
 *
 * `x <<< v` and `a[k] <<< v` touch only this CPU's copy (no shared cache
 * line, so the caller's shared lock is enough); reading (extractors,
 * histograms, foreach over a statistics array) aggregates the copies under
 * the caller's exclusive lock.
 *
 *   struct stp_pstat  a scalar statistic: one struct stp_stat per CPU
 *   struct stp_pmap   an array of statistics: one stp_map per CPU, plus the
 *                     aggregate map that foreach and sorting use
 */
#ifndef STP_PSTAT_H
#define STP_PSTAT_H

#ifndef STP_THIS_CPU
#define STP_THIS_CPU() smp_processor_id()
#endif

/* ---- scalar ----------------------------------------------------------- */

struct stp_pstat {
	const struct stp_stat_desc *d;
	struct stp_stat **cpu;		/* [nr_cpu_ids] */
	struct stp_stat *agg;
};

static inline void stp_pstat_free(struct stp_pstat *ps)
{
	unsigned int c;

	if (ps->cpu) {
		for_each_possible_cpu(c)
			kfree(ps->cpu[c]);
		kfree(ps->cpu);
	}
	kfree(ps->agg);
	ps->cpu = NULL;
	ps->agg = NULL;
}

static inline int stp_pstat_init(struct stp_pstat *ps,
				 const struct stp_stat_desc *d)
{
	size_t sz = stp_stat_size(d);
	unsigned int c;

	ps->d = d;
	ps->cpu = kcalloc(nr_cpu_ids, sizeof(*ps->cpu), GFP_KERNEL);
	ps->agg = kzalloc(sz, GFP_KERNEL);
	if (!ps->cpu || !ps->agg)
		goto fail;
	for_each_possible_cpu(c) {
		ps->cpu[c] = kzalloc(ALIGN(sz, 64), GFP_KERNEL);
		if (!ps->cpu[c])
			goto fail;
	}
	return 0;
fail:
	stp_pstat_free(ps);
	return -ENOMEM;
}

static inline size_t stp_pstat_memsize(const struct stp_pstat *ps)
{
	return (num_possible_cpus() + 1) * stp_stat_size(ps->d);
}

/* x <<< v: the hot path; d is ps->d (constant in the generated code) */
static __always_inline void stp_pstatc_add(struct stp_pstat *ps,
					   const struct stp_stat_desc *d,
					   s64 v)
{
	stp_stat_add(ps->cpu[STP_THIS_CPU()], d, v);
}

static inline void stp_pstat_add(struct stp_pstat *ps, s64 v)
{
	stp_pstatc_add(ps, ps->d, v);
}

/* fold one CPU's statistic into count/sum/min/max (for op) */
static __always_inline void stp_stat_fold(const struct stp_stat *st, int op,
					  s64 *count, s64 *sum, s64 *min,
					  s64 *max)
{
	if (!st->count)
		return;
	if (op == STP_OP_MIN && (!*count || st->min < *min))
		*min = st->min;
	if (op == STP_OP_MAX && (!*count || st->max > *max))
		*max = st->max;
	*count += st->count;
	*sum += st->sum;
}

/* the aggregate over all CPUs (valid until the next call) */
static inline const struct stp_stat *stp_pstat_get(struct stp_pstat *ps)
{
	unsigned int c;

	stp_stat_clear(ps->agg, ps->d);
	for_each_possible_cpu(c)
		stp_stat_merge(ps->agg, ps->cpu[c], ps->d);
	return ps->agg;
}

/*
 * One extractor of x (not @variance: stp_pstat_get) folded from the CPUs'
 * copies, without building the aggregate: 0 or -ENODATA (stp_stat_get).
 */
static __always_inline int stp_pstatc_stat(struct stp_pstat *ps,
					   const struct stp_stat_desc *d,
					   int op, s64 *out)
{
	s64 count = 0, sum = 0, min = 0, max = 0;
	unsigned int c;

	if (op == STP_OP_VARIANCE)
		return stp_stat_get(stp_pstat_get(ps), d, op, out);
	for (c = 0; c < nr_cpu_ids; c++)
		if (ps->cpu[c])		/* a possible CPU */
			stp_stat_fold(ps->cpu[c], op, &count, &sum, &min,
				      &max);
	return stp_stat_folded(op, count, sum, min, max, out);
}

/* delete x */
static inline void stp_pstat_clear(struct stp_pstat *ps)
{
	unsigned int c;

	for_each_possible_cpu(c)
		stp_stat_clear(ps->cpu[c], ps->d);
}

/* ---- array ------------------------------------------------------------ */

struct stp_pmap {
	const struct stp_map_desc *d;
	struct stp_map **cpu;		/* [nr_cpu_ids] */
	struct stp_map agg;		/* rebuilt by stp_pmap_aggregate */
	struct stp_stat *one;		/* stp_pmap_get's result */
};

static inline void stp_pmap_free(struct stp_pmap *pm)
{
	unsigned int c;

	if (pm->cpu) {
		for_each_possible_cpu(c) {
			if (pm->cpu[c])
				stp_map_free(pm->cpu[c]);
			kfree(pm->cpu[c]);
		}
		kfree(pm->cpu);
	}
	stp_map_free(&pm->agg);
	kfree(pm->one);
	pm->cpu = NULL;
	pm->one = NULL;
}

static inline int stp_pmap_init(struct stp_pmap *pm, const struct stp_map_desc *d)
{
	unsigned int c;

	memset(pm, 0, sizeof(*pm));
	pm->d = d;
	pm->cpu = kcalloc(nr_cpu_ids, sizeof(*pm->cpu), GFP_KERNEL);
	pm->one = kzalloc(stp_stat_size(d->stat), GFP_KERNEL);
	if (!pm->cpu || !pm->one || stp_map_init(&pm->agg, d))
		goto fail;
	for_each_possible_cpu(c) {
		pm->cpu[c] = kzalloc(sizeof(struct stp_map), GFP_KERNEL);
		if (!pm->cpu[c] || stp_map_init(pm->cpu[c], d))
			goto fail;
	}
	return 0;
fail:
	stp_pmap_free(pm);
	return -ENOMEM;
}

static inline size_t stp_pmap_memsize(const struct stp_pmap *pm)
{
	return (num_possible_cpus() + 1) * stp_map_memsize(&pm->agg);
}

/*
 * a[k] <<< v: 0, or -ENOSPC when this CPU's map is full (pm->agg.errmsg).
 * d is pm->d; the generated code passes its const descriptor, which makes
 * the lookup and the statistic's update straight-line code (stp_mapc_*).
 */
static __always_inline int stp_pmapc_add(struct stp_pmap *pm,
					 const struct stp_map_desc *d,
					 const union stp_kv *k, s64 v)
{
	struct stp_stat *st = stp_mapc_slot(pm->cpu[STP_THIS_CPU()], d, k);

	if (unlikely(!st))
		return -ENOSPC;
	stp_stat_add(st, d->stat, v);
	return 0;
}

static inline int stp_pmap_add(struct stp_pmap *pm, const union stp_kv *k,
			       s64 v)
{
	return stp_pmapc_add(pm, pm->d, k, v);
}

/* a[k] aggregated over the CPUs, NULL when no CPU has k (valid until the
 * next call) */
static inline const struct stp_stat *stp_pmap_get(struct stp_pmap *pm,
						  const union stp_kv *k)
{
	const struct stp_stat_desc *sd = pm->d->stat;
	bool found = false;
	unsigned int c;

	stp_stat_clear(pm->one, sd);
	for_each_possible_cpu(c) {
		const struct stp_stat *st = stp_map_find(pm->cpu[c], k);

		if (st) {
			stp_stat_merge(pm->one, st, sd);
			found = true;
		}
	}
	return found ? pm->one : NULL;
}

/*
 * One extractor of a[k] (not @variance: stp_pmap_get) over the CPUs,
 * folded straight from each CPU's entry: k is hashed once, nothing is
 * copied.  0, or -ENODATA for a key no CPU has, as stp_stat_get.
 */
static __always_inline int stp_pmapc_stat(struct stp_pmap *pm,
					  const struct stp_map_desc *d,
					  const union stp_kv *k, int op,
					  s64 *out)
{
	u32 h = stp_mapc_hash(d, k);
	s64 count = 0, sum = 0, min = 0, max = 0;
	unsigned int c;

	if (op == STP_OP_VARIANCE)
		return stp_stat_get(stp_pmap_get(pm, k), d->stat, op, out);
	for (c = 0; c < nr_cpu_ids; c++) {
		const struct stp_map *m = pm->cpu[c];
		const struct stp_mentry *e;

		if (!m)		/* not a possible CPU */
			continue;
		e = stp_mapc_lookup_h(m, d, k, h);
		if (e)
			stp_stat_fold(stp_mec_val(d, e), op, &count, &sum,
				      &min, &max);
	}
	return stp_stat_folded(op, count, sum, min, max, out);
}

/* [k] in a (k may hold wildcards, bits in star) */
static inline bool stp_pmap_has(struct stp_pmap *pm, const union stp_kv *k,
				u32 star)
{
	unsigned int c;

	for_each_possible_cpu(c)
		if (stp_map_has_slice(pm->cpu[c], k, star))
			return true;
	return false;
}

/* delete a[k] (star: wildcards); delete a is stp_pmap_clear */
static inline void stp_pmap_del(struct stp_pmap *pm, const union stp_kv *k,
				u32 star)
{
	unsigned int c;

	for_each_possible_cpu(c)
		stp_map_del_slice(pm->cpu[c], k, star);
}

static inline void stp_pmap_clear(struct stp_pmap *pm)
{
	unsigned int c;

	for_each_possible_cpu(c)
		stp_map_clear(pm->cpu[c]);
	stp_map_clear(&pm->agg);
}

/*
 * Rebuild the aggregate map (for foreach and sorting): every key of every
 * CPU, statistics merged, in the order keys first appear walking the CPUs
 * (stap's own unsorted order for statistics arrays is its hash order, which
 * nothing can rely on).  Returns the map, or NULL when the union overflows.
 */
static inline struct stp_map *stp_pmap_aggregate(struct stp_pmap *pm)
{
	const struct stp_stat_desc *sd = pm->d->stat;
	union stp_kv k[STP_MAP_MAXKEYS];
	struct stp_mentry *e;
	unsigned int c;

	stp_map_clear(&pm->agg);
	for_each_possible_cpu(c) {
		struct stp_map *m = pm->cpu[c];

		for (e = m->first; e; e = e->next) {
			struct stp_stat *st;

			stp_map_entry_keys(m, e, k);
			st = stp_map_slot(&pm->agg, k);
			if (!st)
				return NULL;
			stp_stat_merge(st, stp_me_val(m, e), sd);
		}
	}
	return &pm->agg;
}

#endif /* STP_PSTAT_H */
