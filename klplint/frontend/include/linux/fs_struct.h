/* klplint model header <linux/fs_struct.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FS_STRUCT_H
#define _KLPM_LINUX_FS_STRUCT_H

#include <linux/fs.h>
#include <linux/spinlock.h>

struct fs_struct { int users; spinlock_t lock; int umask; };

#endif /* _KLPM_LINUX_FS_STRUCT_H */
