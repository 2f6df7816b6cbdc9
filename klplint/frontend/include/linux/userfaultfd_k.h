/* klplint model header <linux/userfaultfd_k.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_USERFAULTFD_K_H
#define _KLPM_LINUX_USERFAULTFD_K_H

#include <linux/mm.h>



#endif /* _KLPM_LINUX_USERFAULTFD_K_H */
