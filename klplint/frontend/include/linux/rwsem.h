/* klplint model header <linux/rwsem.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RWSEM_H
#define _KLPM_LINUX_RWSEM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>

struct rw_semaphore {
	atomic_long_t count;
	atomic_long_t owner;
	raw_spinlock_t wait_lock;
	struct list_head wait_list;
};

#define __RWSEM_INITIALIZER(name) \
	{ .count = ATOMIC_LONG_INIT(0), .wait_list = LIST_HEAD_INIT((name).wait_list) }
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

extern void init_rwsem(struct rw_semaphore *sem);
extern void down_read(struct rw_semaphore *sem);
extern int __must_check down_read_interruptible(struct rw_semaphore *sem);
extern int __must_check down_read_killable(struct rw_semaphore *sem);
extern int down_read_trylock(struct rw_semaphore *sem);
extern void up_read(struct rw_semaphore *sem);
extern void down_write(struct rw_semaphore *sem);
extern int __must_check down_write_killable(struct rw_semaphore *sem);
extern int down_write_trylock(struct rw_semaphore *sem);
extern void up_write(struct rw_semaphore *sem);
extern void downgrade_write(struct rw_semaphore *sem);
extern int rwsem_is_locked(struct rw_semaphore *sem);

#endif /* _KLPM_LINUX_RWSEM_H */
