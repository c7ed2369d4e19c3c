/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * emit.h - the pass-3 halves of the providers (<family>_emit.c).  Weak, so
 * a family whose emitter is not written yet links with a NULL ->emit and
 * pass 3 reports "probe family X cannot be translated yet".
 */
#ifndef STAP_PROBES_EMIT_H
#define STAP_PROBES_EMIT_H

struct tx;
struct vec;

#define PROBE_EMITTER(name) \
	void name##_emit(struct tx *tx, struct vec *derived) __attribute__((weak))

PROBE_EMITTER(begin);		/* begin, end, error, never */
PROBE_EMITTER(timer);		/* timer.ms/s/us/ns/jiffies/hz, timer.profile */
PROBE_EMITTER(kprobe);		/* kprobe.function/module/statement */
PROBE_EMITTER(dwarf);		/* kernel.function/statement, module().function */
PROBE_EMITTER(tracepoint);	/* kernel.trace */

#endif
