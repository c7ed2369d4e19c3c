/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stat-test.c - runtime/data/stp_stat.h and stp_pstat.h: extractors,
 * per-CPU aggregation, variance, histogram buckets, arrays of statistics */
#include "t.h"

static const struct stp_stat_desc sd_plain = STP_STAT_DESC(1, 0);
static const struct stp_stat_desc sd_shift1 = STP_STAT_DESC(1, 1);
static const struct stp_stat_desc sd_log = STP_STAT_DESC_LOG(0, 0);
static const struct stp_stat_desc sd_lin = STP_STAT_DESC_LINEAR(0, 0, 0, 100, 10);

static s64 get(const struct stp_stat *st, const struct stp_stat_desc *d, int op)
{
	s64 v = -12345;

	if (stp_stat_get(st, d, op, &v))
		return -999999;
	return v;
}

static void test_scalar(void)
{
	struct stp_pstat ps;
	const struct stp_stat *st;
	int i;

	CHECK("pstat init", stp_pstat_init(&ps, &sd_plain) == 0);
	st = stp_pstat_get(&ps);
	CHECK("empty @count is 0", get(st, &sd_plain, STP_OP_COUNT) == 0);
	CHECK("empty @sum is 0", get(st, &sd_plain, STP_OP_SUM) == 0);
	{
		s64 v;

		CHECK("empty @min/@max/@avg/@variance error",
		      stp_stat_get(st, &sd_plain, STP_OP_MIN, &v) == -ENODATA &&
		      stp_stat_get(st, &sd_plain, STP_OP_MAX, &v) == -ENODATA &&
		      stp_stat_get(st, &sd_plain, STP_OP_AVG, &v) == -ENODATA &&
		      stp_stat_get(st, &sd_plain, STP_OP_VARIANCE, &v) == -ENODATA);
	}
	/* values spread over the CPUs */
	for (i = 1; i <= 100; i++) {
		shim_cpu = i % shim_ncpus;
		stp_pstat_add(&ps, i % 2 ? i : -i);
	}
	st = stp_pstat_get(&ps);
	CHECK("@count over cpus", get(st, &sd_plain, STP_OP_COUNT) == 100);
	CHECK("@sum over cpus", get(st, &sd_plain, STP_OP_SUM) == -50);
	CHECK("@min over cpus", get(st, &sd_plain, STP_OP_MIN) == -100);
	CHECK("@max over cpus", get(st, &sd_plain, STP_OP_MAX) == 99);
	CHECK("@avg truncates toward 0", get(st, &sd_plain, STP_OP_AVG) == 0);
	stp_pstat_clear(&ps);
	st = stp_pstat_get(&ps);
	CHECK("delete statistic", get(st, &sd_plain, STP_OP_COUNT) == 0);
	shim_cpu = 0;
	stp_pstat_add(&ps, 7);
	st = stp_pstat_get(&ps);
	CHECK("one value", get(st, &sd_plain, STP_OP_MIN) == 7 &&
	      get(st, &sd_plain, STP_OP_MAX) == 7 &&
	      get(st, &sd_plain, STP_OP_AVG) == 7 &&
	      get(st, &sd_plain, STP_OP_VARIANCE) == 0);
	stp_pstat_free(&ps);
}

/* exact sample variance of n values from a generator, for comparison */
static void test_variance(void)
{
	struct stp_pstat ps, ps1;
	const struct stp_stat *st;
	int i;

	stp_pstat_init(&ps, &sd_plain);
	stp_pstat_init(&ps1, &sd_shift1);
	shim_cpu = 0;
	for (i = 1; i <= 5; i++) {
		stp_pstat_add(&ps, i);
		stp_pstat_add(&ps1, i);
	}
	/* stap(1): @variance(x, 1) of 1..5 is 2 */
	st = stp_pstat_get(&ps1);
	CHECK("@variance(x, 1) of 1..5 is 2", get(st, &sd_shift1, STP_OP_VARIANCE) == 2);
	st = stp_pstat_get(&ps);
	/* stap 4.8 prints 12 (its integer arithmetic; stap(1) shows it too) */
	CHECK("@variance of 1..5 is 12 as in stap", get(st, &sd_plain, STP_OP_VARIANCE) == 12);
	stp_pstat_clear(&ps);
	/* 1000 values spread on 4 cpus: within 1% of the exact variance */
	{
		double sum = 0, sq = 0, var;
		s64 v;

		for (i = 0; i < 1000; i++) {
			v = (i * 7919) % 1000;
			shim_cpu = i % 4;
			stp_pstat_add(&ps, v);
			sum += v;
			sq += (double)v * v;
		}
		var = (sq - sum * sum / 1000) / 999;
		st = stp_pstat_get(&ps);
		v = get(st, &sd_plain, STP_OP_VARIANCE);
		CHECK("@variance merged over cpus", v > var * 0.99 && v < var * 1.01);
	}
	stp_pstat_free(&ps);
	stp_pstat_free(&ps1);
}

