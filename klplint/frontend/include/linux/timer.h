/* klplint model header <linux/timer.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_TIMER_H
#define _KLPM_LINUX_TIMER_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/container_of.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *timer);
	u32 flags;
};

#define TIMER_DEFERRABLE        0x00080000
#define TIMER_PINNED            0x00100000
#define TIMER_IRQSAFE           0x00200000

#define __TIMER_INITIALIZER(_function, _flags) \
	{ .entry = { .next = NULL, .pprev = NULL }, .function = (_function), .flags = (_flags) }
#define DEFINE_TIMER(_name, _function) \
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

/* Timer operations are calls; del_timer_sync may sleep-wait for the handler. */
extern void timer_setup(struct timer_list *timer,
			void (*callback)(struct timer_list *timer),
			unsigned int flags);
extern void add_timer(struct timer_list *timer);
extern void add_timer_on(struct timer_list *timer, int cpu);
extern int mod_timer(struct timer_list *timer, unsigned long expires);
extern int mod_timer_pending(struct timer_list *timer, unsigned long expires);
extern int timer_reduce(struct timer_list *timer, unsigned long expires);
extern int del_timer(struct timer_list *timer);
extern int del_timer_sync(struct timer_list *timer);
extern int timer_delete(struct timer_list *timer);
extern int timer_delete_sync(struct timer_list *timer);
extern int timer_shutdown_sync(struct timer_list *timer);
extern int timer_pending(const struct timer_list *timer);

/* The structure embedding TIMER, typed by the variable VAR (not evaluated). */
#define from_timer(var, callback_timer, timer_fieldname) \
	__klpm_container_of_ptr(callback_timer, var, timer_fieldname)

#endif /* _KLPM_LINUX_TIMER_H */
