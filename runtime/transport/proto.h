/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.h - the wire format between a module's transport and stapio.
 * Included by the kernel side (runtime/transport/) and by staprun/stapio,
 * so it uses only fixed-width types and no kernel or libc calls.
 *
 * Files.  A loaded module NAME (its KBUILD_MODNAME) owns the procfs
 * directory /proc/stap/NAME/ with two root-only files:
 *
 *   ctl   control channel, one opener at a time (-EBUSY otherwise).
 *         write(): exactly one message per call (header + payload).
 *         read(): whole messages, as many as fit; blocks (or -EAGAIN with
 *         O_NONBLOCK) while none is queued; -EINVAL if the buffer cannot
 *         hold the next message (use >= STP_CTL_READ_MIN bytes); returns 0
 *         (EOF) once STP_MSG_DONE has been read.  poll(): POLLIN.
 *   data  the script's output as a plain byte stream (print records,
 *         concatenated in the order they were written, merged across CPUs
 *         by a global sequence number).  read() returns whole records only,
 *         blocks while empty, -EINVAL if the buffer is smaller than the next
 *         record (use >= STP_DATA_READ_MIN bytes), and 0 (EOF) once the
 *         session has stopped and everything was read.  poll(): POLLIN.
 *
 * /proc/stap itself is created by the first module that needs it and is
 * never removed (it holds no module code, so that is safe).
 *
 * Conversation.
 *
 *   stapio -> module   STP_MSG_START  { version, target pid }
 *   module -> stapio   STP_MSG_STARTED { status }    probes registered and
 *                                                   begin probes ran (or not)
 *   module -> stapio   STP_MSG_WARN / STP_MSG_ERROR  text, any time
 *   module -> stapio   STP_MSG_EXIT                  a probe called exit()
 *   stapio -> module   STP_MSG_STOP                  Ctrl-C, -T, -c exited
 *   stapio -> module   STP_MSG_DETACH                staprun -L, Ctrl-\
 *   module -> stapio   STP_MSG_DONE { dropped, ... } end probes ran, all
 *                                                   probes unregistered; the
 *                                                   data file drains to EOF
 *
 * The module stops by itself after exit() (no STOP needed) and also when
 * the ctl file is closed while running (stapio died).  After DONE, stapio
 * reads data to EOF and exits; staprun then removes the module.  START and
 * STOP are acted on in a workqueue, so stapio keeps draining data while
 * begin/end probes run.
 *
 * Detaching.  DETACH (no payload) makes the module keep running when ctl is
 * closed: staprun -L detaches once the probes started, Ctrl-\ (SIGQUIT)
 * detaches interactively.  While no reader holds the data file of a
 * detached module, a full buffer overwrites its oldest records (flight
 * recorder: the newest output is kept, nothing counts as dropped).  A later
 * stapio attaches (staprun -A) with START and STP_START_ATTACH: the module
 * answers STARTED { 0 } without starting anything again (a module that was
 * never started is started as usual), then the conversation goes on as
 * above; WARN/ERROR/EXIT/DONE raised meanwhile wait in the queue.
 *
 * Bulk mode (stap -b).  With the module parameter STP_PARAM_BULKMODE=1
 * (its default when the module was compiled with -DSTP_BULKMODE) every
 * record read from data is preceded by a struct stp_bulk_hdr naming the CPU
 * that wrote it (records still come whole, oldest first): stapio writes
 * each CPU's records to that CPU's file.
 *
 * Module parameter: STP_PARAM_BUFSIZE=MB sets the per-CPU data buffer size
 * (1..4095, default STP_BUFSIZE_DEFAULT_MB); staprun -s/-b MB passes it.
 */
#ifndef STP_PROTO_H
#define STP_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define STP_PROC_ROOT		"stap"		/* /proc/stap/NAME/ */
#define STP_CTL_FILE		"ctl"
#define STP_DATA_FILE		"data"
#define STP_PARAM_BUFSIZE	"_stp_bufsize"
/* =1: the module sends its memory line (INFO) to stapio: stap -v */
#define STP_PARAM_VERBOSE	"_stp_verbose"
#define STP_PARAM_BULKMODE	"_stp_bulkmode"
#define STP_BUFSIZE_DEFAULT_MB	1
#define STP_BUFSIZE_MAX_MB	4095

#define STP_PROTO_VERSION	1

/* largest single data record (one stp_transport_write call) */
#define STP_RECORD_MAX		65536
#define STP_DATA_READ_MIN	(STP_RECORD_MAX + 16)
/* largest WARN/ERROR text; longer ones are truncated */
#define STP_MSG_TEXT_MAX	2048
#define STP_CTL_READ_MIN	(STP_MSG_TEXT_MAX + 64)

enum stp_msg_type {
	STP_MSG_START = 1,	/* stapio -> module: struct stp_msg_start */
	STP_MSG_STOP = 2,	/* stapio -> module: no payload */
	STP_MSG_STARTED = 3,	/* module -> stapio: struct stp_msg_started */
	STP_MSG_WARN = 4,	/* module -> stapio: text, no NUL, no newline */
	STP_MSG_ERROR = 5,	/* module -> stapio: text, no NUL, no newline */
	STP_MSG_EXIT = 6,	/* module -> stapio: no payload */
	STP_MSG_DONE = 7,	/* module -> stapio: struct stp_msg_done */
	STP_MSG_DETACH = 8,	/* stapio -> module: no payload */
	STP_MSG_INFO = 9,	/* module -> stapio: text for stderr (stap -v) */
};

/* stp_msg_start.flags */
#define STP_START_ATTACH	1u	/* reconnect to a running session */

/* every control message: this header, then len payload bytes */
struct stp_msg_hdr {
	uint32_t type;
	uint32_t len;
};

struct stp_msg_start {
	uint32_t version;	/* STP_PROTO_VERSION */
	uint32_t flags;		/* STP_START_* */
	int64_t target_pid;	/* -c child or -x PID; 0 if none */
};

struct stp_msg_started {
	int32_t status;		/* 0 or -errno from stp_session_start() */
	uint32_t pad;
};

struct stp_msg_done {
	uint64_t dropped;	/* data records lost (buffer full, nesting) */
	uint64_t ctl_dropped;	/* WARN/ERROR messages lost */
};

/* bulk mode: before each record read from the data file */
struct stp_bulk_hdr {
	uint32_t cpu;
	uint32_t len;		/* record bytes that follow */
};

#endif
