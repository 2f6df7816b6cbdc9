/* klplint model header <linux/sort.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SORT_H
#define _KLPM_LINUX_SORT_H

#include <linux/types.h>

extern void sort(void *base, size_t num, size_t size, int (*cmp)(const void *, const void *), void (*swap)(void *, void *, int));

#endif /* _KLPM_LINUX_SORT_H */
