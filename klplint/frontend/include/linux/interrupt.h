/* klplint model header <linux/interrupt.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_INTERRUPT_H
#define _KLPM_LINUX_INTERRUPT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/bottom_half.h>

typedef int irqreturn_t;
#define IRQ_NONE                0
#define IRQ_HANDLED             1
#define IRQ_WAKE_THREAD         2
#define IRQ_RETVAL(x)           ((x) ? IRQ_HANDLED : IRQ_NONE)

#define IRQF_SHARED             0x00000080
#define IRQF_ONESHOT            0x00002000
#define IRQF_NO_SUSPEND         0x00004000
#define IRQF_TRIGGER_RISING     0x00000001
#define IRQF_TRIGGER_FALLING    0x00000002

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

extern int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		       const char *name, void *dev);
extern int request_threaded_irq(unsigned int irq, irq_handler_t handler,
				irq_handler_t thread_fn, unsigned long flags,
				const char *name, void *dev);
extern const void *free_irq(unsigned int irq, void *dev_id);
extern void disable_irq(unsigned int irq);
extern void disable_irq_nosync(unsigned int irq);
extern void enable_irq(unsigned int irq);
extern void synchronize_irq(unsigned int irq);

struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;
	atomic_t count;
	bool use_callback;
	void (*callback)(struct tasklet_struct *t);
	void (*func)(unsigned long data);
	unsigned long data;
};

#define DECLARE_TASKLET(name, _callback) \
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), .use_callback = true, .callback = (_callback) }
#define DECLARE_TASKLET_DISABLED(name, _callback) \
	struct tasklet_struct name = { .count = ATOMIC_INIT(1), .use_callback = true, .callback = (_callback) }

extern void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
extern void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
extern void tasklet_schedule(struct tasklet_struct *t);
extern void tasklet_hi_schedule(struct tasklet_struct *t);
extern void tasklet_kill(struct tasklet_struct *t);
extern void tasklet_disable(struct tasklet_struct *t);
extern void tasklet_enable(struct tasklet_struct *t);
#define from_tasklet(var, callback_tasklet, tasklet_fieldname) \
	__klpm_container_of_ptr(callback_tasklet, var, tasklet_fieldname)

#endif /* _KLPM_LINUX_INTERRUPT_H */
