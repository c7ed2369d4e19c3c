/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hist-test.c - runtime/data/stp_hist.h: the exact text of every histogram
 * shape (see /work/shared/STAP-FACTS.md "Histograms") */
#include "t.h"

struct sink {
	char buf[16384];
	size_t len;
	int calls;
};

static void sink_out(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = 0;
	k->calls++;
}

#define HDR "value |-------------------------------------------------- count\n"

static void check_hist(const char *name, const struct stp_stat_desc *d,
		       const s64 *vals, int n, const char *want)
{
	struct stp_pstat ps;
	struct sink k = { .len = 0 };
	int i, rc;

	stp_pstat_init(&ps, d);
	for (i = 0; i < n; i++) {
		shim_cpu = i % shim_ncpus;
		stp_pstat_add(&ps, vals[i]);
	}
	rc = stp_hist_print(stp_pstat_get(&ps), d, sink_out, &k);
	if (rc == 0 && !strcmp(k.buf, want)) {
		printf("PASS: data hist %s\n", name);
	} else {
		printf("FAIL: data hist %s (rc %d)\n--- got\n%s--- want\n%s---\n",
		       name, rc, k.buf, want);
		t_failed++;
	}
	stp_pstat_free(&ps);
}

static const struct stp_stat_desc d_log = STP_STAT_DESC_LOG(0, 0);
static const struct stp_stat_desc d_lin = STP_STAT_DESC_LINEAR(0, 0, 0, 100, 10);
static const struct stp_stat_desc d_lin1 = STP_STAT_DESC_LINEAR(0, 0, 0, 10, 1);

int main(void)
{
	static s64 big[1010];
	int i;

	check_hist("log small", &d_log, (s64[]){ 1, 2, 2, 3, 4 }, 5,
		HDR
		"    0 |                                                   0\n"
		"    1 |@                                                  1\n"
		"    2 |@@@                                                3\n"
		"    4 |@                                                  1\n"
		"    8 |                                                   0\n"
		"   16 |                                                   0\n"
		"\n");
	check_hist("log zero only", &d_log, (s64[]){ 0, 0 }, 2,
		HDR
		"    0 |@@                                                 2\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"\n");
	check_hist("log elision", &d_log, (s64[]){ 1, 1024 }, 2,
		HDR
		"    0 |                                                   0\n"
		"    1 |@                                                  1\n"
		"    2 |                                                   0\n"
		"    4 |                                                   0\n"
		"      ~\n"
		"  256 |                                                   0\n"
		"  512 |                                                   0\n"
		" 1024 |@                                                  1\n"
		" 2048 |                                                   0\n"
		" 4096 |                                                   0\n"
		"\n");
	check_hist("log negative", &d_log, (s64[]){ -5, 0, 3 }, 3,
		HDR
		"  -16 |                                                   0\n"
		"   -8 |                                                   0\n"
		"   -4 |@                                                  1\n"
		"   -2 |                                                   0\n"
		"   -1 |                                                   0\n"
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |@                                                  1\n"
		"    4 |                                                   0\n"
		"    8 |                                                   0\n"
		"\n");
	check_hist("log wide values", &d_log, (s64[]){ (s64)1 << 40 }, 1,
		"        " HDR
		" 274877906944 |                                                   0\n"
		" 549755813888 |                                                   0\n"
		"1099511627776 |@                                                  1\n"
		"2199023255552 |                                                   0\n"
		"4398046511104 |                                                   0\n"
		"\n");
	for (i = 0; i < 1000; i++)
		big[i] = 8;
	for (; i < 1010; i++)
		big[i] = 1;
	check_hist("log scaled counts", &d_log, big, 1010,
		HDR
		"    0 |                                                      0\n"
		"    1 |                                                     10\n"
		"    2 |                                                      0\n"
		"    4 |                                                      0\n"
		"    8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1000\n"
		"   16 |                                                      0\n"
		"   32 |                                                      0\n"
		"\n");
	check_hist("linear under/over and elision", &d_lin,
		(s64[]){ 5, 15, 15, 95, 120, -3 }, 6,
		HDR
		"   <0 |@                                                  1\n"
		"    0 |@                                                  1\n"
		"   10 |@@                                                 2\n"
		"   20 |                                                   0\n"
		"   30 |                                                   0\n"
		"      ~\n"
		"   70 |                                                   0\n"
		"   80 |                                                   0\n"
		"   90 |@                                                  1\n"
		"  100 |                                                   0\n"
		" >100 |@                                                  1\n"
		"\n");
	check_hist("linear middle", &d_lin1, (s64[]){ 3, 3, 4 }, 3,
		HDR
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"    3 |@@                                                 2\n"
		"    4 |@                                                  1\n"
		"    5 |                                                   0\n"
		"    6 |                                                   0\n"
		"\n");
	check_hist("linear edges without under/over", &d_lin1, (s64[]){ 0, 10 }, 2,
		HDR
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"      ~\n"
		"    8 |                                                   0\n"
		"    9 |                                                   0\n"
		"   10 |@                                                  1\n"
		"\n");
	{
		struct stp_pstat ps;
		struct sink k = { .len = 0 };

		stp_pstat_init(&ps, &d_log);
		CHECK("hist empty is an error",
		      stp_hist_print(stp_pstat_get(&ps), &d_log, sink_out, &k) == -ENODATA &&
		      k.len == 0);
		stp_pstat_free(&ps);
	}
	return t_failed != 0;
}
