/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_stat.h - one statistic: what `x <<< v` accumulates and what the
 * @count/@sum/@min/@max/@avg/@variance extractors and the histograms read.
 *
 * The shape (histogram kind, its range, the @variance bit shift) is fixed
 * per global by the translator in a const struct stp_stat_desc, built with
 * the STP_STAT_DESC_* macros.  struct stp_stat is followed by the buckets.
 *
 * @variance uses Welford's online algorithm on values scaled by 2^shift,
 * in integers, as stap documents.  Reading combines the CPUs the way stap
 * 4.8 does (its results, e.g. 12 for 1..5 unshifted, are what scripts
 * see): with the overall mean m = (sum << shift) / count,
 *   M2 = sum over CPUs of (m2_i + n_i * (mean_i - m)^2)
 *   @variance = (M2 / (count - 1)) >> (2 * shift)
 * An aggregate keeps sum(m2_i), sum(n_i mean_i) and sum(n_i mean_i^2);
 * expanding the square is exact in wrapping 64-bit arithmetic.
 */
#ifndef STP_STAT_H
#define STP_STAT_H

enum stp_hist_kind {
	STP_HIST_NONE = 0,
	STP_HIST_LOG,
	STP_HIST_LINEAR,
};

/* @hist_log: bucket 64 holds 0, 64+k holds [2^(k-1), 2^k), 64-k the negatives */
#define STP_HIST_LOG_BUCKETS	128
#define STP_HIST_LOG_ZERO	64
/* @hist_linear: payload buckets at most (the translator checks) */
#define STP_HIST_LINEAR_MAX	128

struct stp_stat_desc {
	u8 hist;		/* enum stp_hist_kind */
	u8 shift;		/* @variance(x, shift), 0..62 */
	u8 variance;		/* keep the @variance state */
	u32 buckets;		/* histogram buckets (linear: payload + 2) */
	s64 start, stop, interval;	/* @hist_linear */
};

#define STP_STAT_DESC(var, sh) \
	{ .hist = STP_HIST_NONE, .shift = (sh), .variance = (var) }
#define STP_STAT_DESC_LOG(var, sh) \
	{ .hist = STP_HIST_LOG, .shift = (sh), .variance = (var), \
	  .buckets = STP_HIST_LOG_BUCKETS }
#define STP_STAT_DESC_LINEAR(var, sh, lo, hi, step) \
	{ .hist = STP_HIST_LINEAR, .shift = (sh), .variance = (var), \
	  .buckets = ((hi) - (lo)) / (step) + 3, \
	  .start = (lo), .stop = (hi), .interval = (step) }

struct stp_stat {
	s64 count, sum, min, max;
	s64 avg_s;		/* running mean of v << shift (per CPU) */
	s64 m2;			/* sum of squared deviations, scaled */
	u64 wsum, wsq;		/* aggregates: sum n_i*avg_i, n_i*avg_i^2 */
	s64 hist[];		/* desc->buckets */
};

/* the extractors, in the order the translator names them */
enum stp_stat_op {
	STP_OP_COUNT,
	STP_OP_SUM,
	STP_OP_MIN,
	STP_OP_MAX,
	STP_OP_AVG,
	STP_OP_VARIANCE,
};

static inline size_t stp_stat_size(const struct stp_stat_desc *d)
{
	return sizeof(struct stp_stat) + d->buckets * sizeof(s64);
}

static inline void stp_stat_clear(struct stp_stat *st,
				  const struct stp_stat_desc *d)
{
	memset(st, 0, stp_stat_size(d));
}

/* bucket of v in a @hist_log */
static inline int stp_hist_log_bucket(s64 v)
{
	if (v == 0)
		return STP_HIST_LOG_ZERO;
	if (v > 0)
		return STP_HIST_LOG_ZERO + fls64((u64)v);
	return STP_HIST_LOG_ZERO - fls64(-(u64)v);
}

/* the value a bucket row is labelled with */
static inline s64 stp_hist_log_value(int b)
{
	if (b == STP_HIST_LOG_ZERO)
		return 0;
	if (b > STP_HIST_LOG_ZERO)
		return (s64)1 << (b - STP_HIST_LOG_ZERO - 1);
	return (s64)(0 - ((u64)1 << (STP_HIST_LOG_ZERO - 1 - b)));
}

/* bucket of v in a @hist_linear: 0 below start, buckets-1 above stop */
static inline int stp_hist_linear_bucket(const struct stp_stat_desc *d, s64 v)
{
	u64 i;

	if (v < d->start)
		return 0;
	i = div64_u64((u64)v - (u64)d->start, (u64)d->interval);
	if (i >= d->buckets - 2)
		return d->buckets - 1;
	return (int)i + 1;
}

