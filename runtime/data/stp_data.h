/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_data.h - the script's data: associative arrays, statistics and
 * histograms.  The one header the generated module includes for them.
 *
 *   stp_stat.h   one statistic: count/sum/min/max/variance, histogram buckets
 *   stp_hist.h   histogram text (print/sprint of @hist_log/@hist_linear)
 *   stp_map.h    generic associative array: up to 9 long/string keys, a
 *                long/string/statistic value, preallocated, optional wrap
 *   stp_pstat.h  statistics kept per CPU: scalars (x <<< v) and arrays
 *                (a[k] <<< v), aggregated on read
 *   stp_data_ctx.h  the calls generated code makes (errors into the probe
 *                context); included when the core runtime is
 *
 * Everything is allocated at module load (stp_*_init, process context);
 * nothing in probe context allocates.  Locking is the caller's (the
 * generated code's global rwlocks): lookups and `<<<` need the shared lock,
 * everything that writes an ordinary array, sorts it, or aggregates a
 * statistic needs the exclusive one.
 *
 * The same files compile in user space for the unit tests
 * (testsuite/data-unit/): without __KERNEL__ the includer provides the few
 * kernel names used (see testsuite/data-unit/shim.h).
 */
#ifndef STP_DATA_H
#define STP_DATA_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <linux/math64.h>
#include <linux/bitops.h>
#include <asm/barrier.h>
#endif

#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512
#endif

/* LIMIT: MAXMAPENTRIES 2048 - entries per array unless declared global a[N] (error "Array overflow") */
#ifndef MAXMAPENTRIES
#define MAXMAPENTRIES 2048
#endif

/* LIMIT: HIST_ELISION 2 - zero histogram rows kept next to non-zero ones; longer runs print "~" (negative: never elide) */
#ifndef HIST_ELISION
#define HIST_ELISION 2
#endif

#define STP_MAP_MAXKEYS	9

/* types of keys and values */
enum stp_type {
	STP_T_LONG = 1,
	STP_T_STR = 2,
	STP_T_STAT = 3,
};

/* one key (or value) as the generated code passes it */
union stp_kv {
	s64 n;
	const char *s;
};

/* where histogram text goes: the print buffer, or a string for sprint */
typedef void (*stp_out_fn)(void *ctx, const char *s, size_t n);

#include "stp_stat.h"
#include "stp_hist.h"
#include "stp_map.h"
#include "stp_pstat.h"
#ifdef STP_PRINT_H
#include "stp_data_ctx.h"
#endif

#endif /* STP_DATA_H */
