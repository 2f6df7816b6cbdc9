/* klplint model header <linux/spinlock_types.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SPINLOCK_TYPES_H
#define _KLPM_LINUX_SPINLOCK_TYPES_H

/* The lock types live with their operations. */
#include <linux/spinlock.h>

#endif /* _KLPM_LINUX_SPINLOCK_TYPES_H */
