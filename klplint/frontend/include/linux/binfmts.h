/* klplint model header <linux/binfmts.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BINFMTS_H
#define _KLPM_LINUX_BINFMTS_H

#include <linux/sched.h>
#include <linux/fs.h>

struct linux_binprm { struct mm_struct *mm; unsigned long p; struct file *file; const char *filename; };

#endif /* _KLPM_LINUX_BINFMTS_H */
