/* klplint model header <asm/current.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_CURRENT_H
#define _KLPM_ASM_CURRENT_H

struct task_struct;

/* The running task, as a call. */
extern struct task_struct *get_current(void);
#define current get_current()

#endif /* _KLPM_ASM_CURRENT_H */
