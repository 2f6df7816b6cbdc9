/* klplint model header <asm/barrier.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_BARRIER_H
#define _KLPM_ASM_BARRIER_H

#include <linux/compiler.h>

/* Memory barriers are calls; acquire/release accesses are plain accesses. */
extern void mb(void);
extern void rmb(void);
extern void wmb(void);
extern void smp_mb(void);
extern void smp_rmb(void);
extern void smp_wmb(void);
extern void smp_mb__before_atomic(void);
extern void smp_mb__after_atomic(void);
#define smp_store_release(p, v)         (*(p) = (v))
#define smp_load_acquire(p)             (*(p))
#define smp_store_mb(var, value)        ((var) = (value))

#endif /* _KLPM_ASM_BARRIER_H */
