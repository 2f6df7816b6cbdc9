/* klplint model header <linux/migrate.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MIGRATE_H
#define _KLPM_LINUX_MIGRATE_H

#include <linux/mm.h>

extern int migrate_pages(struct list_head *l, void *new, void *free, unsigned long private, int mode, int reason, unsigned int *ret);

#endif /* _KLPM_LINUX_MIGRATE_H */
