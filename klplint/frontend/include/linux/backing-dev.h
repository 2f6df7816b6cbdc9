/* klplint model header <linux/backing-dev.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BACKING_DEV_H
#define _KLPM_LINUX_BACKING_DEV_H

#include <linux/fs.h>
#include <linux/writeback.h>

struct backing_dev_info;

#endif /* _KLPM_LINUX_BACKING_DEV_H */
