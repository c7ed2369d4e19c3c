/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_fmt.h - the printf engine: stap's directives on 64-bit integers and
 * strings.
 *
 * Pure C with no kernel dependency except STP_FMT_READMEM (used by %m/%M),
 * so the same file is unit-tested in user space (testsuite/fmt-test.c) and
 * is the format grammar the translator checks scripts against
 * (src/translate/tx_fmt.c includes it).
 *
 *   %[flags][width][.precision][length]conversion
 *   flags  one of - + space # 0 (as stap)   width/precision: digits or *
 *   length h hh l ll L j z t  accepted and ignored (all values are 64-bit)
 *   d i    signed decimal     u o x X   unsigned decimal/octal/hex
 *   c      character          s         string
 *   p      pointer: 0x + the hex digits, unpadded (0x0 for 0), as stap
 *   b      binary: the value's low <width> bytes (1, 2, 4 or 8; default 8)
 *   m M    memory at the address: <precision> bytes (default 1) raw / hex
 *   %%     a percent sign
 */
#ifndef STP_FMT_H
#define STP_FMT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/stdarg.h>
#include <linux/errno.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* copy n bytes from address addr to dst; 0 or -EFAULT */
#ifndef STP_FMT_READMEM
#define STP_FMT_READMEM(dst, addr, n) \
	(memcpy((dst), (const void *)(uintptr_t)(addr), (n)), 0)
#endif

enum stp_fmt_kind {
	STP_FK_END,		/* end of the format */
	STP_FK_TEXT,		/* literal text: text/len */
	STP_FK_PERCENT,		/* %% */
	STP_FK_SIGNED,		/* d i */
	STP_FK_UNSIGNED,	/* u */
	STP_FK_OCTAL,		/* o */
	STP_FK_HEX,		/* x X */
	STP_FK_CHAR,		/* c */
	STP_FK_STRING,		/* s */
	STP_FK_POINTER,		/* p */
	STP_FK_BINARY,		/* b */
	STP_FK_MEMORY,		/* m M */
	STP_FK_BAD,		/* malformed directive: text/len */
};

#define STP_FF_LEFT	0x01
#define STP_FF_PLUS	0x02
#define STP_FF_SPACE	0x04
#define STP_FF_SPECIAL	0x08
#define STP_FF_ZERO	0x10
#define STP_FF_CHARS	"-+ #0"	/* the flags above, bit by bit */
#define STP_FF_UPPER	0x20

#define STP_FMT_NONE	(-1)	/* width/precision not given */
#define STP_FMT_STAR	(-2)	/* width/precision from an argument */

struct stp_fmt_spec {
	int kind;
	int flags;
	int width;
	int prec;
	const char *text;	/* the literal run, or the whole directive */
	size_t len;
};

/* Does this directive consume a value, and is it a string? */
static inline bool stp_fmt_takes_value(int kind)
{
	return kind >= STP_FK_SIGNED && kind <= STP_FK_MEMORY;
}

static inline bool stp_fmt_takes_string(int kind)
{
	return kind == STP_FK_STRING;
}

