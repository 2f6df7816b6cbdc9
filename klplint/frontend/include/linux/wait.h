/* klplint model header <linux/wait.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_WAIT_H
#define _KLPM_LINUX_WAIT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <asm/current.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key);

struct wait_queue_entry {
	unsigned int flags;
	void *private;
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

extern void init_waitqueue_head(struct wait_queue_head *wq_head);
extern int waitqueue_active(struct wait_queue_head *wq_head);
extern bool wq_has_sleeper(struct wait_queue_head *wq_head);
extern void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
extern void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

/* Wake-ups are calls taking the queue by address. */
extern void wake_up(struct wait_queue_head *wq_head);
extern void wake_up_all(struct wait_queue_head *wq_head);
extern void wake_up_interruptible(struct wait_queue_head *wq_head);
extern void wake_up_interruptible_all(struct wait_queue_head *wq_head);

/*
 * wait_event*(wq, condition): macros onto the same-named call taking &wq
 * and the condition's value.  (The kernel re-evaluates the condition in a
 * loop; the model shows one sleeping call that depends on it.)
 */
extern void wait_event(struct wait_queue_head *wq_head, int condition);
extern int wait_event_interruptible(struct wait_queue_head *wq_head, int condition);
extern int wait_event_killable(struct wait_queue_head *wq_head, int condition);
extern long wait_event_timeout(struct wait_queue_head *wq_head, int condition, long timeout);
extern long wait_event_interruptible_timeout(struct wait_queue_head *wq_head, int condition, long timeout);
extern void wait_event_idle(struct wait_queue_head *wq_head, int condition);
#define wait_event(wq_head, condition) \
	wait_event(&(wq_head), !!(condition))
#define wait_event_interruptible(wq_head, condition) \
	wait_event_interruptible(&(wq_head), !!(condition))
#define wait_event_killable(wq_head, condition) \
	wait_event_killable(&(wq_head), !!(condition))
#define wait_event_timeout(wq_head, condition, timeout) \
	wait_event_timeout(&(wq_head), !!(condition), (timeout))
#define wait_event_interruptible_timeout(wq_head, condition, timeout) \
	wait_event_interruptible_timeout(&(wq_head), !!(condition), (timeout))
#define wait_event_idle(wq_head, condition) \
	wait_event_idle(&(wq_head), !!(condition))

#endif /* _KLPM_LINUX_WAIT_H */
