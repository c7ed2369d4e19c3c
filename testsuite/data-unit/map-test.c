/* SPDX-License-Identifier: GPL-2.0-or-later */
/* map-test.c - runtime/data/stp_map.h: insert, lookup, delete, slices,
 * full arrays, wrap-around, foreach order and sorting */
#include "t.h"

static const struct stp_map_desc d_ll = {
	.name = "a", .nkeys = 1, .ktype = { STP_T_LONG }, .vtype = STP_T_LONG,
	.size = 4,
};
static const struct stp_map_desc d_wrap = {
	.name = "w", .nkeys = 1, .ktype = { STP_T_LONG }, .vtype = STP_T_LONG,
	.size = 3, .wrap = 1,
};
static const struct stp_map_desc d_sl = {
	.name = "s", .nkeys = 2, .ktype = { STP_T_STR, STP_T_LONG },
	.vtype = STP_T_STR,
};
static const struct stp_map_desc d_nine = {
	.name = "n", .nkeys = 9,
	.ktype = { STP_T_LONG, STP_T_STR, STP_T_LONG, STP_T_STR, STP_T_LONG,
		   STP_T_STR, STP_T_LONG, STP_T_STR, STP_T_LONG },
	.vtype = STP_T_LONG,
};

/* the keys (first column, long) in iteration order, as "1,2,3" */
static const char *order(struct stp_map *m)
{
	static char buf[4096];
	struct stp_mentry *e;
	size_t n = 0;

	buf[0] = 0;
	for (e = stp_map_first(m); e; e = stp_map_next(e))
		n += snprintf(buf + n, sizeof(buf) - n, "%s%lld", n ? "," : "",
			      (long long)stp_me_long(m, e, 0));
	return buf;
}

static void test_basic(void)
{
	struct stp_map m;
	int rc = stp_map_init(&m, &d_ll);

	CHECK("map init", rc == 0 && m.max == 4 && m.count == 0);
	CHECK("map get missing is 0", stp_map_get_long(&m, K({ .n = 7 })) == 0);
	CHECK("map get missing does not insert", m.count == 0);
	stp_map_set_long(&m, K({ .n = 7 }), 70);
	stp_map_set_long(&m, K({ .n = -3 }), 30);
	CHECK("map set/get", stp_map_get_long(&m, K({ .n = 7 })) == 70 &&
	      stp_map_get_long(&m, K({ .n = -3 })) == 30 && m.count == 2);
	stp_map_set_long(&m, K({ .n = 7 }), 71);
	CHECK("map overwrite", stp_map_get_long(&m, K({ .n = 7 })) == 71 &&
	      m.count == 2);
	stp_map_set_long(&m, K({ .n = 9 }), 0);
	CHECK("map zero value is kept", stp_map_find(&m, K({ .n = 9 })) != NULL);
	stp_map_set_long(&m, K({ .n = 11 }), 1);
	CHECK("map full: 4 of 4", m.count == 4);
	rc = stp_map_set_long(&m, K({ .n = 12 }), 1);
	CHECK("map full error", rc == -ENOSPC && m.count == 4 &&
	      !strcmp(m.errmsg, "Array overflow, check size limit (4)"));
	CHECK("map full: existing key still settable",
	      stp_map_set_long(&m, K({ .n = 11 }), 5) == 0);
	stp_map_del(&m, K({ .n = 7 }));
	CHECK("map delete", m.count == 3 && !stp_map_find(&m, K({ .n = 7 })));
	stp_map_del(&m, K({ .n = 7 }));
	CHECK("map delete missing", m.count == 3);
	CHECK("map insert after delete",
	      stp_map_set_long(&m, K({ .n = 12 }), 120) == 0 && m.count == 4);
	CHECK("map order is insertion order", !strcmp(order(&m), "-3,9,11,12"));
	{
		s64 *p = stp_map_slot(&m, K({ .n = 9 }));

		*p += 5;
		(*p)++;
		CHECK("map slot in place", stp_map_get_long(&m, K({ .n = 9 })) == 6);
	}
	stp_map_clear(&m);
	CHECK("map clear", m.count == 0 && !stp_map_find(&m, K({ .n = 12 })) &&
	      !stp_map_first(&m));
	for (rc = 0; rc < 4; rc++)
		stp_map_set_long(&m, K({ .n = rc }), rc);
	CHECK("map refill after clear", m.count == 4 && !strcmp(order(&m), "0,1,2,3"));
	stp_map_free(&m);
}

