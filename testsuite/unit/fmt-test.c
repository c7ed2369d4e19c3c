/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fmt-test.c - runtime/stp_fmt.h against the C library's printf, plus the
 * stap-only directives (%p %b %m %M).  Prints PASS:/FAIL: lines. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../../runtime/stp_fmt.h"

static int failed;

static void check(const char *name, const char *want, size_t wlen,
		  const char *fmt, ...)
{
	char buf[512];
	struct stp_out o = { buf, sizeof(buf) - 1, 0 };
	va_list ap;

	va_start(ap, fmt);
	stp_vformat(&o, fmt, ap);
	va_end(ap);
	if (o.len != wlen || memcmp(buf, want, wlen)) {
		buf[o.len < sizeof(buf) ? o.len : sizeof(buf) - 1] = 0;
		printf("FAIL: fmt %s: \"%s\" gave \"%s\" want \"%s\"\n",
		       name, fmt, buf, want);
		failed++;
	}
}

/* compare one numeric directive with libc, which takes long long */
static void num(const char *sfmt, const char *cfmt, int64_t v)
{
	char want[256];
	int n = snprintf(want, sizeof(want), cfmt, (long long)v);

	check(sfmt, want, n, sfmt, v);
}

static void str(const char *fmt, const char *s)
{
	char want[256];
	int n = snprintf(want, sizeof(want), fmt, s);

	check(fmt, want, n, fmt, s);
}