static inline int stp_fmt_digits(const char **pp)
{
	const char *p = *pp;
	int n = 0;

	while (*p >= '0' && *p <= '9') {
		if (n < 100000)
			n = n * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	return n;
}

/* Parse the element at p into *sp; returns the position after it. */
static inline const char *stp_fmt_parse(const char *p, struct stp_fmt_spec *sp)
{
	const char *start = p, *flag;

	sp->flags = 0;
	sp->width = STP_FMT_NONE;
	sp->prec = STP_FMT_NONE;
	sp->text = p;
	if (*p == '\0') {
		sp->kind = STP_FK_END;
		sp->len = 0;
		return p;
	}
	if (*p != '%' || p[1] == '%') {
		if (*p == '%') {
			sp->kind = STP_FK_PERCENT;
			sp->len = 2;
			return p + 2;
		}
		while (*p && *p != '%')
			p++;
		sp->kind = STP_FK_TEXT;
		sp->len = p - start;
		return p;
	}
	p++;
	/* one flag at most, as stap 4.8: "%-+5d" is no directive, and in
	 * "%#08x" the 0 starts the width (space-padded "    0x1a") */
	flag = *p ? strchr(STP_FF_CHARS, *p) : NULL;
	if (flag) {
		sp->flags |= 1u << (flag - STP_FF_CHARS);
		p++;
	}
	if (*p == '*') {
		sp->width = STP_FMT_STAR;
		p++;
	} else if (*p >= '0' && *p <= '9') {
		sp->width = stp_fmt_digits(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec = STP_FMT_STAR;
			p++;
		} else {
			sp->prec = stp_fmt_digits(&p);
		}
	}
	while (*p == 'h' || *p == 'l' || *p == 'L' || *p == 'j' ||
	       *p == 'z' || *p == 't' || *p == 'q')
		p++;
	switch (*p) {
	case 'd': case 'i':
		sp->kind = STP_FK_SIGNED;
		break;
	case 'u':
		sp->kind = STP_FK_UNSIGNED;
		break;
	case 'o':
		sp->kind = STP_FK_OCTAL;
		break;
	case 'X':
		sp->flags |= STP_FF_UPPER;
		fallthrough;
	case 'x':
		sp->kind = STP_FK_HEX;
		break;
	case 'c':
		sp->kind = STP_FK_CHAR;
		break;
	case 's':
		sp->kind = STP_FK_STRING;
		break;
	case 'p':
		sp->kind = STP_FK_POINTER;
		break;
	case 'b':
		sp->kind = STP_FK_BINARY;
		break;
	case 'M':
		sp->flags |= STP_FF_UPPER;
		fallthrough;
	case 'm':
		sp->kind = STP_FK_MEMORY;
		break;
	default:
		sp->kind = STP_FK_BAD;
		if (*p)
			p++;
		sp->len = p - start;
		return p;
	}
	p++;
	sp->len = p - start;
	return p;
}

/* ---- output ---------------------------------------------------------- */

/* Bytes beyond size are counted but dropped (snprintf semantics, no NUL). */
struct stp_out {
	char *buf;
	size_t size;
	size_t len;
};

static inline void stp_out_c(struct stp_out *o, char ch)
{
	if (o->len < o->size)
		o->buf[o->len] = ch;
	o->len++;
}

static inline void stp_out_n(struct stp_out *o, char ch, int n)
{
	while (n-- > 0)
		stp_out_c(o, ch);
}

static inline void stp_out_mem(struct stp_out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static inline void stp_fmt_number(struct stp_out *o, uint64_t v, bool neg,
				  int base, const struct stp_fmt_spec *sp,
				  bool force_prefix)
{
	const char *dig = (sp->flags & STP_FF_UPPER) ?
		"0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];
	int nd = 0, zeros, total, pad, flags = sp->flags;
	char sign = 0;
	const char *pfx = NULL;

	if (neg)
		sign = '-';
	else if (sp->kind == STP_FK_SIGNED && (flags & STP_FF_PLUS))
		sign = '+';
	else if (sp->kind == STP_FK_SIGNED && (flags & STP_FF_SPACE))
		sign = ' ';
	/* stap 4.8's number(), not C's: 0 is "0" even with precision 0,
	 * and '#' always prefixes, 0 too: %#x 0 -> 0x0, %#o 0 -> 00 */
	do {
		digits[nd++] = dig[v % base];
		v /= base;
	} while (v);
	zeros = sp->prec > nd ? sp->prec - nd : 0;
	if (force_prefix || ((flags & STP_FF_SPECIAL) && base == 16))
		pfx = (flags & STP_FF_UPPER) ? "0X" : "0x";
	else if ((flags & STP_FF_SPECIAL) && base == 8)
		pfx = "0";
	total = (sign ? 1 : 0) + (pfx ? (int)strlen(pfx) : 0) + zeros + nd;
	pad = sp->width > total ? sp->width - total : 0;
	if (flags & STP_FF_LEFT)
		flags &= ~STP_FF_ZERO;
	if (!(flags & (STP_FF_LEFT | STP_FF_ZERO)))
		stp_out_n(o, ' ', pad);
	if (sign)
		stp_out_c(o, sign);
	if (pfx)
		stp_out_mem(o, pfx, strlen(pfx));
	if (flags & STP_FF_ZERO)
		stp_out_n(o, '0', pad);
	stp_out_n(o, '0', zeros);
	while (nd > 0)
		stp_out_c(o, digits[--nd]);
	if (flags & STP_FF_LEFT)
		stp_out_n(o, ' ', pad);
}

static inline void stp_fmt_padded(struct stp_out *o, const char *s, size_t n,
				  const struct stp_fmt_spec *sp)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!(sp->flags & STP_FF_LEFT))
		stp_out_n(o, ' ', pad);
	stp_out_mem(o, s, n);
	if (sp->flags & STP_FF_LEFT)
		stp_out_n(o, ' ', pad);
}

static inline int stp_fmt_memory(struct stp_out *o, uint64_t addr,
				 const struct stp_fmt_spec *sp)
{
	static const char hex[] = "0123456789abcdef";
	char chunk[64];
	int n = sp->prec >= 0 ? sp->prec : 1;
	int out = (sp->flags & STP_FF_UPPER) ? 2 * n : n;
	int pad = sp->width > out ? sp->width - out : 0;

	if (!(sp->flags & STP_FF_LEFT))
		stp_out_n(o, ' ', pad);
	while (n > 0) {
		int k = n < (int)sizeof(chunk) ? n : (int)sizeof(chunk);

		if (STP_FMT_READMEM(chunk, addr, k))
			return -EFAULT;
		if (sp->flags & STP_FF_UPPER) {
			int i;

			for (i = 0; i < k; i++) {
				stp_out_c(o, hex[(chunk[i] >> 4) & 0xf]);
				stp_out_c(o, hex[chunk[i] & 0xf]);
			}
		} else {
			stp_out_mem(o, chunk, k);
		}
		addr += k;
		n -= k;
	}
	if (sp->flags & STP_FF_LEFT)
		stp_out_n(o, ' ', pad);
	return 0;
}

