/* klplint model header <linux/nospec.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NOSPEC_H
#define _KLPM_LINUX_NOSPEC_H

#include <linux/types.h>

#define array_index_nospec(index, size) (index)

#endif /* _KLPM_LINUX_NOSPEC_H */
