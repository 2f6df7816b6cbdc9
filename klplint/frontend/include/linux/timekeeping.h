/* klplint model header <linux/timekeeping.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_TIMEKEEPING_H
#define _KLPM_LINUX_TIMEKEEPING_H

#include <linux/ktime.h>

#endif /* _KLPM_LINUX_TIMEKEEPING_H */
