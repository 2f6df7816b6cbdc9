/* klplint model header <linux/spinlock.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SPINLOCK_H
#define _KLPM_LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/cleanup.h>
#include <linux/types.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/bottom_half.h>

typedef struct raw_spinlock {
	int locked;
} raw_spinlock_t;

typedef struct spinlock {
	raw_spinlock_t rlock;
} spinlock_t;

typedef struct rwlock {
	int count;
} rwlock_t;

#define __RAW_SPIN_LOCK_UNLOCKED(name)  { .locked = 0 }
#define __SPIN_LOCK_UNLOCKED(name)      { .rlock = __RAW_SPIN_LOCK_UNLOCKED(name) }
#define __RW_LOCK_UNLOCKED(name)        { .count = 0 }
#define DEFINE_RAW_SPINLOCK(name)       raw_spinlock_t name = __RAW_SPIN_LOCK_UNLOCKED(name)
#define DEFINE_SPINLOCK(name)           spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define DEFINE_RWLOCK(name)             rwlock_t name = __RW_LOCK_UNLOCKED(name)

/*
 * Every lock operation is a call named as the API.  The *_irqsave forms
 * are macros onto the function of the same name that takes &flags (so the
 * analyzer sees where flags are written); *_irqrestore take flags.
 */
extern void spin_lock_init(spinlock_t *lock);
extern void spin_lock(spinlock_t *lock);
extern void spin_unlock(spinlock_t *lock);
extern void spin_lock_nested(spinlock_t *lock, int subclass);
extern void spin_lock_irq(spinlock_t *lock);
extern void spin_unlock_irq(spinlock_t *lock);
extern void spin_lock_bh(spinlock_t *lock);
extern void spin_unlock_bh(spinlock_t *lock);
extern void spin_lock_irqsave(spinlock_t *lock, unsigned long *flags);
extern void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
extern int spin_trylock(spinlock_t *lock);
extern int spin_trylock_bh(spinlock_t *lock);
extern int spin_trylock_irq(spinlock_t *lock);
extern int spin_trylock_irqsave(spinlock_t *lock, unsigned long *flags);
extern int spin_is_locked(spinlock_t *lock);
extern int spin_is_contended(spinlock_t *lock);
extern void assert_spin_locked(spinlock_t *lock);
#define spin_lock_irqsave(lock, flags)          spin_lock_irqsave((lock), &(flags))
#define spin_lock_irqsave_nested(lock, flags, subclass) spin_lock_irqsave((lock), &(flags))
#define spin_trylock_irqsave(lock, flags)       spin_trylock_irqsave((lock), &(flags))

extern void raw_spin_lock_init(raw_spinlock_t *lock);
extern void raw_spin_lock(raw_spinlock_t *lock);
extern void raw_spin_unlock(raw_spinlock_t *lock);
extern void raw_spin_lock_irq(raw_spinlock_t *lock);
extern void raw_spin_unlock_irq(raw_spinlock_t *lock);
extern void raw_spin_lock_bh(raw_spinlock_t *lock);
extern void raw_spin_unlock_bh(raw_spinlock_t *lock);
extern void raw_spin_lock_irqsave(raw_spinlock_t *lock, unsigned long *flags);
extern void raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags);
extern int raw_spin_trylock(raw_spinlock_t *lock);
extern int raw_spin_is_locked(raw_spinlock_t *lock);
#define raw_spin_lock_irqsave(lock, flags)      raw_spin_lock_irqsave((lock), &(flags))

extern void rwlock_init(rwlock_t *lock);
extern void read_lock(rwlock_t *lock);
extern void read_unlock(rwlock_t *lock);
extern void write_lock(rwlock_t *lock);
extern void write_unlock(rwlock_t *lock);
extern void read_lock_irq(rwlock_t *lock);
extern void read_unlock_irq(rwlock_t *lock);
extern void write_lock_irq(rwlock_t *lock);
extern void write_unlock_irq(rwlock_t *lock);
extern void read_lock_bh(rwlock_t *lock);
extern void read_unlock_bh(rwlock_t *lock);
extern void write_lock_bh(rwlock_t *lock);
extern void write_unlock_bh(rwlock_t *lock);
extern void read_lock_irqsave(rwlock_t *lock, unsigned long *flags);
extern void read_unlock_irqrestore(rwlock_t *lock, unsigned long flags);
extern void write_lock_irqsave(rwlock_t *lock, unsigned long *flags);
extern void write_unlock_irqrestore(rwlock_t *lock, unsigned long flags);
extern int read_trylock(rwlock_t *lock);
extern int write_trylock(rwlock_t *lock);
#define read_lock_irqsave(lock, flags)          read_lock_irqsave((lock), &(flags))
#define write_lock_irqsave(lock, flags)         write_lock_irqsave((lock), &(flags))

/* Decrement and take the lock if the count reached zero. */
extern int atomic_dec_and_lock(atomic_t *atomic, spinlock_t *lock);

DEFINE_GUARD(spinlock, spinlock_t *, spin_lock(_T), spin_unlock(_T))

#endif /* _KLPM_LINUX_SPINLOCK_H */
