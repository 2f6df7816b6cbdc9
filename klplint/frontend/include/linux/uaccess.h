/* klplint model header <linux/uaccess.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_UACCESS_H
#define _KLPM_LINUX_UACCESS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/sched.h>

/* Copies return the number of bytes NOT copied (0 on success); may fault. */
extern unsigned long __must_check copy_from_user(void *to, const void __user *from, unsigned long n);
extern unsigned long __must_check copy_to_user(void __user *to, const void *from, unsigned long n);
extern unsigned long __must_check clear_user(void __user *to, unsigned long n);
extern long strncpy_from_user(char *dst, const char __user *src, long count);
extern long strnlen_user(const char __user *str, long n);
extern bool access_ok(const void __user *addr, unsigned long size);
extern long copy_from_kernel_nofault(void *dst, const void *src, size_t size);
extern long copy_to_kernel_nofault(void *dst, const void *src, size_t size);

/*
 * get_user(x, ptr) / put_user(x, ptr): macros onto same-named calls that
 * take the kernel-side address (get) or value (put) and the access size.
 */
extern int get_user(void *x, const void __user *ptr, unsigned long size);
extern int put_user(unsigned long x, void __user *ptr, unsigned long size);
#define get_user(x, ptr)        get_user(&(x), (ptr), sizeof(*(ptr)))
#define put_user(x, ptr)        put_user((unsigned long)(x), (ptr), sizeof(*(ptr)))
#define __get_user(x, ptr)      get_user(x, ptr)
#define __put_user(x, ptr)      put_user(x, ptr)

extern void pagefault_disable(void);
extern void pagefault_enable(void);

#endif /* _KLPM_LINUX_UACCESS_H */
