/* klplint model header <linux/stdarg.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_STDARG_H
#define _KLPM_LINUX_STDARG_H

/*
 * The only place of the bundle that names compiler builtins.  A front end
 * that reads plain C only (no __builtin_*) defines __KLPLINT_PURE_C__ and
 * gets an equivalent model built from ordinary declarations instead.
 */
#ifdef __KLPLINT_PURE_C__
typedef char *va_list;
extern void *__klpm_va_arg(va_list *ap, unsigned long size);
#define va_start(ap, last)      ((void)((ap) = (va_list)&(last)))
#define va_end(ap)              ((void)(ap))
#define va_copy(dst, src)       ((void)((dst) = (src)))
#define va_arg(ap, type)        (*(type *)__klpm_va_arg(&(ap), sizeof(type)))
#else
typedef __builtin_va_list va_list;
#define va_start(ap, last)      __builtin_va_start(ap, last)
#define va_end(ap)              __builtin_va_end(ap)
#define va_copy(dst, src)       __builtin_va_copy(dst, src)
#define va_arg(ap, type)        __builtin_va_arg(ap, type)
#endif

#endif /* _KLPM_LINUX_STDARG_H */
