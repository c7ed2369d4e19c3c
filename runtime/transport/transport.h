/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport.h - what the transport offers the rest of the runtime, and what
 * it needs from the generated module.  Kernel side only; the wire format
 * (control messages, data records) is in proto.h, shared with staprun/stapio.
 *
 * Lifecycle: module_init() sets up the transport only.  stapio connects and
 * sends START: the transport calls stp_session_start() (process context; it
 * registers probes and runs begin probes).  A probe calling exit(), an error
 * past MAXERRORS, or stapio's STOP (Ctrl-C, -T, -c child exit) leads to
 * stp_session_stop() (process context; end probes, unregister), after which
 * the transport flushes and tells stapio it may exit; staprun then removes
 * the module.  module_exit() calls stp_session_stop() too if it never ran.
 */
#ifndef STP_TRANSPORT_H
#define STP_TRANSPORT_H

#include <linux/types.h>

struct proc_dir_entry;

/* ---- provided by the generated module ---- */
int stp_session_start(void);	/* 0 or -errno; on error nothing stays registered */
void stp_session_stop(void);	/* idempotent */

/* ---- provided by the transport ---- */

/*
 * Append bytes to the data channel.  Any context (probe handlers run with
 * preemption or interrupts off, NMI included); never sleeps, takes no lock.
 * One call is one record, kept whole: on lack of space the whole record is
 * dropped, counted, and reported by stapio at exit ("There were N transport
 * failures").  Calls longer than STP_RECORD_MAX (64 KiB) are split into
 * several records.  So flush a probe's output with one call, not per
 * fragment.  Returns 0, -ENOSPC (dropped and counted) or -ENODEV (no
 * buffers: outside module_init..module_exit).
 */
int stp_transport_write(const char *data, size_t len);
/* "WARNING: msg" / "ERROR: msg" on stapio's stderr (msg without newline). */
void stp_transport_warn(const char *msg);
void stp_transport_error(const char *msg);
/* msg as it is on stapio's stderr (STP_MSG_INFO; stap -v's memory line) */
void stp_transport_info(const char *msg);
/* bytes of data buffers the transport holds (stap -v's "net" memory) */
size_t stp_transport_mem(void);
/*
 * exit() from a probe: asynchronous, any context, idempotent.  The
 * transport then calls stp_session_stop() from a kworker.  Probes that must
 * not run after exit() need the generated code's own state check.
 */
void stp_transport_request_exit(void);
/* a stop was asked for (stapio's STOP, module unload): a long
 * stp_session_start() may give up with -EINTR, leaving nothing registered */
bool stp_transport_stopping(void);
/* target(): the -c child's or -x pid, 0 if none (valid from session start) */
pid_t stp_transport_target(void);
/* /proc/stap/NAME/, for procfs probes (entries they add they must remove) */
struct proc_dir_entry *stp_transport_proc_dir(void);

#endif
