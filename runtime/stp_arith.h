/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_arith.h - the arithmetic that can fail or is undefined in C:
 * division and modulo (by zero: error; INT64_MIN / -1 would trap), shifts
 * by negative or too large counts.  + - * wrap: kbuild compiles with
 * -fno-strict-overflow.
 */
#ifndef STP_ARITH_H
#define STP_ARITH_H

static int64_t __maybe_unused stp_div(struct stp_context *c, int64_t a,
				      int64_t b, const char *near)
{
	if (unlikely(b == 0)) {
		stp_error(c, "division by 0", near);
		return 0;
	}
	if (unlikely(b == -1))
		return (int64_t)(0 - (uint64_t)a);
	return div64_s64(a, b);
}

static int64_t __maybe_unused stp_mod(struct stp_context *c, int64_t a,
				      int64_t b, const char *near)
{
	if (unlikely(b == 0)) {
		stp_error(c, "division by 0", near);
		return 0;
	}
	if (unlikely(b == -1))
		return 0;
	return a - div64_s64(a, b) * b;
}

static inline int64_t stp_shl(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a << (b & 63));
}

static inline int64_t stp_shr(int64_t a, int64_t b)
{
	return a >> (b & 63);
}

#endif /* STP_ARITH_H */
