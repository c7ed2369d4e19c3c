/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_limits.h - the runtime limits, in one place.  Each can be changed
 * with stap -D NAME=VALUE.  The manual's limits table is generated from the
 * "LIMIT:" lines below; keep one per macro.
 */
#ifndef STP_LIMITS_H
#define STP_LIMITS_H

/* LIMIT: MAXSTRINGLEN 512 - bytes in a string, NUL included; longer strings are truncated */
#ifndef MAXSTRINGLEN
#define MAXSTRINGLEN 512
#endif

/* LIMIT: MAXACTION 1000 - statements per probe hit are 10 times this (see MAXACTION_INTERRUPTIBLE) */
#ifndef MAXACTION
#define MAXACTION 1000
#endif

/* LIMIT: MAXACTION_INTERRUPTIBLE MAXACTION*10 - statements per probe hit, every probe as with stap 4.8 (error "MAXACTION exceeded"); a loop iteration counts 1 plus its statements */
#ifndef MAXACTION_INTERRUPTIBLE
#define MAXACTION_INTERRUPTIBLE (MAXACTION * 10)
#endif

/* LIMIT: MAXNESTING (deepest call chain + 1, +10 with recursion) - function call depth (error "MAXNESTING exceeded") */
#ifndef MAXNESTING
#define MAXNESTING 10
#endif

/* LIMIT: MAXTRYLOCK 100 - tries to take a global's lock before the probe hit is skipped */
#ifndef MAXTRYLOCK
#define MAXTRYLOCK 100
#endif

/* LIMIT: TRYLOCKDELAY 10 - microseconds between two tries */
#ifndef TRYLOCKDELAY
#define TRYLOCKDELAY 10
#endif

/* LIMIT: MAXERRORS 0 - errors tolerated before the run ends (the first one past it ends it) */
#ifndef MAXERRORS
#define MAXERRORS 0
#endif

/* LIMIT: MAXSKIPPED 100 - skipped probe hits tolerated before the run ends */
#ifndef MAXSKIPPED
#define MAXSKIPPED 100
#endif

/* LIMIT: MINSTACKSPACE 1024 - bytes of kernel stack a probe hit needs left, else it is skipped */
#ifndef MINSTACKSPACE
#define MINSTACKSPACE 1024
#endif

/* LIMIT: STP_OVERLOAD_THRESHOLD 500000000 - cycles a CPU may spend in probes per STP_OVERLOAD_INTERVAL (error "probe overhead exceeded threshold"; -DSTP_NO_OVERLOAD disables) */
#ifndef STP_OVERLOAD_THRESHOLD
#define STP_OVERLOAD_THRESHOLD 500000000ULL
#endif

/* LIMIT: STP_OVERLOAD_INTERVAL 1000000000 - cycles over which the overload check adds up probe time */
#ifndef STP_OVERLOAD_INTERVAL
#define STP_OVERLOAD_INTERVAL 1000000000ULL
#endif

/* LIMIT: STP_RE_MAXPROG 256 - instructions of one compiled regular expression (=~) */
#ifndef STP_RE_MAXPROG
#define STP_RE_MAXPROG 256
#endif

/* LIMIT: STP_PRINT_BUFSIZE 8192 - bytes of output one probe hit buffers before flushing */
#ifndef STP_PRINT_BUFSIZE
#define STP_PRINT_BUFSIZE 8192
#endif

#endif /* STP_LIMITS_H */
