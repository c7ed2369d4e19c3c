/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_data_ctx.h - the data structures as probe handlers use them: the
 * calls pass 3 emits (src/translate/tx_data.c), each raising stap's error
 * in the context and returning something harmless when it fails.  The
 * generated code checks c->unwind afterwards, as for every other error.
 * Kernel only (needs stp_context.h / stp_print.h).
 */
#ifndef STP_DATA_CTX_H
#define STP_DATA_CTX_H

/* ---- ordinary arrays ---------------------------------------------------- */

/*
 * d is always m's own descriptor (m->d), passed as the generated code's
 * const object so that the map code specialises to the array's keys.
 */

/* the value slot of m[k], created if missing; NULL after an error */
static __always_inline void *stp_d_slot(struct stp_context *c,
					struct stp_map *m,
					const struct stp_map_desc *d,
					const union stp_kv *k, const char *near)
{
	void *v = stp_mapc_slot(m, d, k);

	if (unlikely(!v))
		stp_error(c, m->errmsg, near);
	return v;
}

/* m[k] = v, returns v */
static __always_inline int64_t stp_d_set_long(struct stp_context *c,
					      struct stp_map *m,
					      const struct stp_map_desc *d,
					      const union stp_kv *k, int64_t v,
					      const char *near)
{
	int64_t *p = stp_d_slot(c, m, d, k, near);

	if (p)
		*p = v;
	return v;
}

/* m[k] = s (op '.': m[k] .= s), returns the stored string */
static inline const char *stp_d_set_str(struct stp_context *c,
					struct stp_map *m,
					const struct stp_map_desc *d,
					const union stp_kv *k, const char *s,
					bool append, const char *near)
{
	char *p = stp_d_slot(c, m, d, k, near);

	if (!p)
		return "";
	if (append)
		stp_strcat(p, s);
	else
		stp_strcpy(p, s);
	return p;
}

/* ---- statistics --------------------------------------------------------- */

static __always_inline int64_t stp_d_pmap_add(struct stp_context *c,
					      struct stp_pmap *pm,
					      const struct stp_map_desc *d,
					      const union stp_kv *k, int64_t v,
					      const char *near)
{
	if (unlikely(stp_pmapc_add(pm, d, k, v)))
		stp_error(c, pm->agg.errmsg, near);
	return v;
}

/* @count(x) .. @variance(x) of a scalar statistic */
static __always_inline int64_t stp_d_pstat_stat(struct stp_context *c,
						struct stp_pstat *ps,
						const struct stp_stat_desc *d,
						int op, const char *near)
{
	s64 v;

	if (unlikely(stp_pstatc_stat(ps, d, op, &v)))
		stp_error(c, "empty aggregate", near);
	return v;
}

/* @count(a[k]) .. @variance(a[k]) */
static __always_inline int64_t stp_d_pmap_stat(struct stp_context *c,
					       struct stp_pmap *pm,
					       const struct stp_map_desc *d,
					       const union stp_kv *k, int op,
					       const char *near)
{
	s64 v;

	if (unlikely(stp_pmapc_stat(pm, d, k, op, &v)))
		stp_error(c, "empty aggregate", near);
	return v;
}

/* the aggregate map of pm for foreach; NULL after an error */
static inline struct stp_map *stp_d_aggregate(struct stp_context *c,
					      struct stp_pmap *pm,
					      const char *near)
{
	struct stp_map *m = stp_pmap_aggregate(pm);

	if (unlikely(!m))
		stp_errorf(c, near, "aggregation overflow in %s", pm->d->name);
	return m;
}

/* @count(x) .. @variance(x) */
static inline int64_t stp_d_stat(struct stp_context *c,
				 const struct stp_stat *st,
				 const struct stp_stat_desc *d, int op,
				 const char *near)
{
	s64 v;

	if (unlikely(stp_stat_get(st, d, op, &v)))
		stp_error(c, "empty aggregate", near);
	return v;
}

/* @hist_*(x)[i] */
static inline int64_t stp_d_bucket(struct stp_context *c,
				   const struct stp_stat *st,
				   const struct stp_stat_desc *d, int64_t i,
				   const char *near)
{
	s64 v;

	int rc = stp_stat_bucket(st, d, i, &v);

	if (unlikely(rc))
		stp_error(c, rc == -ENODATA ? "empty aggregate" :
			  "histogram index out of range", near);
	return v;
}

static void stp_d_out_print(void *ctx, const char *s, size_t n)
{
	stp_print_mem(ctx, s, n);
}

struct stp_d_sbuf {
	char *buf;
	size_t len;
};

static void stp_d_out_str(void *ctx, const char *s, size_t n)
{
	struct stp_d_sbuf *b = ctx;

	if (b->len + n > MAXSTRINGLEN - 1)
		n = MAXSTRINGLEN - 1 - b->len;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = 0;
}

/* print(@hist_*(x)) */
static inline void stp_d_hist_print(struct stp_context *c,
				    const struct stp_stat *st,
				    const struct stp_stat_desc *d,
				    const char *near)
{
	if (stp_hist_print(st, d, stp_d_out_print, c))
		stp_error(c, "empty aggregate", near);
}

/* sprint(@hist_*(x)) into dst (MAXSTRINGLEN, truncated) */
static inline const char *stp_d_hist_sprint(struct stp_context *c, char *dst,
					    const struct stp_stat *st,
					    const struct stp_stat_desc *d,
					    const char *near)
{
	struct stp_d_sbuf b = { dst, 0 };

	dst[0] = 0;
	if (stp_hist_print(st, d, stp_d_out_str, &b))
		stp_error(c, "empty aggregate", near);
	return dst;
}

#endif /* STP_DATA_CTX_H */
