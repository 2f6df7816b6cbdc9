/* klplint model header <linux/kprobes.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KPROBES_H
#define _KLPM_LINUX_KPROBES_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/smp.h>
#include <linux/percpu.h>
#include <asm/ptrace.h>

typedef u8 kprobe_opcode_t;

struct kprobe;
struct kretprobe;
struct kretprobe_instance;

typedef int (*kprobe_pre_handler_t)(struct kprobe *p, struct pt_regs *regs);
typedef void (*kprobe_post_handler_t)(struct kprobe *p, struct pt_regs *regs, unsigned long flags);
typedef int (*kretprobe_handler_t)(struct kretprobe_instance *ri, struct pt_regs *regs);

struct kprobe {
	struct hlist_node hlist;
	struct list_head list;
	unsigned long nmissed;
	kprobe_opcode_t *addr;
	const char *symbol_name;
	unsigned int offset;
	kprobe_pre_handler_t pre_handler;
	kprobe_post_handler_t post_handler;
	kprobe_opcode_t opcode;
	u32 flags;
};

#define KPROBE_FLAG_GONE        1
#define KPROBE_FLAG_DISABLED    2
#define KPROBE_FLAG_OPTIMIZED   4
#define KPROBE_FLAG_FTRACE      8

struct kretprobe {
	struct kprobe kp;
	kretprobe_handler_t handler;
	kretprobe_handler_t entry_handler;
	int maxactive;
	int nmissed;
	size_t data_size;
};

struct kretprobe_instance {
	struct kretprobe *rp;
	void *ret_addr;
	void *fp;
	char data[];
};

extern int register_kprobe(struct kprobe *p);
extern void unregister_kprobe(struct kprobe *p);
extern int register_kprobes(struct kprobe **kps, int num);
extern void unregister_kprobes(struct kprobe **kps, int num);
extern int register_kretprobe(struct kretprobe *rp);
extern void unregister_kretprobe(struct kretprobe *rp);
extern int register_kretprobes(struct kretprobe **rps, int num);
extern void unregister_kretprobes(struct kretprobe **rps, int num);
extern int disable_kprobe(struct kprobe *kp);
extern int enable_kprobe(struct kprobe *kp);
extern int disable_kretprobe(struct kretprobe *rp);
extern int enable_kretprobe(struct kretprobe *rp);
extern struct kprobe *get_kprobe(void *addr);
extern unsigned long kretprobe_trampoline_addr(void);
extern struct kprobe *kprobe_running(void);
extern void kprobe_flush_task(struct task_struct *tk);

/* Functions that must never be probed. */
#define NOKPROBE_SYMBOL(fname) extern int __klpm_nokprobe_##fname

#endif /* _KLPM_LINUX_KPROBES_H */
