/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_regs.h - CPU registers at a probe (x86_64): by name for register()
 * and u_register(), function arguments by the calling convention for the
 * *_arg() tapset functions, and print_regs().
 */
#ifndef STP_REGS_H
#define STP_REGS_H

#include <linux/kallsyms.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

struct stp_regname {
	const char *name;
	unsigned short off;	/* offsetof(struct pt_regs, x) */
	unsigned char bytes;	/* 4: 32-bit view, sign-extended */
};

#define STP_R(n, f)	{ n, offsetof(struct pt_regs, f), 8 }
#define STP_E(n, f)	{ n, offsetof(struct pt_regs, f), 4 }

static const struct stp_regname stp_regnames[] = {
	STP_R("rax", ax), STP_R("ax", ax), STP_E("eax", ax),
	STP_R("rbx", bx), STP_R("bx", bx), STP_E("ebx", bx),
	STP_R("rcx", cx), STP_R("cx", cx), STP_E("ecx", cx),
	STP_R("rdx", dx), STP_R("dx", dx), STP_E("edx", dx),
	STP_R("rsi", si), STP_R("si", si), STP_E("esi", si),
	STP_R("rdi", di), STP_R("di", di), STP_E("edi", di),
	STP_R("rbp", bp), STP_R("bp", bp), STP_E("ebp", bp),
	STP_R("rsp", sp), STP_R("sp", sp), STP_E("esp", sp),
	STP_R("rip", ip), STP_R("ip", ip), STP_E("eip", ip),
	STP_R("r8", r8), STP_R("r9", r9), STP_R("r10", r10),
	STP_R("r11", r11), STP_R("r12", r12), STP_R("r13", r13),
	STP_R("r14", r14), STP_R("r15", r15),
	STP_R("orig_rax", orig_ax), STP_R("orig_ax", orig_ax),
	STP_E("orig_eax", orig_ax),
	STP_R("rflags", flags), STP_R("flags", flags), STP_E("eflags", flags),
	STP_R("cs", cs), STP_R("xcs", cs), STP_R("ss", ss), STP_R("xss", ss),
};

#undef STP_R
#undef STP_E

/* registers of the probed user context: the probe's if it hit user mode */
static struct pt_regs *stp_user_regs(struct stp_context *c)
{
	if (c->regs && user_mode(c->regs))
		return c->regs;
	if (current->mm && !(current->flags & PF_KTHREAD))
		return task_pt_regs(current);
	return NULL;
}

static int64_t __maybe_unused stp_reg_get(struct stp_context *c,
					  struct pt_regs *regs,
					  const char *name)
{
	unsigned int i;

	if (!regs) {
		stp_error(c, "cannot access CPU registers in this context",
			  NULL);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(stp_regnames); i++) {
		const struct stp_regname *r = &stp_regnames[i];
		unsigned long v;

		if (strcmp(r->name, name))
			continue;
		v = *(unsigned long *)((char *)regs + r->off);
		return r->bytes == 4 ? (int64_t)(int32_t)v : (int64_t)v;
	}
	stp_errorf(c, NULL, "Unknown register: %s", name);
	return 0;
}

/*
 * Argument n (1-based) at function entry: rdi rsi rdx rcx r8 r9, then the
 * stack above the return address.  In a user context that is a system
 * call entry (orig_ax >= 0, user mode), the fourth is in r10.
 */
static int64_t __maybe_unused stp_arg_get(struct stp_context *c, int n)
{
	struct pt_regs *r = c->regs;
	unsigned long v = 0;

	if (!r) {
		stp_error(c, "cannot access function args in this context",
			  NULL);
		return 0;
	}
	switch (n) {
	case 1: return r->di;
	case 2: return r->si;
	case 3: return r->dx;
	case 4: return user_mode(r) && (long)r->orig_ax >= 0 ? r->r10 : r->cx;
	case 5: return r->r8;
	case 6: return r->r9;
	}
	if (n < 1 || n > 64) {
		stp_errorf(c, NULL, "cannot access arg(%d)", n);
		return 0;
	}
	if (user_mode(r)) {
		if (copy_from_user_nofault(&v, (void __user *)(r->sp +
					   8 * (n - 6)), sizeof(v)))
			stp_errorf(c, NULL, "user read fault at 0x%lx",
				   r->sp + 8 * (n - 6));
	} else if (copy_from_kernel_nofault(&v, (void *)(r->sp + 8 * (n - 6)),
					    sizeof(v))) {
		stp_errorf(c, NULL, "kernel read fault at 0x%lx",
			   r->sp + 8 * (n - 6));
	}
	return v;
}

static void __maybe_unused stp_print_regs(struct stp_context *c,
					  struct pt_regs *r)
{
	char b[192];

	if (!r)
		return;
	scnprintf(b, sizeof(b), "RIP: %016lx\nRSP: %016lx  EFLAGS: %08lx\n",
		  r->ip, r->sp, r->flags);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "RAX: %016lx RBX: %016lx RCX: %016lx\n",
		  r->ax, r->bx, r->cx);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "RDX: %016lx RSI: %016lx RDI: %016lx\n",
		  r->dx, r->si, r->di);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "RBP: %016lx R08: %016lx R09: %016lx\n",
		  r->bp, r->r8, r->r9);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "R10: %016lx R11: %016lx R12: %016lx\n",
		  r->r10, r->r11, r->r12);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "R13: %016lx R14: %016lx R15: %016lx\n",
		  r->r13, r->r14, r->r15);
	stp_print_str(c, b);
	scnprintf(b, sizeof(b), "CS:  %04lx SS: %04lx ORIG_RAX: %016lx\n",
		  r->cs & 0xffff, r->ss & 0xffff, r->orig_ax);
	stp_print_str(c, b);
}

/* "name" of the function holding addr (kernel or module), "" if unknown;
 * mod gets "kernel" or the module's name */
static void __maybe_unused stp_symname(unsigned long addr, char *name,
				       size_t nsize, char *mod, size_t msize)
{
	char buf[KSYM_SYMBOL_LEN];
	char *sp, *end;

	if (name)
		name[0] = 0;
	if (mod)
		mod[0] = 0;
	if (!addr)
		return;
	sprint_symbol_no_offset(buf, addr);
	/* "name [module]", or the bare hex address when unknown */
	if (buf[0] == '0' && buf[1] == 'x') {
		if (name)
			strscpy(name, buf, nsize);
		return;
	}
	sp = strchr(buf, ' ');
	if (sp && sp[1] == '[' && (end = strchr(sp, ']'))) {
		*end = 0;
		if (mod)
			strscpy(mod, sp + 2, msize);
		*sp = 0;
	} else if (mod) {
		strscpy(mod, "kernel", msize);
	}
	if (name)
		strscpy(name, buf, nsize);
}

#endif /* STP_REGS_H */
