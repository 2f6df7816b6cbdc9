/* klplint model header <linux/swapops.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SWAPOPS_H
#define _KLPM_LINUX_SWAPOPS_H

#include <linux/mm.h>

typedef struct { unsigned long val; } swp_entry_t;

#endif /* _KLPM_LINUX_SWAPOPS_H */
