/* klplint model header <asm/ptrace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_PTRACE_H
#define _KLPM_ASM_PTRACE_H

#include <linux/types.h>

/* Saved registers (x86_64 names, in the ABI order). */
struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

extern unsigned long regs_return_value(struct pt_regs *regs);
extern unsigned long instruction_pointer(struct pt_regs *regs);
extern void instruction_pointer_set(struct pt_regs *regs, unsigned long val);
extern unsigned long kernel_stack_pointer(struct pt_regs *regs);
extern unsigned long user_stack_pointer(struct pt_regs *regs);
extern unsigned long regs_get_kernel_argument(struct pt_regs *regs, unsigned int n);
extern unsigned long regs_get_register(struct pt_regs *regs, unsigned int offset);
extern int user_mode(struct pt_regs *regs);

#endif /* _KLPM_ASM_PTRACE_H */