static inline void stp_fmt_binary(struct stp_out *o, int64_t v,
				  const struct stp_fmt_spec *sp)
{
	int n = sp->width;
	union {
		uint64_t u64;
		uint32_t u32;
		uint16_t u16;
		uint8_t u8;
		char c[8];
	} b;

	switch (n) {
	case 1:
		b.u8 = (uint8_t)v;
		break;
	case 2:
		b.u16 = (uint16_t)v;
		break;
	case 4:
		b.u32 = (uint32_t)v;
		break;
	default:
		n = 8;
		b.u64 = (uint64_t)v;
		break;
	}
	stp_out_mem(o, b.c, n);
}

/*
 * Format one directive whose value (if any) has been fetched: n for numbers,
 * s for strings.  Returns 0 or -EFAULT (%m on a bad address).
 */
static inline int stp_fmt_one(struct stp_out *o, const struct stp_fmt_spec *sp,
			      int64_t n, const char *s)
{
	char ch;

	switch (sp->kind) {
	case STP_FK_TEXT:
	case STP_FK_BAD:
		stp_out_mem(o, sp->text, sp->len);
		break;
	case STP_FK_PERCENT:
		stp_out_c(o, '%');
		break;
	case STP_FK_SIGNED:
		stp_fmt_number(o, n < 0 ? 0 - (uint64_t)n : (uint64_t)n, n < 0,
			       10, sp, false);
		break;
	case STP_FK_UNSIGNED:
		stp_fmt_number(o, (uint64_t)n, false, 10, sp, false);
		break;
	case STP_FK_OCTAL:
		stp_fmt_number(o, (uint64_t)n, false, 8, sp, false);
		break;
	case STP_FK_HEX:
		stp_fmt_number(o, (uint64_t)n, false, 16, sp, false);
		break;
	case STP_FK_POINTER:
		/* as stap 4.8: 0x and the hex digits, no default padding */
		stp_fmt_number(o, (uint64_t)n, false, 16, sp, true);
		break;
	case STP_FK_CHAR:
		ch = (char)n;
		stp_fmt_padded(o, &ch, 1, sp);
		break;
	case STP_FK_STRING:
		if (!s)
			s = "";
		stp_fmt_padded(o, s, sp->prec >= 0 ?
			       strnlen(s, sp->prec) : strlen(s), sp);
		break;
	case STP_FK_BINARY:
		stp_fmt_binary(o, n, sp);
		break;
	case STP_FK_MEMORY:
		return stp_fmt_memory(o, (uint64_t)n, sp);
	}
	return 0;
}

/*
 * Format fmt with arguments: int64_t for every numeric directive and '*',
 * const char * for %s (the translator checks the types).  Returns 0 or
 * -EFAULT; o->len is the length the full output needs.
 */
static inline int stp_vformat(struct stp_out *o, const char *fmt, va_list ap)
{
	/*
	 * As stap: a width or precision larger than the destination (its
	 * size with the terminator) is clamped to it, so a value printed with
	 * a huge width keeps the part that fits after the padding.
	 */
	int lim = o->size < 100000 ? (int)o->size + 1 : 100000;
	struct stp_fmt_spec sp;
	int err = 0;

	for (;;) {
		int64_t n = 0;
		const char *s = NULL;

		fmt = stp_fmt_parse(fmt, &sp);
		if (sp.kind == STP_FK_END)
			break;
		if (sp.width == STP_FMT_STAR) {
			int64_t w = va_arg(ap, int64_t);

			if (w < 0) {
				sp.flags |= STP_FF_LEFT;
				w = -w;
			}
			sp.width = w > 100000 ? 100000 : (int)w;
		}
		if (sp.prec == STP_FMT_STAR) {
			int64_t p = va_arg(ap, int64_t);

			sp.prec = p < 0 ? STP_FMT_NONE : p > 100000 ? 100000 : (int)p;
		}
		if (sp.width > lim && sp.kind != STP_FK_BINARY)
			sp.width = lim;
		if (sp.prec > lim)
			sp.prec = lim;
		if (stp_fmt_takes_string(sp.kind))
			s = va_arg(ap, const char *);
		else if (stp_fmt_takes_value(sp.kind))
			n = va_arg(ap, int64_t);
		if (stp_fmt_one(o, &sp, n, s))
			err = -EFAULT;
	}
	return err;
}

static inline int stp_format(struct stp_out *o, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = stp_vformat(o, fmt, ap);
	va_end(ap);
	return rc;
}

#endif /* STP_FMT_H */
