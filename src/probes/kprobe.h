/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kprobe.h - what the kprobe family's pass-2 half leaves in a derived_probe
 * for its emitter (and for dwarf.c, whose probes register the same way).
 *
 *   sym        function name (kprobe.function, kprobe.module().function);
 *              NULL for an absolute statement
 *   module     module name, or NULL for the kernel
 *   num[0]     maxactive for .return (0: the kernel's default)
 *   num[1]     absolute address (KPF_ABSOLUTE) or link-time address
 *   num[2]     offset from sym
 *   is_return  .return
 *   flags      KPF_*
 */
#ifndef STAP_PROBES_KPROBE_H
#define STAP_PROBES_KPROBE_H

#define KPF_ABSOLUTE	0x1	/* kprobe.statement(ADDR).absolute */
#define KPF_OPTIONAL	0x2	/* a failed registration is not an error */
#define KPF_CHECKED	0x4	/* num[1] is off the kernel's kprobe blacklist
				 * (checked in pass 2): a function entry may go
				 * to ftrace without a kprobe first */
#define KPF_FENTRY	0x8	/* num[1] is a function's first byte and
				 * maybe an ftrace site (also for points by
				 * address only: the name is ambiguous) */
#define KPF_NOFTRACE	0x10	/* num[1] is known not to be an ftrace site */
#define KPF_WILD	0x20	/* matched by a kprobe.function wildcard:
				 * left out at run time unless ftrace can
				 * trace it (runtime/probes/stp_ftrace.h) */

struct tx;
struct vec;

/*
 * Emit a struct stp_kprobe table for derived probes laid out as above
 * (kprobe family and kernel.function alike) and hook its registration into
 * session start/stop.  A probe with num[1] != 0 and no sym is registered
 * by address (relocated for KASLR unless KPF_ABSOLUTE).
 */
void kprobe_emit_points(struct tx *tx, struct vec *derived);
/* the same for the points of one named module (all in it), registered
 * whenever that module is loaded */
void kprobe_emit_module_points(struct tx *tx, struct vec *derived,
			       const char *module);

#endif /* STAP_PROBES_KPROBE_H */
