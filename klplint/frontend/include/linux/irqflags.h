/* klplint model header <linux/irqflags.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_IRQFLAGS_H
#define _KLPM_LINUX_IRQFLAGS_H

#include <linux/compiler.h>
#include <linux/types.h>

/* local_irq_save(flags) is a macro onto the same-named call taking &flags. */
extern void local_irq_disable(void);
extern void local_irq_enable(void);
extern void local_irq_save(unsigned long *flags);
extern void local_irq_restore(unsigned long flags);
extern int irqs_disabled(void);
extern int irqs_disabled_flags(unsigned long flags);

#define local_irq_save(flags)           local_irq_save(&(flags))
extern void local_save_flags(unsigned long *flags);
#define local_save_flags(flags)         local_save_flags(&(flags))

#endif /* _KLPM_LINUX_IRQFLAGS_H */
