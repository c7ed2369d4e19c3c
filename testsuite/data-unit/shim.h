/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shim.h - the few kernel names runtime/data/ uses, in user space, so the
 * data structures are unit-tested without a kernel.  The "CPU" a probe
 * runs on is shim_cpu; shim_ncpus CPUs exist.
 */
#ifndef DATA_SHIM_H
#define DATA_SHIM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;

#define GFP_KERNEL 0
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define noinline __attribute__((noinline))
#define __maybe_unused __attribute__((unused))
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#define ALIGN(x, a) (((x) + (a) - 1) & ~((size_t)(a) - 1))

static unsigned int shim_ncpus = 4;
static unsigned int shim_cpu;
static long shim_allocs;

#define nr_cpu_ids shim_ncpus
#define num_possible_cpus() shim_ncpus
#define for_each_possible_cpu(c) for ((c) = 0; (c) < shim_ncpus; (c)++)
#define smp_processor_id() shim_cpu

static bool shim_nomem;		/* every allocation fails */
static char shim_error[256];		/* the last stp_transport_error() */

static inline void *vzalloc(size_t n)
{
	if (shim_nomem)
		return NULL;
	shim_allocs++;
	return calloc(1, n ? n : 1);
}

#define LINUX_VERSION_CODE 0x060100
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))
#define __GFP_ZERO 0
#define __GFP_NOWARN 0
#define __GFP_RETRY_MAYFAIL 0
#define __vmalloc(n, f) vzalloc(n)

static inline void vfree(const void *p)
{
	if (p)
		shim_allocs--;
	free((void *)p);
}

#define scnprintf snprintf

static inline void stp_transport_error(const char *msg)
{
	snprintf(shim_error, sizeof(shim_error), "%s", msg);
}

#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define kzalloc(n, f) vzalloc(n)
#define kcalloc(n, s, f) vzalloc((n) * (s))
#define kfree(p) vfree(p)

static inline s64 div64_s64(s64 a, s64 b)
{
	return a / b;
}

static inline u64 div64_u64(u64 a, u64 b)
{
	return a / b;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline long strscpy(char *dst, const char *src, size_t n)
{
	size_t l = strnlen(src, n);

	if (l == n) {
		memcpy(dst, src, n - 1);
		dst[n - 1] = 0;
		return -E2BIG;
	}
	memcpy(dst, src, l + 1);
	return (long)l;
}

#endif