static __always_inline void stp_stat_add(struct stp_stat *st,
					 const struct stp_stat_desc *d, s64 v)
{
	if (unlikely(st->count == 0)) {
		st->count = 1;
		st->sum = st->min = st->max = v;
		st->avg_s = (s64)((u64)v << d->shift);
		st->m2 = 0;
	} else {
		st->count++;
		st->sum += v;
		if (v < st->min)
			st->min = v;
		if (v > st->max)
			st->max = v;
		if (d->variance) {
			s64 x = (s64)((u64)v << d->shift);
			s64 delta = x - st->avg_s;

			st->avg_s += div64_s64(delta, st->count);
			st->m2 += delta * (x - st->avg_s);
		}
	}
	if (d->hist == STP_HIST_LOG)
		st->hist[stp_hist_log_bucket(v)]++;
	else if (d->hist == STP_HIST_LINEAR)
		st->hist[stp_hist_linear_bucket(d, v)]++;
}

/* agg += st: st is one CPU's statistic, agg an aggregate (shape d) */
static inline void stp_stat_merge(struct stp_stat *agg, const struct stp_stat *st,
				  const struct stp_stat_desc *d)
{
	u32 i;

	if (st->count == 0)
		return;
	if (agg->count == 0) {
		agg->min = st->min;
		agg->max = st->max;
	}
	if (d->variance) {
		agg->m2 += st->m2;
		agg->wsum += (u64)st->count * (u64)st->avg_s;
		agg->wsq += (u64)st->count * (u64)st->avg_s * (u64)st->avg_s;
	}
	agg->count += st->count;
	agg->sum += st->sum;
	if (st->min < agg->min)
		agg->min = st->min;
	if (st->max > agg->max)
		agg->max = st->max;
	for (i = 0; i < d->buckets; i++)
		agg->hist[i] += st->hist[i];
}

/* @variance of an aggregate */
static inline s64 stp_stat_variance(const struct stp_stat *st,
				    const struct stp_stat_desc *d)
{
	u64 m, m2;

	if (st->count < 2)
		return 0;
	m = (u64)div64_s64((s64)((u64)st->sum << d->shift), st->count);
	m2 = (u64)st->m2 + st->wsq - 2 * m * st->wsum +
	     (u64)st->count * m * m;
	return div64_s64((s64)m2, st->count - 1) >> (2 * d->shift);
}

/*
 * The extractor op of count/sum/min/max (one CPU's or folded from all):
 * 0, or -ENODATA when empty ("empty aggregate"): only @count and @sum
 * have a value then, 0.  @variance is the caller's.
 */
static __always_inline int stp_stat_folded(int op, s64 count, s64 sum,
					   s64 min, s64 max, s64 *out)
{
	*out = 0;
	if (!count)
		return op == STP_OP_COUNT || op == STP_OP_SUM ? 0 : -ENODATA;
	switch (op) {
	case STP_OP_COUNT:
		*out = count;
		break;
	case STP_OP_SUM:
		*out = sum;
		break;
	case STP_OP_MIN:
		*out = min;
		break;
	case STP_OP_MAX:
		*out = max;
		break;
	default:	/* STP_OP_AVG; the caller handles @variance */
		*out = div64_s64(sum, count);
		break;
	}
	return 0;
}

/* one extractor of a statistic (NULL: empty) */
static inline int stp_stat_get(const struct stp_stat *st,
			       const struct stp_stat_desc *d, int op, s64 *out)
{
	if (!st)
		return stp_stat_folded(op, 0, 0, 0, 0, out);
	if (op == STP_OP_VARIANCE && st->count) {
		*out = stp_stat_variance(st, d);
		return 0;
	}
	return stp_stat_folded(op, st->count, st->sum, st->min, st->max, out);
}

/*
 * @hist_*(x)[i]: 0, -ENODATA for an empty statistic ("empty aggregate",
 * checked first, as stap does) or -ERANGE for a bucket that does not exist
 */
static inline int stp_stat_bucket(const struct stp_stat *st,
				  const struct stp_stat_desc *d, s64 i, s64 *out)
{
	*out = 0;
	if (!st || st->count == 0)
		return -ENODATA;
	if (i < 0 || i >= d->buckets)
		return -ERANGE;
	*out = st->hist[i];
	return 0;
}

#endif /* STP_STAT_H */
