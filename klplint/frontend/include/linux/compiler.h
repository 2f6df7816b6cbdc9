/* klplint model header <linux/compiler.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_COMPILER_H
#define _KLPM_LINUX_COMPILER_H

#include <linux/compiler_types.h>

/* Branch hints carry no meaning for the analysis: plain truth values. */
#define likely(x)               (!!(x))
#define unlikely(x)             (!!(x))

/*
 * Marked accesses are modelled as the plain access, so the analyzer sees
 * an ordinary read or assignment of the same lvalue.
 */
#define READ_ONCE(x)            (x)
#define WRITE_ONCE(x, val)      ((x) = (val))
#define data_race(expr)         (expr)

/* Compiler barrier, and the unreachable marker, as calls. */
extern void barrier(void);
extern void __noreturn unreachable(void);

#define OPTIMIZER_HIDE_VAR(var) ((void)0)
#define RELOC_HIDE(ptr, off)    ((void *)((unsigned long)(ptr) + (off)))

#endif /* _KLPM_LINUX_COMPILER_H */
