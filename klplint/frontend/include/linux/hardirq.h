/* klplint model header <linux/hardirq.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_HARDIRQ_H
#define _KLPM_LINUX_HARDIRQ_H

/* in_interrupt() and the other context tests are in <linux/preempt.h>. */
#include <linux/preempt.h>

extern void irq_enter(void);
extern void irq_exit(void);
extern void nmi_enter(void);
extern void nmi_exit(void);

#endif /* _KLPM_LINUX_HARDIRQ_H */
