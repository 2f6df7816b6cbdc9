/* klplint model header <linux/major.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MAJOR_H
#define _KLPM_LINUX_MAJOR_H

#define MEM_MAJOR       1
#define TTY_MAJOR       4
#define MISC_MAJOR      10

#endif /* _KLPM_LINUX_MAJOR_H */
