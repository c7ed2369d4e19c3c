/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PROBES_BLOCKLIST_H
#define PROBES_BLOCKLIST_H

#include <stdbool.h>

/*
 * Functions a kernel.function/kernel.statement wildcard leaves out, as
 * stap leaves out its blocklist: the primitives every probe handler runs
 * through (locks, atomics, the preemption count, `current`, the bit
 * operations) and the kprobe and paravirt machinery.  Thousands of inline
 * instances each (spin_lock alone has 1,900 in the reference kernel), and
 * a probe there mostly sees its own handler.  Named exactly, they are
 * probed.  file is the declaration file (kbuild-relative), or NULL.
 */
bool blocklisted(const char *func, const char *file);

#endif
