/* klplint model header <linux/fsnotify.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FSNOTIFY_H
#define _KLPM_LINUX_FSNOTIFY_H

#include <linux/fs.h>

extern void fsnotify_modify(struct file *file);

#endif /* _KLPM_LINUX_FSNOTIFY_H */
