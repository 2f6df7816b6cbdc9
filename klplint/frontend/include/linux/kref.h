/* klplint model header <linux/kref.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KREF_H
#define _KLPM_LINUX_KREF_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/refcount.h>

struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n)    { .refcount = REFCOUNT_INIT(n) }

extern void kref_init(struct kref *kref);
extern unsigned int kref_read(const struct kref *kref);
extern void kref_get(struct kref *kref);
/* Returns 1 when the last reference was dropped and release() was called. */
extern int kref_put(struct kref *kref, void (*release)(struct kref *kref));
extern int __must_check kref_get_unless_zero(struct kref *kref);

#endif /* _KLPM_LINUX_KREF_H */
