/* klplint model header <linux/mutex.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MUTEX_H
#define _KLPM_LINUX_MUTEX_H

#include <linux/compiler.h>
#include <linux/cleanup.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>
#include <linux/atomic.h>
#include <asm/current.h>

struct mutex {
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	struct list_head wait_list;
};

#define __MUTEX_INITIALIZER(lockname) \
	{ .owner = ATOMIC_LONG_INIT(0), .wait_list = LIST_HEAD_INIT(lockname.wait_list) }
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

/* All operations are calls; mutex_lock and friends may sleep. */
extern void mutex_init(struct mutex *lock);
extern void mutex_destroy(struct mutex *lock);
extern void mutex_lock(struct mutex *lock);
extern void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
extern int __must_check mutex_lock_interruptible(struct mutex *lock);
extern int __must_check mutex_lock_killable(struct mutex *lock);
extern void mutex_lock_io(struct mutex *lock);
extern int mutex_trylock(struct mutex *lock);
extern void mutex_unlock(struct mutex *lock);
extern bool mutex_is_locked(struct mutex *lock);
extern int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock);

DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))

#endif /* _KLPM_LINUX_MUTEX_H */
