/* klplint model header <linux/err.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_ERR_H
#define _KLPM_LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>

/* Error pointers: the top MAX_ERRNO addresses encode -errno values. */
#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

extern void * __must_check ERR_PTR(long error);
extern long __must_check PTR_ERR(const void *ptr);
extern bool __must_check IS_ERR(const void *ptr);
extern bool __must_check IS_ERR_OR_NULL(const void *ptr);
extern void * __must_check ERR_CAST(const void *ptr);
extern int __must_check PTR_ERR_OR_ZERO(const void *ptr);

#endif /* _KLPM_LINUX_ERR_H */
