/* klplint model header <linux/mempolicy.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MEMPOLICY_H
#define _KLPM_LINUX_MEMPOLICY_H

#include <linux/mm.h>

struct mempolicy;

#endif /* _KLPM_LINUX_MEMPOLICY_H */