/* no memory for the array: -ENOMEM, an error naming it, nothing left */
static void test_nomem(void)
{
	struct stp_map m;
	long before = shim_allocs;
	int rc;

	shim_nomem = true;
	rc = stp_map_init(&m, &d_ll);
	shim_nomem = false;
	CHECK("map init without memory", rc == -ENOMEM &&
	      shim_allocs == before && !m.pool && !m.heads);
	CHECK("map init without memory names the array",
	      !strncmp(shim_error, "Couldn't allocate ", 18) &&
	      strstr(shim_error, " KB for global 'a' (4 entries)"));
}

static void test_default_size(void)
{
	static const struct stp_map_desc d = {
		.name = "big", .nkeys = 1, .ktype = { STP_T_LONG },
		.vtype = STP_T_LONG,
	};
	struct stp_map m;
	int i, bad = 0;

	stp_map_init(&m, &d);
	CHECK("map default MAXMAPENTRIES", m.max == MAXMAPENTRIES);
	for (i = 0; i < MAXMAPENTRIES; i++)
		bad += stp_map_set_long(&m, K({ .n = (s64)i * 1000003 }), i) != 0;
	CHECK("map 2048 inserts", bad == 0 && m.count == MAXMAPENTRIES);
	for (i = 0; i < MAXMAPENTRIES; i++)
		bad += stp_map_get_long(&m, K({ .n = (s64)i * 1000003 })) != i;
	CHECK("map 2048 lookups", bad == 0);
	CHECK("map 2049th insert fails",
	      stp_map_set_long(&m, K({ .n = -1 }), 1) == -ENOSPC &&
	      !strcmp(m.errmsg, "Array overflow, check MAXMAPENTRIES"));
	for (i = 0; i < MAXMAPENTRIES; i += 2)
		stp_map_del(&m, K({ .n = (s64)i * 1000003 }));
	for (i = 0; i < MAXMAPENTRIES; i++)
		bad += (stp_map_find(&m, K({ .n = (s64)i * 1000003 })) != NULL) !=
		       (i & 1);
	CHECK("map delete half", bad == 0 && m.count == MAXMAPENTRIES / 2);
	stp_map_free(&m);
}

static void test_wrap(void)
{
	struct stp_map m;
	int i, bad = 0;

	stp_map_init(&m, &d_wrap);

	for (i = 1; i <= 5; i++)
		bad += stp_map_set_long(&m, K({ .n = i }), i * 10) != 0;
	CHECK("wrap insert never fails", bad == 0);
	CHECK("wrap keeps the newest 3", m.count == 3 && !strcmp(order(&m), "3,4,5"));
	CHECK("wrap dropped the oldest", !stp_map_find(&m, K({ .n = 1 })) &&
	      !stp_map_find(&m, K({ .n = 2 })) &&
	      stp_map_get_long(&m, K({ .n = 3 })) == 30);
	stp_map_set_long(&m, K({ .n = 4 }), 44);
	CHECK("wrap update keeps age", !strcmp(order(&m), "3,4,5"));
	stp_map_set_long(&m, K({ .n = 6 }), 60);
	CHECK("wrap replaces oldest again", !strcmp(order(&m), "4,5,6"));
	stp_map_free(&m);
}

