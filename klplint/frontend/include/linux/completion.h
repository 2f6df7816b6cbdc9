/* klplint model header <linux/completion.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_COMPLETION_H
#define _KLPM_LINUX_COMPLETION_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/wait.h>

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ .done = 0, .wait = __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work) struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work) DECLARE_COMPLETION(work)

extern void init_completion(struct completion *x);
extern void reinit_completion(struct completion *x);
extern void complete(struct completion *x);
extern void complete_all(struct completion *x);
extern void wait_for_completion(struct completion *x);
extern void wait_for_completion_io(struct completion *x);
extern int __must_check wait_for_completion_interruptible(struct completion *x);
extern int __must_check wait_for_completion_killable(struct completion *x);
extern unsigned long __must_check wait_for_completion_timeout(struct completion *x, unsigned long timeout);
extern long __must_check wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout);
extern long __must_check wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout);
extern bool try_wait_for_completion(struct completion *x);
extern bool completion_done(struct completion *x);

#endif /* _KLPM_LINUX_COMPLETION_H */
