/* klplint model header <linux/rcupdate.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RCUPDATE_H
#define _KLPM_LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>

/* struct rcu_head (callback_head) and rcu_callback_t are in <linux/types.h>. */

extern void rcu_read_lock(void);
extern void rcu_read_unlock(void);
extern void rcu_read_lock_bh(void);
extern void rcu_read_unlock_bh(void);
extern void rcu_read_lock_sched(void);
extern void rcu_read_unlock_sched(void);
extern int rcu_read_lock_held(void);
extern int rcu_read_lock_bh_held(void);
extern int rcu_read_lock_sched_held(void);
extern void synchronize_rcu(void);
extern void synchronize_rcu_expedited(void);
extern void synchronize_rcu_tasks(void);
extern void synchronize_rcu_tasks_rude(void);
extern void synchronize_rcu_tasks_trace(void);
extern void call_rcu(struct rcu_head *head, rcu_callback_t func);
extern void call_rcu_tasks(struct rcu_head *head, rcu_callback_t func);
extern void rcu_barrier(void);
extern void rcu_barrier_tasks(void);

/*
 * Pointer publication and reads are plain accesses of the same lvalue;
 * lockdep conditions are not evaluated.
 */
#define rcu_dereference(p)                      (p)
#define rcu_dereference_bh(p)                   (p)
#define rcu_dereference_sched(p)                (p)
#define rcu_dereference_raw(p)                  (p)
#define rcu_dereference_check(p, c)             (p)
#define rcu_dereference_protected(p, c)         (p)
#define rcu_dereference_bh_check(p, c)          (p)
#define rcu_dereference_sched_check(p, c)       (p)
#define rcu_access_pointer(p)                   (p)
#define rcu_assign_pointer(p, v)                ((p) = (v))
#define RCU_INIT_POINTER(p, v)                  ((p) = (v))
/* a statement expression, as in the kernel: the caller gets the old value, the pointer the new one */
#define rcu_replace_pointer(rcu_ptr, ptr, c)    ({ __auto_type __klpm_old = (rcu_ptr); \
						   (rcu_ptr) = (ptr); __klpm_old; })
#define RCU_INITIALIZER(v)                      (v)
#define rcu_pointer_handoff(p)                  (p)

/*
 * kfree_rcu(ptr, field) keeps its name: a macro onto the function of the
 * same name taking the object and its rcu_head.  The one-argument form
 * (kfree_rcu_mightsleep) is a separate call.
 */
extern void kfree_rcu(const void *ptr, struct rcu_head *head);
#define kfree_rcu(ptr, rhf)     kfree_rcu((ptr), &(ptr)->rhf)
extern void kvfree_rcu_mightsleep(const void *ptr);
extern void kfree_rcu_mightsleep(const void *ptr);

#endif /* _KLPM_LINUX_RCUPDATE_H */
