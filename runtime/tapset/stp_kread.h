/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_kread.h - fault-safe reads of kernel and user memory for the tapset
 * library: numbers of 1/2/4/8 bytes, NUL-terminated strings, quoted
 * strings.  A fault raises a script error as stap's ("kernel long copy
 * fault at 0x0 [man error::fault]")
 * and yields 0 or "", so a bad pointer never oopses the kernel.
 */
#ifndef STP_KREAD_H
#define STP_KREAD_H

#include <linux/uaccess.h>
#include <linux/sched.h>

/* read `size` bytes at kernel address addr into dst; false on a fault */
static bool __maybe_unused stp_kread_raw(void *dst, unsigned long addr,
					 size_t size)
{
	if (addr < PAGE_SIZE)
		return false;
	return !copy_from_kernel_nofault(dst, (const void *)addr, size);
}

static bool __maybe_unused stp_uread_raw(void *dst, unsigned long addr,
					 size_t size)
{
	if (!current->mm || (current->flags & PF_KTHREAD))
		return false;
	return !copy_from_user_nofault(dst, (const void __user *)addr, size);
}

/* an unsigned number of `size` bytes at addr; error + 0 on a fault */
static uint64_t __maybe_unused stp_kread_num(struct stp_context *c,
					     unsigned long addr, size_t size,
					     bool user)
{
	union { uint8_t b; uint16_t h; uint32_t w; uint64_t q; } v = { 0 };
	bool ok = user ? stp_uread_raw(&v, addr, size) :
		stp_kread_raw(&v, addr, size);

	if (!ok) {
		stp_errorf(c, NULL, "%s %s copy fault at 0x%lx [man error::fault]",
			   user ? "user" : "kernel", size == 1 ? "char" :
			   size == 2 ? "short" : size == 4 ? "int" : "long",
			   addr);
		return 0;
	}
	switch (size) {
	case 1: return v.b;
	case 2: return v.h;
	case 4: return v.w;
	}
	return v.q;
}

/* the pointer-sized value at addr, or 0 on a fault (no error): for
 * walking structures where a NULL link is a normal answer */
static unsigned long __maybe_unused stp_kread_ptr(unsigned long addr)
{
	unsigned long v = 0;

	if (!stp_kread_raw(&v, addr, sizeof(v)))
		return 0;
	return v;
}

/*
 * The NUL-terminated string at addr into dst (at most len - 1 bytes).
 * Returns the length, or -EFAULT (dst then "") when nothing could be read.
 */
static long __maybe_unused stp_read_str(char *dst, unsigned long addr,
					size_t len, bool user)
{
	size_t got = 0;

	dst[0] = '\0';
	if (!addr || len == 0)
		return -EFAULT;
	/* page by page, so that a string ending just before an unmapped
	 * page still reads */
	while (got < len - 1) {
		unsigned long a = addr + got;
		size_t chunk = PAGE_SIZE - (a & ~PAGE_MASK);
		char *end;

		if (chunk > len - 1 - got)
			chunk = len - 1 - got;
		if (!(user ? stp_uread_raw(dst + got, a, chunk) :
		      stp_kread_raw(dst + got, a, chunk))) {
			if (!got)
				return -EFAULT;
			break;
		}
		end = memchr(dst + got, '\0', chunk);
		if (end)
			return end - dst;
		got += chunk;
	}
	dst[got] = '\0';
	return got;
}

/* like stp_read_str, with a script error on a fault */
static void __maybe_unused stp_read_str_err(struct stp_context *c, char *dst,
					    unsigned long addr, size_t len,
					    bool user)
{
	if (stp_read_str(dst, addr, len, user) < 0)
		stp_errorf(c, NULL, "%s string copy fault%s at 0x%lx "
			   "[man error::fault]", user ? "user" : "kernel",
			   user ? " -14" : "", addr);
}

/*
 * stap's quoted form of a string read from addr: "text" with C escapes
 * for non-printing bytes, "..." appended when it was cut, or the address
 * in hex when it cannot be read (NULL prints as NULL).
 */
static void __maybe_unused stp_quote_mem(char *dst, size_t dlen,
					 unsigned long addr, size_t max,
					 bool user)
{
	char raw[256];
	size_t i, o = 0;
	long n;

	if (!addr) {
		strscpy(dst, "NULL", dlen);
		return;
	}
	if (max > sizeof(raw))
		max = sizeof(raw);
	n = stp_read_str(raw, addr, max, user);
	if (n < 0) {
		scnprintf(dst, dlen, "0x%lx", addr);
		return;
	}
	dst[o++] = '"';
	for (i = 0; i < (size_t)n && o + 6 < dlen; i++) {
		unsigned char ch = raw[i];
		const char *esc = NULL;

		switch (ch) {
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		}
		if (esc) {
			dst[o++] = esc[0];
			dst[o++] = esc[1];
		} else if (ch < 32 || ch >= 127) {
			o += scnprintf(dst + o, dlen - o, "\\%03o", ch);
		} else {
			dst[o++] = ch;
		}
	}
	dst[o++] = '"';
	dst[o] = '\0';
	/* cut short: by the copy limit or by our buffer */
	if ((i < (size_t)n || (size_t)n == max - 1) && o + 4 < dlen)
		strcpy(dst + o, "...");
}

#endif /* STP_KREAD_H */
