/* klplint model header <linux/file.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FILE_H
#define _KLPM_LINUX_FILE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/fs.h>

struct fd {
	struct file *file;
	unsigned int flags;
};

/* fget() takes a reference that fput() drops. */
extern struct file *fget(unsigned int fd);
extern struct file *fget_raw(unsigned int fd);
extern void fput(struct file *file);
extern struct fd fdget(unsigned int fd);
extern void fdput(struct fd fd);
extern int get_unused_fd_flags(unsigned int flags);
extern void put_unused_fd(unsigned int fd);
extern void fd_install(unsigned int fd, struct file *file);
extern int close_fd(unsigned int fd);

#endif /* _KLPM_LINUX_FILE_H */
