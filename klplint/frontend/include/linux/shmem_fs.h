/* klplint model header <linux/shmem_fs.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SHMEM_FS_H
#define _KLPM_LINUX_SHMEM_FS_H

#include <linux/fs.h>
#include <linux/mm.h>

extern struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags);

#endif /* _KLPM_LINUX_SHMEM_FS_H */
