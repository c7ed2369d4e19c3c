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

/* ---- provided by the generated module ---- */
int stp_session_start(void);	/* 0 or -errno; on error nothing stays registered */
void stp_session_stop(void);	/* idempotent */
extern const char stp_module_name[];

/* ---- provided by the transport ---- */
/*
 * Append bytes to the data channel.  Any context (probe handlers run with
 * preemption or interrupts off); never sleeps.  Records are kept whole: on
 * lack of space the whole record is dropped, counted, and reported by stapio
 * at exit.  Returns 0 or -ENOSPC.
 */
int stp_transport_write(const char *data, size_t len);
/* "WARNING: msg" / "ERROR: msg" on stapio's stderr (msg without newline). */
void stp_transport_warn(const char *msg);
void stp_transport_error(const char *msg);
/* exit() from a probe: asynchronous, any context. */
void stp_transport_request_exit(void);

#endif