int main(void)
{
	static const int64_t vals[] = { 0, 1, -1, 7, 42, -42, 255, 4096,
		123456789, -987654321, INT64_MAX, INT64_MIN };
	static const char *const flags[] = { "", "-", "+", " ", "#", "0" };
	static const char *const widths[] = { "", "1", "5", "12", "25",
		".0", ".3", "8.4", "20.15" };
	static const char convs[] = "diuoxX";
	int nchecks = 0;

	for (size_t c = 0; c < sizeof(convs) - 1; c++)
		for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
			for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
				for (size_t v = 0; v < sizeof(vals) / sizeof(*vals); v++) {
					char sf[32], cf[32];

					/* where stap 4.8's number() is not C's:
					 * 0 prints "0" even at precision 0, '#'
					 * prefixes 0 too and octal always, '0'
					 * pads despite a precision (see below) */
					if ((vals[v] == 0 && (strchr(flags[f], '#') ||
							      !strcmp(widths[w], ".0"))) ||
					    (convs[c] == 'o' && strchr(flags[f], '#') &&
					     strchr(widths[w], '.')) ||
					    (strchr(flags[f], '0') && strchr(widths[w], '.')))
						continue;
					snprintf(sf, sizeof(sf), "%%%s%s%c", flags[f], widths[w], convs[c]);
					snprintf(cf, sizeof(cf), "%%%s%sll%c", flags[f], widths[w], convs[c]);
					num(sf, cf, vals[v]);
					nchecks++;
				}
	str("%s", "hello");
	str("%10s|", "hello");
	str("%-10s|", "hello");
	str("%.3s|", "hello");
	str("%8.2s|", "hello");
	str("%s", "");
	check("star", "   42|", 6, "%*d|", (int64_t)5, (int64_t)42);
	check("star-neg", "42   |", 6, "%*d|", (int64_t)-5, (int64_t)42);
	check("star-prec", "00042", 5, "%.*d", (int64_t)5, (int64_t)42);
	check("star-s", "  he", 4, "%*.*s", (int64_t)4, (int64_t)2, "hello");
	check("percent", "100%", 4, "100%%");
	check("char", "A", 1, "%c", (int64_t)65);
	check("char-w", "  A|", 4, "%3c|", (int64_t)65);
	/* stap 4.8 in the guest: [0x1234][0x0][  0x0][0x0  ][0x1234] */
	check("ptr", "0x1234", 6, "%p", (int64_t)0x1234);
	check("ptr0", "0x0", 3, "%p", (int64_t)0);
	check("ptr-w", "      0x1234", 12, "%12p", (int64_t)0x1234);
	check("ptr-w0", "  0x0", 5, "%5p", (int64_t)0);
	check("ptr-left", "0x1234  |", 9, "%-8p|", (int64_t)0x1234);
	check("ptr-alt", "0x1234", 6, "%#p", (int64_t)0x1234);
	/* stap 4.8 in the guest: [0x0][0X0][00][  0x0], [0x000][0x0][0] */
	check("alt-x0", "0x0", 3, "%#x", (int64_t)0);
	check("alt-X0", "0X0", 3, "%#X", (int64_t)0);
	check("alt-o0", "00", 2, "%#o", (int64_t)0);
	check("alt-w0", "  0x0", 5, "%#5x", (int64_t)0);
	check("alt-p3", "0x000", 5, "%#.3x", (int64_t)0);
	check("alt-p0", "0x0", 3, "%#.0x", (int64_t)0);
	check("prec0", "0", 1, "%.0x", (int64_t)0);
	check("prec0-d", "0", 1, "%.0d", (int64_t)0);
	check("alt-o-prec", "0010", 4, "%#.3o", (int64_t)8);
	check("zero-prec", "00000042", 8, "%08.4d", (int64_t)42);
	/* one flag, as stap 4.8: "#0" is '#' and a width (guest: [  0x0],
	 * [              0x1234]); a second flag is no directive */
	check("alt-zero-w", "    0x1a", 8, "%#08x", (int64_t)0x1a);
	check("alt-zero-w0", "  0x0", 5, "%#05x", (int64_t)0);
	check("ptr-alt-zero", "              0x1234", 20, "%#020p", (int64_t)0x1234);
	check("left-zero", "42   |", 6, "%-05d|", (int64_t)42);
	{
		struct stp_fmt_spec sp;

		stp_fmt_parse("%-+5d", &sp);
		if (sp.kind != STP_FK_BAD) {
			printf("FAIL: fmt two-flags: \"%%-+5d\" parsed\n");
			failed++;
		}
	}
	check("ptr-neg", "0xffffffffffffffff", 18, "%p", (int64_t)-1);
	check("bin8", "\x01\x00\x00\x00\x00\x00\x00\x00", 8, "%b", (int64_t)1);
	check("bin1", "A", 1, "%1b", (int64_t)0x141);
	check("bin2", "AB", 2, "%2b", (int64_t)0x4241);
	check("bin4", "ABCD", 4, "%4b", (int64_t)0x44434241);
	{
		static const char mem[] = "xyz\x01\xff";

		check("mem", "x", 1, "%m", (int64_t)(uintptr_t)mem);
		check("mem3", "xyz", 3, "%.3m", (int64_t)(uintptr_t)mem);
		check("memhex", "78797a01ff", 10, "%.5M", (int64_t)(uintptr_t)mem);
		check("memw", "  xy", 4, "%4.2m", (int64_t)(uintptr_t)mem);
	}
	check("mixed", "a=1 b=two c=0x3", 15, "a=%d b=%s c=%#x", (int64_t)1, "two", (int64_t)3);
	check("length-mods", "5 6 7", 5, "%ld %lld %hd", (int64_t)5, (int64_t)6, (int64_t)7);
	check("bad", "%y", 2, "%y");
	{
		char b[4];
		struct stp_out o = { b, sizeof(b), 0 };

		stp_format(&o, "%s", "abcdefgh");
		if (o.len != 8 || memcmp(b, "abcd", 4)) {
			printf("FAIL: fmt truncation\n");
			failed++;
		}
	}
	{
		/* a width past the destination is clamped to its size (with
		 * the NUL, as stap): the value keeps what fits after padding */
		static char b[512];
		struct stp_out o = { b, sizeof(b) - 1, 0 };
		int bad = 0;

		stp_format(&o, "%600s", "abc");
		bad |= o.len != 512 || b[508] != ' ' || memcmp(b + 509, "ab", 2);
		o.len = 0;
		stp_format(&o, "%2000d", (int64_t)12345);
		bad |= o.len != 512 || b[506] != ' ' || memcmp(b + 507, "1234", 4);
		o.len = 0;
		stp_format(&o, "%-*d|", (int64_t)100000, (int64_t)-7);
		bad |= o.len != 513 || memcmp(b, "-7 ", 3);
		o.len = 0;
		stp_format(&o, "%.700d", (int64_t)5);
		bad |= o.len != 512 || b[510] != '0';
		if (bad) {
			printf("FAIL: fmt huge width/precision clamped\n");
			failed++;
		}
	}
	printf("%s: fmt: %d libc comparisons + stap directives\n",
	       failed ? "FAIL" : "PASS", nchecks);
	return failed != 0;
}
