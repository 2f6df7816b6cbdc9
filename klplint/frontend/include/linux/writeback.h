/* klplint model header <linux/writeback.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_WRITEBACK_H
#define _KLPM_LINUX_WRITEBACK_H

#include <linux/fs.h>

struct writeback_control { long nr_to_write; int sync_mode; };

#endif /* _KLPM_LINUX_WRITEBACK_H */
