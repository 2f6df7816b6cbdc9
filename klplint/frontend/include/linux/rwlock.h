/* klplint model header <linux/rwlock.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RWLOCK_H
#define _KLPM_LINUX_RWLOCK_H

/* rwlock_t and its operations live with the spinlocks. */
#include <linux/spinlock.h>

#endif /* _KLPM_LINUX_RWLOCK_H */
