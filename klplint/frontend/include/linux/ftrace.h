/* klplint model header <linux/ftrace.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FTRACE_H
#define _KLPM_LINUX_FTRACE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/kallsyms.h>
#include <asm/ptrace.h>

struct ftrace_ops;
struct ftrace_regs;

typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs);

struct ftrace_ops {
	ftrace_func_t func;
	struct ftrace_ops *next;
	unsigned long flags;
	void *private;
};

enum {
	FTRACE_OPS_FL_ENABLED                   = 1 << 0,
	FTRACE_OPS_FL_DYNAMIC                   = 1 << 1,
	FTRACE_OPS_FL_SAVE_REGS                 = 1 << 2,
	FTRACE_OPS_FL_SAVE_REGS_IF_SUPPORTED    = 1 << 3,
	FTRACE_OPS_FL_RECURSION                 = 1 << 4,
	FTRACE_OPS_FL_STUB                      = 1 << 5,
	FTRACE_OPS_FL_INITIALIZED               = 1 << 6,
	FTRACE_OPS_FL_DELETED                   = 1 << 7,
	FTRACE_OPS_FL_ADDING                    = 1 << 8,
	FTRACE_OPS_FL_REMOVING                  = 1 << 9,
	FTRACE_OPS_FL_MODIFYING                 = 1 << 10,
	FTRACE_OPS_FL_ALLOC_TRAMP               = 1 << 11,
	FTRACE_OPS_FL_IPMODIFY                  = 1 << 12,
	FTRACE_OPS_FL_PID                       = 1 << 13,
	FTRACE_OPS_FL_RCU                       = 1 << 14,
	FTRACE_OPS_FL_TRACE_ARRAY               = 1 << 15,
	FTRACE_OPS_FL_PERMANENT                 = 1 << 16,
	FTRACE_OPS_FL_DIRECT                    = 1 << 17
};

extern int register_ftrace_function(struct ftrace_ops *ops);
extern int unregister_ftrace_function(struct ftrace_ops *ops);
extern int ftrace_set_filter(struct ftrace_ops *ops, unsigned char *buf, int len, int reset);
extern int ftrace_set_notrace(struct ftrace_ops *ops, unsigned char *buf, int len, int reset);
extern int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, int remove, int reset);
extern struct pt_regs *ftrace_get_regs(struct ftrace_regs *fregs);
extern void ftrace_instruction_pointer_set(struct ftrace_regs *fregs, unsigned long ip);
extern unsigned long ftrace_location(unsigned long ip);
extern int ftrace_test_recursion_trylock(unsigned long ip, unsigned long parent_ip);
extern void ftrace_test_recursion_unlock(int bit);

#endif /* _KLPM_LINUX_FTRACE_H */
