/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_deref.h - fault-safe reads of kernel memory for context variables
 * ($var->field, @cast): a bad pointer becomes a script error ("kernel
 * read fault at 0x..."), never an oops.
 */
#ifndef STP_DEREF_H
#define STP_DEREF_H

#include <linux/uaccess.h>

#include "probes/stp_kprobes.h"	/* @entry slots live in kretprobe instances */

/* size bytes (1, 2, 4, 8) at addr, sign-extended when sgn */
static int64_t __maybe_unused stp_dw_read(struct stp_context *c, int64_t addr,
					  int size, int sgn, const char *near)
{
	union { u8 b; u16 h; u32 w; u64 q; } v = { .q = 0 };

	if (c->last_error)
		return 0;
	if (copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr,
				     size)) {
		stp_errorf(c, near, "kernel read fault at 0x%016llx (addr)",
			   (unsigned long long)addr);
		return 0;
	}
	switch (size) {
	case 1: return sgn ? (s8)v.b : v.b;
	case 2: return sgn ? (s16)v.h : v.h;
	case 4: return sgn ? (s32)v.w : v.w;
	}
	return (int64_t)v.q;
}

/* the NUL-terminated string at addr into dst (MAXSTRINGLEN) */
static const char *__maybe_unused stp_dw_string(struct stp_context *c,
						char *dst, int64_t addr,
						const char *near)
{
	int i;

	dst[0] = 0;
	if (c->last_error)
		return dst;
	/* strncpy_from_kernel_nofault() is not exported: byte by byte */
	for (i = 0; i < MAXSTRINGLEN - 1; i++) {
		const char *p = (const char *)(unsigned long)addr + i;

		if (copy_from_kernel_nofault(&dst[i], p, 1)) {
			stp_errorf(c, near, "kernel string copy fault at "
				   "0x%016llx (addr)", (unsigned long long)addr);
			dst[0] = 0;
			return dst;
		}
		if (!dst[i])
			return dst;
	}
	dst[i] = 0;
	return dst;
}

/* ---- $var$ pretty printing: append to a MAXSTRINGLEN buffer ---- */

/* size bytes at addr, 0 when unreadable (pretty printing prints on) */
static int64_t __maybe_unused stp_dw_read_q(int64_t addr, int size, int sgn)
{
	union { u8 b; u16 h; u32 w; u64 q; } v = { .q = 0 };

	if (copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr,
				     size))
		return 0;
	switch (size) {
	case 1: return sgn ? (s8)v.b : v.b;
	case 2: return sgn ? (s16)v.h : v.h;
	case 4: return sgn ? (s32)v.w : v.w;
	}
	return (int64_t)v.q;
}

static void __maybe_unused stp_pp_cat(char *b, const char *s)
{
	strlcat(b, s, MAXSTRINGLEN);
}

static void __maybe_unused stp_pp_int(char *b, int64_t v, int sgn)
{
	char t[32];

	if (sgn)
		scnprintf(t, sizeof(t), "%lld", (long long)v);
	else
		scnprintf(t, sizeof(t), "%llu", (unsigned long long)v);
	stp_pp_cat(b, t);
}

static void __maybe_unused stp_pp_hex(char *b, int64_t v)
{
	char t[32];

	scnprintf(t, sizeof(t), "0x%llx", (unsigned long long)v);
	stp_pp_cat(b, t);
}

/* the string at addr, quoted; 0x.. when it cannot be read */
static void __maybe_unused stp_pp_str(char *b, int64_t addr)
{
	char t[64];
	int i;

	for (i = 0; i < (int)sizeof(t) - 1; i++) {
		if (copy_from_kernel_nofault(&t[i], (const char *)(unsigned long)
					     addr + i, 1)) {
			stp_pp_hex(b, addr);
			return;
		}
		if (!t[i])
			break;
	}
	t[i] = 0;
	stp_pp_cat(b, "\"");
	stp_pp_cat(b, t);
	stp_pp_cat(b, "\"");
}

/* stp_dw_read() in a kretprobe entry handler: no context, a flag */
static int64_t __maybe_unused stp_dw_read_entry(int *fault, int64_t addr,
						int size, int sgn)
{
	union { u8 b; u16 h; u32 w; u64 q; } v = { .q = 0 };

	if (copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr,
				     size)) {
		*fault = 1;
		return 0;
	}
	switch (size) {
	case 1: return sgn ? (s8)v.b : v.b;
	case 2: return sgn ? (s16)v.h : v.h;
	case 4: return sgn ? (s32)v.w : v.w;
	}
	return (int64_t)v.q;
}

/* slot of the values saved at this return probe's function entry */
static int64_t __maybe_unused stp_dw_entry_get(struct stp_context *c,
					       int slot, const char *near)
{
	struct kretprobe_instance *ri = stp_kretprobe_instance();
	const int64_t *d;

	if (!ri) {
		stp_error(c, "@entry value not available here", near);
		return 0;
	}
	d = (const int64_t *)ri->data;
	if (d[0] & (1ULL << slot)) {
		stp_error(c, "kernel read fault at function entry", near);
		return 0;
	}
	return d[slot + 1];
}

#endif /* STP_DEREF_H */