static void test_strings(void)
{
	struct stp_map m;
	char buf[MAXSTRINGLEN], lng[MAXSTRINGLEN + 100];

	stp_map_init(&m, &d_sl);
	stp_map_set_str(&m, K({ .s = "foo" }, { .n = 1 }), "one");
	stp_map_set_str(&m, K({ .s = "foo" }, { .n = 2 }), "two");
	stp_map_set_str(&m, K({ .s = "bar" }, { .n = 1 }), "three");
	stp_map_set_str(&m, K({ .s = "" }, { .n = 0 }), "empty");
	CHECK("str get", !strcmp(stp_map_get_str(&m, K({ .s = "foo" }, { .n = 2 }), buf), "two"));
	CHECK("str get empty key", !strcmp(stp_map_get_str(&m, K({ .s = "" }, { .n = 0 }), buf), "empty"));
	CHECK("str get missing", !strcmp(stp_map_get_str(&m, K({ .s = "foo" }, { .n = 3 }), buf), ""));
	CHECK("str keys distinct", m.count == 4);
	CHECK("slice [*, 1] in", stp_map_has_slice(&m, K({ .s = NULL }, { .n = 1 }), 1));
	CHECK("slice [*, 5] not in", !stp_map_has_slice(&m, K({ .s = NULL }, { .n = 5 }), 1));
	CHECK("slice [\"foo\", *] in", stp_map_has_slice(&m, K({ .s = "foo" }, { .n = 0 }), 2));
	CHECK("slice [*, *] in", stp_map_has_slice(&m, K({ .s = NULL }, { .n = 0 }), 3));
	stp_map_del_slice(&m, K({ .s = "foo" }, { .n = 0 }), 2);
	CHECK("delete slice [\"foo\", *]", m.count == 2 &&
	      !stp_map_has_slice(&m, K({ .s = "foo" }, { .n = 0 }), 2) &&
	      stp_map_find(&m, K({ .s = "bar" }, { .n = 1 })));
	memset(lng, 'x', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = 0;
	stp_map_set_str(&m, K({ .s = lng }, { .n = 1 }), lng);
	CHECK("long string key truncated and found",
	      strlen(stp_map_get_str(&m, K({ .s = lng }, { .n = 1 }), buf)) ==
	      MAXSTRINGLEN - 1);
	stp_map_free(&m);
}

static void test_nine(void)
{
	struct stp_map m;
	int i, bad = 0;
	char s[4][32];

	stp_map_init(&m, &d_nine);
	for (i = 0; i < 100; i++) {
		int j;

		for (j = 0; j < 4; j++)
			snprintf(s[j], sizeof(s[j]), "k%d_%d", j, i % (j + 2));
		bad += stp_map_set_long(&m, K({ .n = i }, { .s = s[0] }, { .n = -i },
			{ .s = s[1] }, { .n = i * 2 }, { .s = s[2] }, { .n = 7 },
			{ .s = s[3] }, { .n = i % 3 }), i) != 0;
	}
	for (i = 0; i < 100; i++) {
		int j;

		for (j = 0; j < 4; j++)
			snprintf(s[j], sizeof(s[j]), "k%d_%d", j, i % (j + 2));
		bad += stp_map_get_long(&m, K({ .n = i }, { .s = s[0] }, { .n = -i },
			{ .s = s[1] }, { .n = i * 2 }, { .s = s[2] }, { .n = 7 },
			{ .s = s[3] }, { .n = i % 3 })) != i;
	}
	CHECK("nine keys", bad == 0 && m.count == 100);
	CHECK("nine keys slice", stp_map_has_slice(&m, K({ .n = 0 }, { .s = 0 },
		{ .n = 0 }, { .s = 0 }, { .n = 0 }, { .s = 0 }, { .n = 7 },
		{ .s = 0 }, { .n = 2 }), 0x1ff & ~(1u << 6 | 1u << 8)));
	stp_map_free(&m);
}

static void test_sort(void)
{
	static const struct stp_map_desc d = {
		.name = "x", .nkeys = 2, .ktype = { STP_T_LONG, STP_T_STR },
		.vtype = STP_T_LONG,
	};
	static const struct stp_map_desc ds = {
		.name = "y", .nkeys = 1, .ktype = { STP_T_LONG },
		.vtype = STP_T_STR,
	};
	struct stp_map m;
	int i;

	stp_map_init(&m, &d);
	stp_map_set_long(&m, K({ .n = 3 }, { .s = "c" }), 20);
	stp_map_set_long(&m, K({ .n = 1 }, { .s = "e" }), 10);
	stp_map_set_long(&m, K({ .n = 4 }, { .s = "a" }), 20);
	stp_map_set_long(&m, K({ .n = 2 }, { .s = "d" }), 5);
	stp_map_set_long(&m, K({ .n = 5 }, { .s = "b" }), 10);
	stp_map_sort(&m, 1, 1, 0);
	CHECK("sort key1+", !strcmp(order(&m), "1,2,3,4,5"));
	stp_map_sort(&m, 1, -1, 0);
	CHECK("sort key1-", !strcmp(order(&m), "5,4,3,2,1"));
	stp_map_sort(&m, 2, 1, 0);
	CHECK("sort key2+ (string)", !strcmp(order(&m), "4,5,3,2,1"));
	stp_map_sort(&m, 2, -1, 0);
	CHECK("sort key2-", !strcmp(order(&m), "1,2,3,5,4"));
	stp_map_sort(&m, 1, 1, 0);
	stp_map_sort(&m, 0, 1, 0);
	CHECK("sort value+ stable", !strcmp(order(&m), "2,1,5,3,4"));
	stp_map_sort(&m, 0, -1, 0);
	CHECK("sort value- stable", !strcmp(order(&m), "3,4,1,5,2"));
	CHECK("sort keeps prev links", m.last && stp_me_long(&m, m.last, 0) == 2 &&
	      m.last->prev && stp_me_long(&m, m.last->prev, 0) == 5);
	stp_map_free(&m);

	stp_map_init(&m, &ds);
	stp_map_set_str(&m, K({ .n = 1 }), "pear");
	stp_map_set_str(&m, K({ .n = 2 }), "apple");
	stp_map_set_str(&m, K({ .n = 3 }), "zoo");
	stp_map_sort(&m, 0, 1, 0);
	CHECK("sort string value+", !strcmp(order(&m), "2,1,3"));
	stp_map_free(&m);

	stp_map_init(&m, &d);
	for (i = 0; i < 2000; i++)
		stp_map_set_long(&m, K({ .n = (i * 7919) % 2000 }, { .s = "k" }),
				 i % 10);
	stp_map_sort(&m, 1, 1, 0);
	{
		struct stp_mentry *e;
		s64 prev = -1;
		int ok = 1, n = 0;

		for (e = stp_map_first(&m); e; e = stp_map_next(e), n++) {
			ok &= stp_me_long(&m, e, 0) == prev + 1;
			prev = stp_me_long(&m, e, 0);
		}
		CHECK("sort 2000 keys", ok && n == 2000);
	}
	stp_map_free(&m);
}

static void test_foreach_delete(void)
{
	struct stp_map m;
	struct stp_mentry *e;
	int n = 0;

	stp_map_init(&m, &d_ll);
	for (n = 1; n <= 4; n++)
		stp_map_set_long(&m, K({ .n = n }), n);
	n = 0;
	for (e = stp_map_first(&m); e; e = stp_map_next(e)) {
		union stp_kv k = { .n = stp_me_long(&m, e, 0) };

		stp_map_del(&m, &k);
		n++;
	}
	CHECK("foreach deleting each element visits all", n == 4 && m.count == 0);
	stp_map_free(&m);
}

static void test_no_leak(void)
{
	CHECK("all memory freed", shim_allocs == 0);
}

int main(void)
{
	test_basic();
	test_default_size();
	test_nomem();
	test_wrap();
	test_strings();
	test_nine();
	test_sort();
	test_foreach_delete();
	test_no_leak();
	return t_failed != 0;
}
