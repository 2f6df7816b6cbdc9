/* klplint model header <linux/fdtable.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FDTABLE_H
#define _KLPM_LINUX_FDTABLE_H

#include <linux/file.h>

struct files_struct;
extern struct file *files_lookup_fd_raw(struct files_struct *files, unsigned int fd);

#endif /* _KLPM_LINUX_FDTABLE_H */
