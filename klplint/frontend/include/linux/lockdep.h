/* klplint model header <linux/lockdep.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_LOCKDEP_H
#define _KLPM_LINUX_LOCKDEP_H

#include <linux/compiler.h>
#include <linux/types.h>

struct lock_class_key {
	int __klpm_unused;
};

/* Lock assertions take a pointer to any lock type. */
extern void lockdep_assert_held(const void *lock);
extern void lockdep_assert_not_held(const void *lock);
extern void lockdep_assert_held_write(const void *lock);
extern void lockdep_assert_held_read(const void *lock);
extern int lockdep_is_held(const void *lock);
extern void lockdep_assert_irqs_enabled(void);
extern void lockdep_assert_irqs_disabled(void);
extern void lockdep_assert_preemption_disabled(void);
extern void lockdep_assert_cpus_held(void);
#define lockdep_set_class(lock, key)    ((void)(lock))
#define lockdep_set_novalidate_class(lock) ((void)(lock))
#define SINGLE_DEPTH_NESTING 1

#endif /* _KLPM_LINUX_LOCKDEP_H */