static void test_buckets(void)
{
	s64 v;

	CHECK("log bucket 0", stp_hist_log_bucket(0) == 64);
	CHECK("log bucket 1", stp_hist_log_bucket(1) == 65);
	CHECK("log bucket 2,3", stp_hist_log_bucket(2) == 66 && stp_hist_log_bucket(3) == 66);
	CHECK("log bucket 4..7", stp_hist_log_bucket(4) == 67 && stp_hist_log_bucket(7) == 67);
	CHECK("log bucket -1", stp_hist_log_bucket(-1) == 63);
	CHECK("log bucket -2,-3", stp_hist_log_bucket(-2) == 62 && stp_hist_log_bucket(-3) == 62);
	CHECK("log bucket max", stp_hist_log_bucket(INT64_MAX) == 127);
	CHECK("log bucket min", stp_hist_log_bucket(INT64_MIN) == 0);
	CHECK("log labels", stp_hist_log_value(64) == 0 && stp_hist_log_value(65) == 1 &&
	      stp_hist_log_value(66) == 2 && stp_hist_log_value(63) == -1 &&
	      stp_hist_log_value(62) == -2 && stp_hist_log_value(127) == (s64)1 << 62 &&
	      stp_hist_log_value(0) == INT64_MIN);
	CHECK("linear buckets", sd_lin.buckets == 13);
	CHECK("linear under", stp_hist_linear_bucket(&sd_lin, -1) == 0);
	CHECK("linear first", stp_hist_linear_bucket(&sd_lin, 0) == 1 &&
	      stp_hist_linear_bucket(&sd_lin, 9) == 1);
	CHECK("linear stop inclusive", stp_hist_linear_bucket(&sd_lin, 100) == 11 &&
	      stp_hist_linear_bucket(&sd_lin, 109) == 11);
	CHECK("linear over", stp_hist_linear_bucket(&sd_lin, 110) == 12 &&
	      stp_hist_linear_bucket(&sd_lin, INT64_MAX) == 12);
	{
		struct stp_pstat ps;

		stp_pstat_init(&ps, &sd_lin);
		stp_pstat_add(&ps, 15);
		stp_pstat_add(&ps, 17);
		stp_pstat_add(&ps, 1000);
		CHECK("hist index", stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, 2, &v) == 0 && v == 2);
		CHECK("hist index over", stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, 12, &v) == 0 && v == 1);
		CHECK("hist index out of range", stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, 13, &v) == -ERANGE &&
		      stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, -1, &v) == -ERANGE);
		stp_pstat_clear(&ps);
		CHECK("hist index of empty: empty aggregate first",
		      stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, 13, &v) == -ENODATA &&
		      stp_stat_bucket(stp_pstat_get(&ps), &sd_lin, 2, &v) == -ENODATA);
		stp_pstat_free(&ps);
	}
}

/* the one-extractor fast path (stp_pmapc_stat) against aggregating */
static void test_pmap_stat(void)
{
	static const struct stp_map_desc d = {
		.name = "q", .nkeys = 3,
		.ktype = { STP_T_STR, STP_T_LONG, STP_T_STR },
		.vtype = STP_T_STAT, .stat = &sd_plain,
	};
	static const char *const names[] = { "a", "bb", "" };
	struct stp_pmap pm;
	int i, op, bad = 0, n = 0;

	CHECK("pmapc init", stp_pmap_init(&pm, &d) == 0);
	for (i = 0; i < 97; i++) {
		shim_cpu = (i * 7) % shim_ncpus;
		stp_pmap_add(&pm, K({ .s = names[i % 3] }, { .n = i % 5 - 2 },
				    { .s = names[i % 2] }), i * 37 % 101 - 50);
	}
	for (i = 0; i < 3 * 6 * 3; i++) {
		const union stp_kv *k = K({ .s = names[i % 3] },
					  { .n = i / 3 % 6 - 2 },
					  { .s = names[i / 18] });
		const struct stp_stat *st = stp_pmap_get(&pm, k);

		for (op = STP_OP_COUNT; op <= STP_OP_VARIANCE; op++) {
			s64 a = 1, b = 2;
			int ra = stp_pmapc_stat(&pm, &d, k, op, &a);
			int rb = stp_stat_get(st, &sd_plain, op, &b);

			bad |= ra != rb || a != b;
			n += st && op == STP_OP_COUNT;
		}
	}
	CHECK("pmapc stat = aggregate stat, every key and extractor",
	      !bad && n > 10 && n < 54);
	stp_pmap_free(&pm);

	/* the scalar's fast path likewise, empty then fed on every CPU */
	{
		struct stp_pstat ps;

		CHECK("pstatc init", stp_pstat_init(&ps, &sd_plain) == 0);
		for (i = 0; i < 2; i++) {
			for (op = STP_OP_COUNT; op <= STP_OP_VARIANCE; op++) {
				s64 a = 1, b = 2;
				int ra = stp_pstatc_stat(&ps, &sd_plain, op, &a);
				int rb = stp_stat_get(stp_pstat_get(&ps),
						      &sd_plain, op, &b);

				bad |= ra != rb || a != b;
			}
			for (n = 0; n < 61; n++) {
				shim_cpu = (n * 5) % shim_ncpus;
				stp_pstatc_add(&ps, &sd_plain, n * 13 % 29 - 14);
			}
		}
		CHECK("pstatc stat = aggregate stat, empty and not", !bad);
		stp_pstat_free(&ps);
	}
}

