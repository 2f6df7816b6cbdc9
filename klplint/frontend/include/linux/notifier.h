/* klplint model header <linux/notifier.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NOTIFIER_H
#define _KLPM_LINUX_NOTIFIER_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>

struct notifier_block;

typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct atomic_notifier_head {
	spinlock_t lock;
	struct notifier_block *head;
};

struct blocking_notifier_head {
	struct rw_semaphore rwsem;
	struct notifier_block *head;
};

struct raw_notifier_head {
	struct notifier_block *head;
};

#define ATOMIC_NOTIFIER_HEAD(name) struct atomic_notifier_head name = { .head = NULL }
#define BLOCKING_NOTIFIER_HEAD(name) struct blocking_notifier_head name = { .head = NULL }
#define RAW_NOTIFIER_HEAD(name) struct raw_notifier_head name = { .head = NULL }

extern void ATOMIC_INIT_NOTIFIER_HEAD(struct atomic_notifier_head *nh);
extern void BLOCKING_INIT_NOTIFIER_HEAD(struct blocking_notifier_head *nh);
extern void RAW_INIT_NOTIFIER_HEAD(struct raw_notifier_head *nh);

extern int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *nb);
extern int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *nb);
extern int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v);
extern int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb);
extern int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *nb);
extern int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v);
extern int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *nb);
extern int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *nb);
extern int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v);

#define NOTIFY_DONE             0x0000
#define NOTIFY_OK               0x0001
#define NOTIFY_STOP_MASK        0x8000
#define NOTIFY_BAD              (NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP             (NOTIFY_OK | NOTIFY_STOP_MASK)

extern int notifier_from_errno(int err);
extern int notifier_to_errno(int ret);

/* Module load/unload notifications: action is an enum module_state, data the module. */
extern int register_module_notifier(struct notifier_block *nb);
extern int unregister_module_notifier(struct notifier_block *nb);

/* Panic and reboot chains. */
extern struct atomic_notifier_head panic_notifier_list;
extern int register_reboot_notifier(struct notifier_block *nb);
extern int unregister_reboot_notifier(struct notifier_block *nb);

#endif /* _KLPM_LINUX_NOTIFIER_H */
