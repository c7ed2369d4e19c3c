/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_meminfo.h - the module's memory use, in the line stap's modules log
 * at start ("NAME (SCRIPT): systemtap: VERSION, base: ADDR, memory:
 * Ddata/Ttext/Cctx/Nnet/Aalloc kb, probes: N"): data and text are the
 * module's core image as the kernel loaded it, ctx the per-CPU contexts,
 * net the transport's buffers, alloc the arrays and statistics.  It goes to
 * the kernel log (KERN_DEBUG) always, and to stapio's stderr when staprun
 * passes _stp_verbose=1 (stap -v).
 */
#ifndef STP_MEMINFO_H
#define STP_MEMINFO_H

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/version.h>

static int stp_verbose;
module_param_named(_stp_verbose, stp_verbose, int, 0444);
MODULE_PARM_DESC(_stp_verbose, "1: report the memory use to stapio (stap -v)");

static void stp_module_core(unsigned long *base, unsigned long *text,
			    unsigned long *data)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	const struct module_memory *m = THIS_MODULE->mem;

	*base = (unsigned long)m[MOD_TEXT].base;
	*text = m[MOD_TEXT].size;
	*data = m[MOD_DATA].size + m[MOD_RODATA].size +
		m[MOD_RO_AFTER_INIT].size;
#else
	const struct module_layout *l = &THIS_MODULE->core_layout;

	*base = (unsigned long)l->base;
	*text = l->text_size;
	*data = l->size - l->text_size;
#endif
}

/* at session start: script is the script's name, nprobes its probes,
 * version the translator's */
static void __maybe_unused stp_meminfo(const char *script, int nprobes,
				       const char *version)
{
	unsigned long base, text, data;
	char line[256];

	stp_module_core(&base, &text, &data);
	scnprintf(line, sizeof(line),
		  "%s (%s): systemtap: %s, base: %lx, memory: %ludata/%lutext/%zuctx/%zunet/%zualloc kb, probes: %d",
		  THIS_MODULE->name, script, version, base, data / 1024,
		  text / 1024, stp_rt.mem_ctx / 1024,
		  stp_transport_mem() / 1024, stp_rt.mem_alloc / 1024,
		  nprobes);
	printk(KERN_DEBUG "%s\n", line);
	if (stp_verbose)
		stp_transport_info(line);
}

#endif /* STP_MEMINFO_H */