static void test_pmap(void)
{
	static const struct stp_map_desc d = {
		.name = "lat", .nkeys = 1, .ktype = { STP_T_STR },
		.vtype = STP_T_STAT, .stat = &sd_log, .size = 8,
	};
	struct stp_pmap pm;
	struct stp_map *agg;
	struct stp_mentry *e;
	const struct stp_stat *st;
	char buf[256];
	size_t n = 0;
	int i;

	CHECK("pmap init", stp_pmap_init(&pm, &d) == 0);
	CHECK("pmap empty get", stp_pmap_get(&pm, K({ .s = "x" })) == NULL);
	for (i = 0; i < 40; i++) {
		shim_cpu = i % shim_ncpus;
		stp_pmap_add(&pm, K({ .s = i % 3 == 0 ? "read" : i % 3 == 1 ? "write" : "open" }), i);
	}
	stp_pmap_add(&pm, K({ .s = "close" }), 5);
	st = stp_pmap_get(&pm, K({ .s = "read" }));
	CHECK("pmap @count", st && get(st, &sd_log, STP_OP_COUNT) == 14);
	CHECK("pmap @sum", st && get(st, &sd_log, STP_OP_SUM) == 0 + 3 + 6 + 9 + 12 + 15 + 18 + 21 + 24 + 27 + 30 + 33 + 36 + 39);
	CHECK("pmap hist", st && st->hist[64] == 1 && st->hist[66] == 1 && st->hist[67] == 1 && st->hist[68] == 3);
	CHECK("pmap in", stp_pmap_has(&pm, K({ .s = "open" }), 0) &&
	      !stp_pmap_has(&pm, K({ .s = "sync" }), 0));
	agg = stp_pmap_aggregate(&pm);
	CHECK("pmap aggregate", agg && agg->count == 4);
	stp_map_sort(agg, 0, -1, STP_OP_COUNT);
	for (e = stp_map_first(agg); e; e = stp_map_next(e)) {
		s64 c;

		stp_stat_get(stp_me_val(agg, e), &sd_log, STP_OP_COUNT, &c);
		n += snprintf(buf + n, sizeof(buf) - n, "%s=%lld ", stp_me_str(agg, e, 0), (long long)c);
	}
	CHECK("pmap foreach @count-", !strcmp(buf, "read=14 write=13 open=13 close=1 "));
	stp_map_sort(agg, 0, 1, STP_OP_SUM);
	e = stp_map_first(agg);
	CHECK("pmap sort @sum+", e && !strcmp(stp_me_str(agg, e, 0), "close"));
	/* ties of a sort keep first-seen order (stap 4.8: z x y, see run tests) */
	stp_map_sort(agg, 1, -1, 0);
	stp_pmap_add(&pm, K({ .s = "new" }), 1);
	agg = stp_pmap_aggregate(&pm);
	stp_map_sort(agg, 0, 1, STP_OP_COUNT);
	n = 0;
	for (e = stp_map_first(agg); e; e = stp_map_next(e))
		n += snprintf(buf + n, sizeof(buf) - n, "%s ", stp_me_str(agg, e, 0));
	CHECK("pmap sort ties in first-seen order", !strcmp(buf, "close new write open read "));
	stp_pmap_del(&pm, K({ .s = "read" }), 0);
	CHECK("pmap delete", !stp_pmap_get(&pm, K({ .s = "read" })) &&
	      stp_pmap_aggregate(&pm)->count == 4);
	/* 8 entries per CPU: a 9th key on one CPU overflows */
	shim_cpu = 1;
	for (i = 0; i < 8; i++) {
		snprintf(buf, sizeof(buf), "k%d", i);
		stp_pmap_add(&pm, K({ .s = buf }), i);
	}
	CHECK("pmap full", stp_pmap_add(&pm, K({ .s = "another" }), 1) == -ENOSPC);
	CHECK("pmap aggregate overflow", stp_pmap_aggregate(&pm) == NULL);
	stp_pmap_clear(&pm);
	CHECK("pmap clear", stp_pmap_aggregate(&pm)->count == 0);
	stp_pmap_free(&pm);
	CHECK("stat memory freed", shim_allocs == 0);
}

int main(void)
{
	test_scalar();
	test_variance();
	test_buckets();
	test_pmap();
	test_pmap_stat();
	return t_failed != 0;
}
