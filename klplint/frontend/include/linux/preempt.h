/* klplint model header <linux/preempt.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PREEMPT_H
#define _KLPM_LINUX_PREEMPT_H

#include <linux/compiler.h>
#include <linux/types.h>

extern void preempt_disable(void);
extern void preempt_enable(void);
extern void preempt_enable_no_resched(void);
extern void preempt_disable_notrace(void);
extern void preempt_enable_notrace(void);
extern int preempt_count(void);
extern int preemptible(void);
extern void migrate_disable(void);
extern void migrate_enable(void);

/* Execution context. */
extern int in_interrupt(void);
extern int in_irq(void);
extern int in_hardirq(void);
extern int in_softirq(void);
extern int in_serving_softirq(void);
extern int in_nmi(void);
extern int in_task(void);
extern int in_atomic(void);

#endif /* _KLPM_LINUX_PREEMPT_H */
