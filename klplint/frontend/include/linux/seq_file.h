/* klplint model header <linux/seq_file.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SEQ_FILE_H
#define _KLPM_LINUX_SEQ_FILE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/string.h>
#include <linux/stdarg.h>
#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/fs.h>

struct seq_operations;

struct seq_file {
	char *buf;
	size_t size;
	size_t from;
	size_t count;
	size_t pad_until;
	loff_t index;
	loff_t read_pos;
	struct mutex lock;
	const struct seq_operations *op;
	int poll_event;
	const struct file *file;
	void *private;
};

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

#define SEQ_START_TOKEN ((void *)1)

extern void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
extern void seq_vprintf(struct seq_file *m, const char *fmt, va_list args) __printf(2, 0);
extern void seq_puts(struct seq_file *m, const char *s);
extern void seq_putc(struct seq_file *m, char c);
extern void seq_write(struct seq_file *m, const void *data, size_t len);
extern void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num);
extern void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num);
extern void seq_put_hex_ll(struct seq_file *m, const char *delimiter, unsigned long long v, unsigned int width);
extern void seq_pad(struct seq_file *m, char c);
extern bool seq_has_overflowed(struct seq_file *m);

extern int seq_open(struct file *file, const struct seq_operations *op);
extern int seq_open_private(struct file *file, const struct seq_operations *op, int psize);
extern ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
extern ssize_t seq_read_iter(struct kiocb *iocb, struct iov_iter *iter);
extern loff_t seq_lseek(struct file *file, loff_t offset, int whence);
extern int seq_release(struct inode *inode, struct file *file);
extern int seq_release_private(struct inode *inode, struct file *file);
extern int single_open(struct file *file, int (*show)(struct seq_file *m, void *v), void *data);
extern int single_open_size(struct file *file, int (*show)(struct seq_file *m, void *v), void *data, size_t size);
extern int single_release(struct inode *inode, struct file *file);
extern struct list_head *seq_list_start(struct list_head *head, loff_t pos);
extern struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos);

/* file_operations for a single_open() show function NAME_show. */
#define DEFINE_SHOW_ATTRIBUTE(__name)                                         \
static int __name##_open(struct inode *inode, struct file *file)              \
{                                                                              \
	return single_open(file, __name##_show, inode->i_private);             \
}                                                                              \
static const struct file_operations __name##_fops = {                        \
	.owner = THIS_MODULE,                                                  \
	.open = __name##_open,                                                 \
	.read = seq_read,                                                      \
	.llseek = seq_lseek,                                                   \
	.release = single_release,                                             \
}

#endif /* _KLPM_LINUX_SEQ_FILE_H */
