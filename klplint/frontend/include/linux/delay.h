/* klplint model header <linux/delay.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_DELAY_H
#define _KLPM_LINUX_DELAY_H

#include <linux/types.h>

/* Sleeping waits (may schedule). */
extern void msleep(unsigned int msecs);
extern unsigned long msleep_interruptible(unsigned int msecs);
extern void ssleep(unsigned int seconds);
extern void usleep_range(unsigned long min, unsigned long max);
extern void usleep_range_state(unsigned long min, unsigned long max, unsigned int state);
extern void fsleep(unsigned long usecs);

/* Busy waits (do not schedule). */
extern void udelay(unsigned long usecs);
extern void ndelay(unsigned long nsecs);
extern void mdelay(unsigned long msecs);

#endif /* _KLPM_LINUX_DELAY_H */
