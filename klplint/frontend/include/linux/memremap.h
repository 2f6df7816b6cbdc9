/* klplint model header <linux/memremap.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MEMREMAP_H
#define _KLPM_LINUX_MEMREMAP_H

#include <linux/mm.h>



#endif /* _KLPM_LINUX_MEMREMAP_H */
