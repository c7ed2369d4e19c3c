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
 * in integers, as stap documents; per-CPU parts are combined with the
 * parallel form of the same algorithm.
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
	s64 avg_s;		/* running mean of v << shift */
	s64 m2;			/* sum of squared deviations, scaled */
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

static inline void stp_stat_add(struct stp_stat *st,
				const struct stp_stat_desc *d, s64 v)
{
	if (st->count == 0) {
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

/* agg += st (both of shape d) */
static inline void stp_stat_merge(struct stp_stat *agg, const struct stp_stat *st,
				  const struct stp_stat_desc *d)
{
	u32 i;

	if (st->count == 0)
		return;
	if (agg->count == 0) {
		memcpy(agg, st, stp_stat_size(d));
		return;
	}
	if (d->variance) {
		s64 n = agg->count + st->count;
		s64 delta = st->avg_s - agg->avg_s;

		agg->m2 += st->m2 + div64_s64(delta * delta * agg->count, n) *
			   st->count;
		agg->avg_s += div64_s64(delta * st->count, n);
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

/*
 * One extractor.  0, or -ENODATA when the statistic is empty ("empty
 * aggregate"): only @count and @sum have a value then, 0.
 */
static inline int stp_stat_get(const struct stp_stat *st,
			       const struct stp_stat_desc *d, int op, s64 *out)
{
	if (!st || st->count == 0) {
		*out = 0;
		return op == STP_OP_COUNT || op == STP_OP_SUM ? 0 : -ENODATA;
	}
	switch (op) {
	case STP_OP_COUNT:
		*out = st->count;
		break;
	case STP_OP_SUM:
		*out = st->sum;
		break;
	case STP_OP_MIN:
		*out = st->min;
		break;
	case STP_OP_MAX:
		*out = st->max;
		break;
	case STP_OP_AVG:
		*out = div64_s64(st->sum, st->count);
		break;
	case STP_OP_VARIANCE:
		*out = st->count < 2 ? 0 :
		       div64_s64(st->m2, st->count - 1) >> (2 * d->shift);
		break;
	default:
		*out = 0;
	}
	return 0;
}

/* @hist_*(x)[i]: 0, or -ERANGE for a bucket that does not exist */
static inline int stp_stat_bucket(const struct stp_stat *st,
				  const struct stp_stat_desc *d, s64 i, s64 *out)
{
	*out = 0;
	if (i < 0 || i >= d->buckets)
		return -ERANGE;
	if (st)
		*out = st->hist[i];
	return 0;
}

#endif /* STP_STAT_H */
