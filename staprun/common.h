/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common.h - helpers shared by staprun and stapio (prefix sr_) */
#ifndef STAPRUN_COMMON_H
#define STAPRUN_COMMON_H

#include <stddef.h>
#include <sys/types.h>

#include "../runtime/transport/proto.h"

/* stapio's exit status after a detach: staprun leaves the module loaded */
#define SR_STATUS_DETACHED 64
/* stapio -A could not attach (another stapio is): leave the module alone */
#define SR_STATUS_NOT_ATTACHED 65

/* "ERROR: ..." etc. go to stderr through this; adds nothing */
void sr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -v messages: "PROG: ..." when level > 0, "PROG[ms]: ..." when > 1 */
void sr_verbose(int level, const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* decimal in [lo, hi]: 0, or -1 if not */
int sr_parse_long(const char *s, long lo, long hi, long *out);
/* module name of a .ko path: basename without ".ko", '-' -> '_'; -1 if bad */
int sr_modname(const char *path, char *buf, size_t n);
/* /proc/stap/MOD/FILE */
void sr_proc_path(char *buf, size_t n, const char *mod, const char *file);
/* write everything, retrying on EINTR/short writes: 0 or -1 (errno) */
int sr_write_all(int fd, const void *buf, size_t len);
/* directory of the running executable ("." if unknown), into buf */
void sr_exe_dir(char *buf, size_t n, const char *argv0);
/* stdin, stdout and stderr on /dev/null (a daemon lets go of its caller) */
void sr_stdio_to_null(void);
/* milliseconds on the monotonic clock */
long long sr_now_ms(void);

#endif
