/* klplint model header <linux/poll.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_POLL_H
#define _KLPM_LINUX_POLL_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/wait.h>

#define POLLIN 0x0001
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define EPOLLIN 0x00000001
#define EPOLLOUT 0x00000004
struct poll_table_struct;
typedef struct poll_table_struct poll_table;
extern void poll_wait(struct file *filp, wait_queue_head_t *wait_address, poll_table *p);

#endif /* _KLPM_LINUX_POLL_H */
