/* klplint model header <linux/blkdev.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BLKDEV_H
#define _KLPM_LINUX_BLKDEV_H

#include <linux/fs.h>

struct block_device;
struct request_queue;
struct gendisk;
extern void blk_put_queue(struct request_queue *q);

#endif /* _KLPM_LINUX_BLKDEV_H */
