/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runtime.h - the one header a generated module includes.  Everything here
 * is static: the module carries only what it uses.  The generated file
 * defines union stp_frame, the probe handlers, stp_session_start() and
 * stp_session_stop().
 */
#ifndef STP_RUNTIME_H
#define STP_RUNTIME_H

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <asm/local.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/cpu.h>
#include <linux/smp.h>
#include <asm/irq_regs.h>
#include <linux/stdarg.h>
#include <linux/uaccess.h>
#include <linux/timex.h>

/* the transport is its own compilation unit (pass 4 builds it next to
 * the script's, in parallel): only its API here */
#include "transport/transport.h"

#include "stp_limits.h"

/* %m / %M read kernel memory without faulting */
#define STP_FMT_READMEM(dst, addr, n) \
	(copy_from_kernel_nofault((dst), (const void *)(unsigned long)(addr), \
				  (n)) ? -EFAULT : 0)
#include "stp_fmt.h"
#include "stp_context.h"
#include "stp_arith.h"
#include "stp_string.h"
#include "stp_regex.h"
#include "stp_print.h"
#include "stp_time.h"
#include "stp_param.h"
#include "stp_be.h"
#include "stp_gen.h"
#include "stp_timer.h"

#endif /* STP_RUNTIME_H */
