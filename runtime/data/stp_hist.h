/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_hist.h - a histogram as text, the way stap prints one:
 *
 *   value |-------------------------------------------------- count
 *       0 |                                                    0
 *       1 |@@@@@@@@@@@@                                       12
 *       2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 50
 *       4 |                                                    0
 *       8 |                                                    0
 *
 * Values right-aligned (at least as wide as "value"), bars of at most 50
 * '@' (counts scaled up when the largest exceeds 50), counts right-aligned.
 * The rows span the non-zero buckets plus up to two zero buckets either
 * side (a @hist_log does not reach below 0 unless a value did); a zero row
 * with no non-zero bucket within HIST_ELISION rows is left out, and each
 * run left out is marked by one "~" row (the "~" under the "|").  @hist_linear's "<start" and
 * ">stop" rows appear only when they counted something.  A blank line ends
 * the text.
 */
#ifndef STP_HIST_H
#define STP_HIST_H

#define STP_HIST_WIDTH	50

/* characters in the decimal form of v */
static inline int stp_hist_digits(s64 v)
{
	u64 u = v < 0 ? -(u64)v : (u64)v;
	int n = v < 0 ? 2 : 1;

	while (u >= 10) {
		u /= 10;
		n++;
	}
	return n;
}

/* row label of bucket b: value and "<"/">" prefix */
static inline s64 stp_hist_label(const struct stp_stat_desc *d, int b,
				 const char **prefix)
{
	*prefix = "";
	if (d->hist == STP_HIST_LOG)
		return stp_hist_log_value(b);
	if (b == 0) {
		*prefix = "<";
		return d->start;
	}
	if (b == (int)d->buckets - 1) {
		*prefix = ">";
		return d->start + (s64)(b - 2) * d->interval;
	}
	return d->start + (s64)(b - 1) * d->interval;
}

/* append n copies of c */
static inline int stp_hist_fill(char *p, int n, char c)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = c;
	return n > 0 ? n : 0;
}

/* append v right-aligned in width w (v has stp_hist_digits(v) chars) */
static inline int stp_hist_num(char *p, int w, const char *prefix, s64 v)
{
	char tmp[24];
	u64 u = v < 0 ? -(u64)v : (u64)v;
	int n = 0, len = 0, pl = strlen(prefix);

	do {
		tmp[n++] = '0' + (int)(u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[n++] = '-';
	len += stp_hist_fill(p, w - n - pl, ' ');
	memcpy(p + len, prefix, pl);
	len += pl;
	while (n)
		p[len++] = tmp[--n];
	return len;
}

static inline bool stp_hist_elided(const struct stp_stat *st, int b, int lo,
				   int hi)
{
	int k, first, last;

	if ((long)HIST_ELISION < 0)
		return false;
	first = b - HIST_ELISION < lo ? lo : b - HIST_ELISION;
	last = b + HIST_ELISION > hi ? hi : b + HIST_ELISION;
	for (k = first; k <= last; k++)
		if (st->hist[k])
			return false;
	return true;
}

/*
 * Print the histogram of st (shape d) through out(ctx, ...), one row per
 * call.  Returns 0, or -ENODATA when st is empty (stap's "empty aggregate";
 * nothing printed).
 */
static inline int stp_hist_print(const struct stp_stat *st,
				 const struct stp_stat_desc *d,
				 stp_out_fn out, void *ctx)
{
	char row[24 + 2 + STP_HIST_WIDTH + 1 + 24 + 2];
	int lo = -1, hi = 0, nb = d->buckets, i, vw = 5, cw;
	s64 max = 0, scale = 1;
	bool eliding = false;
	const char *pre;
	int len;

	if (!st || st->count == 0 || d->hist == STP_HIST_NONE)
		return -ENODATA;
	for (i = 0; i < nb; i++) {
		if (!st->hist[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (st->hist[i] > max)
			max = st->hist[i];
	}
	if (lo < 0)
		return -ENODATA;
	/* up to two zero rows either side */
	for (i = 0; i < 2; i++) {
		if (lo > 0 && !(d->hist == STP_HIST_LOG &&
				lo == STP_HIST_LOG_ZERO))
			lo--;
		if (hi < nb - 1)
			hi++;
	}
	if (d->hist == STP_HIST_LINEAR) {
		if (lo == 0 && !st->hist[0])
			lo++;
		if (hi == nb - 1 && !st->hist[hi])
			hi--;
	}
	if (max > STP_HIST_WIDTH)
		scale = div64_s64(max + STP_HIST_WIDTH - 1, STP_HIST_WIDTH);
	for (i = lo; i <= hi; i++) {
		s64 v = stp_hist_label(d, i, &pre);
		int w = stp_hist_digits(v) + strlen(pre);

		if (w > vw)
			vw = w;
	}
	cw = stp_hist_digits(max);

	len = stp_hist_fill(row, vw - 5, ' ');
	memcpy(row + len, "value |", 7);
	len += 7;
	len += stp_hist_fill(row + len, STP_HIST_WIDTH, '-');
	memcpy(row + len, " count\n", 7);
	out(ctx, row, len + 7);

	for (i = lo; i <= hi; i++) {
		s64 v, bar;

		if (!st->hist[i] && stp_hist_elided(st, i, lo, hi)) {
			eliding = true;
			continue;
		}
		if (eliding) {
			len = stp_hist_fill(row, vw + 1, ' ');
			memcpy(row + len, "~\n", 2);
			out(ctx, row, len + 2);
			eliding = false;
		}
		v = stp_hist_label(d, i, &pre);
		len = stp_hist_num(row, vw, pre, v);
		memcpy(row + len, " |", 2);
		len += 2;
		bar = div64_s64(st->hist[i], scale);
		len += stp_hist_fill(row + len, (int)bar, '@');
		len += stp_hist_fill(row + len, STP_HIST_WIDTH - (int)bar + 1, ' ');
		len += stp_hist_num(row + len, cw, "", st->hist[i]);
		row[len++] = '\n';
		out(ctx, row, len);
	}
	out(ctx, "\n", 1);
	return 0;
}

#endif /* STP_HIST_H */
