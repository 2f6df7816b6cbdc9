/* klplint model header <linux/workqueue.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_WORKQUEUE_H
#define _KLPM_LINUX_WORKQUEUE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/container_of.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/bitops.h>
#include <linux/lockdep.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/rcupdate.h>

struct work_struct;
struct workqueue_struct;

typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	atomic_long_t data;
	struct list_head entry;
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
	int cpu;
};

struct rcu_work {
	struct work_struct work;
	struct rcu_head rcu;
	struct workqueue_struct *wq;
};

#define __WORK_INITIALIZER(n, f) \
	{ .data = ATOMIC_LONG_INIT(0), .entry = LIST_HEAD_INIT((n).entry), .func = (f) }
#define __DELAYED_WORK_INITIALIZER(n, f, tflags) \
	{ .work = __WORK_INITIALIZER((n).work, (f)), .timer = __TIMER_INITIALIZER(NULL, (tflags)) }

#define DECLARE_WORK(n, f)              struct work_struct n = __WORK_INITIALIZER(n, f)
#define DECLARE_DELAYED_WORK(n, f)      struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)
#define DECLARE_DEFERRABLE_WORK(n, f)   struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, TIMER_DEFERRABLE)

/* Initialisation is a call named as the API; the work is passed by address. */
extern void INIT_WORK(struct work_struct *work, work_func_t func);
extern void INIT_WORK_ONSTACK(struct work_struct *work, work_func_t func);
extern void INIT_DELAYED_WORK(struct delayed_work *dwork, work_func_t func);
extern void INIT_DEFERRABLE_WORK(struct delayed_work *dwork, work_func_t func);
extern void INIT_RCU_WORK(struct rcu_work *rwork, work_func_t func);
extern void destroy_work_on_stack(struct work_struct *work);

#define to_delayed_work(_work)  container_of(_work, struct delayed_work, work)
#define to_rcu_work(_work)      container_of(_work, struct rcu_work, work)

/* Workqueue flags. */
enum {
	WQ_UNBOUND              = 1 << 1,
	WQ_FREEZABLE            = 1 << 2,
	WQ_MEM_RECLAIM          = 1 << 3,
	WQ_HIGHPRI              = 1 << 4,
	WQ_CPU_INTENSIVE        = 1 << 5,
	WQ_SYSFS                = 1 << 6,
	WQ_POWER_EFFICIENT      = 1 << 7,
	__WQ_ORDERED            = 1 << 17,
	WQ_MAX_ACTIVE           = 512,
	WQ_DFL_ACTIVE           = WQ_MAX_ACTIVE / 2
};

extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_highpri_wq;
extern struct workqueue_struct *system_long_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_freezable_wq;
extern struct workqueue_struct *system_power_efficient_wq;

extern struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
						int max_active, ...) __printf(1, 4);
#define alloc_ordered_workqueue(fmt, flags, ...) \
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, ##__VA_ARGS__)
#define create_workqueue(name) \
	alloc_workqueue("%s", WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name) \
	alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, (name))
extern void destroy_workqueue(struct workqueue_struct *wq);
extern void flush_workqueue(struct workqueue_struct *wq);
extern void drain_workqueue(struct workqueue_struct *wq);

/* Queueing (bool: false if it was already pending). */
extern bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
extern bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
extern bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay);
extern bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay);
extern bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay);
extern bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rwork);
extern bool schedule_work(struct work_struct *work);
extern bool schedule_work_on(int cpu, struct work_struct *work);
extern bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
extern bool schedule_delayed_work_on(int cpu, struct delayed_work *dwork, unsigned long delay);

/* Flushing and cancelling (the *_sync forms wait and may sleep). */
extern void flush_scheduled_work(void);
extern bool flush_work(struct work_struct *work);
extern bool flush_delayed_work(struct delayed_work *dwork);
extern bool flush_rcu_work(struct rcu_work *rwork);
extern bool cancel_work(struct work_struct *work);
extern bool cancel_work_sync(struct work_struct *work);
extern bool cancel_delayed_work(struct delayed_work *dwork);
extern bool cancel_delayed_work_sync(struct delayed_work *dwork);
extern bool work_pending(const struct work_struct *work);
extern bool delayed_work_pending(const struct delayed_work *dwork);
extern bool current_is_workqueue_rescuer(void);
extern struct work_struct *current_work(void);

#endif /* _KLPM_LINUX_WORKQUEUE_H */
