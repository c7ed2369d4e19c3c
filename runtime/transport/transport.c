/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport.c - the kernel half of pass 5, linked INTO the generated
 * module as a compilation unit of its own (pass 4 writes a one-line file
 * that does `#include "transport/transport.c"`, kbuild passing
 * -I<runtime dir>); the generated C file includes transport.h only and
 * defines stp_session_start() and stp_session_stop().  This file provides
 * module_init/module_exit, MODULE_LICENSE, the module parameters
 * _stp_bufsize and _stp_bulkmode and the API of transport.h.  All its
 * helpers are static; it pulls in ring.c (data), ctl.c (control, session
 * state) and procfs.c (files), which are not meant to be included on
 * their own.  Nothing in it depends on the module's name or script (the
 * name is THIS_MODULE's at run time), so pass 4 keeps the object compiled
 * in the cache for the next module of the same kernel and options.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/poll.h>
#include <linux/workqueue.h>
#include <linux/irq_work.h>
#include <linux/proc_fs.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/log2.h>
#include <linux/hardirq.h>
#include <linux/rcupdate.h>

#include "transport.h"
#include "proto.h"

#include "ring.c"
#include "ctl.c"
#include "procfs.c"

MODULE_LICENSE("GPL");

static unsigned int stp_bufsize_mb = STP_BUFSIZE_DEFAULT_MB;
module_param_named(_stp_bufsize, stp_bufsize_mb, uint, 0444);
MODULE_PARM_DESC(_stp_bufsize, "data buffer per CPU, in MB (staprun -s)");

#ifdef STP_BULKMODE
static bool stp_bulkmode = true;
#else
static bool stp_bulkmode;
#endif
module_param_named(_stp_bulkmode, stp_bulkmode, bool, 0444);
MODULE_PARM_DESC(_stp_bulkmode, "per-CPU output files (stap -b)");

int stp_transport_write(const char *data, size_t len)
{
	int rc = 0;

	if (unlikely(!stp_rings))
		return -ENODEV;
	/* a huge print goes out in pieces; the stream stays a stream */
	while (len && !rc) {
		size_t n = min_t(size_t, len, STP_RECORD_MAX);

		rc = stp_ring_write(data, n);
		data += n;
		len -= n;
	}
	if (wq_has_sleeper(&stp_data_wq))
		irq_work_queue(&stp_wake_work);
	return rc ? -ENOSPC : 0;
}

struct proc_dir_entry *stp_transport_proc_dir(void)
{
	return stp_proc_dir;
}

static int __init stp_transport_init(void)
{
	int rc;

	if (stp_bufsize_mb < 1 || stp_bufsize_mb > STP_BUFSIZE_MAX_MB) {
		pr_err("%s: %s=%u out of range 1..%u\n", THIS_MODULE->name,
		       STP_PARAM_BUFSIZE, stp_bufsize_mb, STP_BUFSIZE_MAX_MB);
		return -EINVAL;
	}
	stp_ring_bulk = stp_bulkmode;
	rc = stp_ring_alloc(stp_bufsize_mb);
	if (!rc)
		rc = stp_proc_init();
	if (rc)
		stp_ring_free();
	return rc;
}

static void __exit stp_transport_exit(void)
{
	WRITE_ONCE(stp_shutdown, 1);
	wake_up_interruptible(&stp_data_wq);
	wake_up_interruptible(&stp_ctl_wq);
	stp_proc_exit();
	stp_ctl_shutdown();
	stp_ring_free();
}

module_init(stp_transport_init);
module_exit(stp_transport_exit);
