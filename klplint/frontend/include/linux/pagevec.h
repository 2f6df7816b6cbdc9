/* klplint model header <linux/pagevec.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PAGEVEC_H
#define _KLPM_LINUX_PAGEVEC_H

#include <linux/mm.h>



#endif /* _KLPM_LINUX_PAGEVEC_H */
