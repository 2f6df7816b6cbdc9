/* klplint model header <linux/memory.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MEMORY_H
#define _KLPM_LINUX_MEMORY_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/notifier.h>
#include <linux/mutex.h>

/* Memory hotplug notifications. */
#define MEM_ONLINE              (1 << 0)
#define MEM_GOING_OFFLINE       (1 << 1)
#define MEM_OFFLINE             (1 << 2)
#define MEM_GOING_ONLINE        (1 << 3)
#define MEM_CANCEL_ONLINE       (1 << 4)
#define MEM_CANCEL_OFFLINE      (1 << 5)

struct memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid_normal;
	int status_change_nid;
};

extern int register_memory_notifier(struct notifier_block *nb);
extern void unregister_memory_notifier(struct notifier_block *nb);

/* Text patching takes this mutex (memory.h in the kernel). */
extern struct mutex text_mutex;

#endif /* _KLPM_LINUX_MEMORY_H */
