/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_unwind.h - kernel stack backtraces for the tapset (backtrace(),
 * print_backtrace(), caller_addr()...) through the kernel's own unwinder
 * (ORC on x86_64), starting at the probe's registers when it has kernel
 * ones, else at the current stack minus this module's frames.
 */
#ifndef STP_UNWIND_H
#define STP_UNWIND_H

#include <linux/module.h>
#include <linux/kallsyms.h>
#include <asm/unwind.h>

#define STP_MAXBACKTRACE 20

/* up to max return addresses into out; returns how many */
static int __maybe_unused stp_backtrace(struct stp_context *c,
					unsigned long *out, int max)
{
	struct pt_regs *regs = c->regs && !user_mode(c->regs) ? c->regs : NULL;
	struct unwind_state state;
	bool ours = !regs;
	int n = 0;

	/* the probe's own address first: the unwinder starts at its caller */
	if (regs && max > 0)
		out[n++] = instruction_pointer(regs);
	for (unwind_start(&state, current, regs, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		unsigned long a = unwind_get_return_address(&state);

		if (!a)
			break;
		/* from our own stack: skip the runtime's frames */
		if (ours && within_module(a, THIS_MODULE))
			continue;
		ours = false;
		if (n == 1 && regs && a == out[0])
			continue;
		out[n++] = a;
	}
	return n;
}

/* " 0xADDR : name+0xoff/0xsize [mod]\n" per address, appended to dst */
static void __maybe_unused stp_sprint_frames(char *dst, size_t len,
					     const unsigned long *a, int n)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t o = strnlen(dst, len);
	int i;

	for (i = 0; i < n && o < len - 1; i++) {
		sprint_symbol(sym, a[i]);
		o += scnprintf(dst + o, len - o, " 0x%lx : %s%s\n", a[i], sym,
			       strchr(sym, '[') ? "" : " [kernel]");
	}
}

#endif /* STP_UNWIND_H */
