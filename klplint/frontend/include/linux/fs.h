/* klplint model header <linux/fs.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_FS_H
#define _KLPM_LINUX_FS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/stat.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/wait.h>

struct module;
struct file;
struct inode;
struct dentry;
struct poll_table_struct;
struct vm_area_struct;
struct kiocb;
struct iov_iter;
struct super_block;

struct path {
	void *mnt;
	struct dentry *dentry;
};

struct inode {
	umode_t i_mode;
	unsigned int i_flags;
	unsigned long i_ino;
	dev_t i_rdev;
	loff_t i_size;
	struct super_block *i_sb;
	void *i_private;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	unsigned int f_flags;
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count, loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count, loff_t *ppos);
	ssize_t (*read_iter)(struct kiocb *iocb, struct iov_iter *to);
	ssize_t (*write_iter)(struct kiocb *iocb, struct iov_iter *from);
	__poll_t (*poll)(struct file *file, struct poll_table_struct *wait);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	long (*compat_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*flush)(struct file *file, void *id);
	int (*release)(struct inode *inode, struct file *file);
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
};

#define FMODE_READ      ((fmode_t)0x1)
#define FMODE_WRITE     ((fmode_t)0x2)
#define O_RDONLY        00000000
#define O_WRONLY        00000001
#define O_RDWR          00000002
#define O_CREAT         00000100
#define O_TRUNC         00001000
#define O_APPEND        00002000
#define O_NONBLOCK      00004000
#define O_LARGEFILE     00100000
#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2

extern struct inode *file_inode(const struct file *f);
extern int nonseekable_open(struct inode *inode, struct file *filp);
extern int simple_open(struct inode *inode, struct file *file);
extern loff_t no_llseek(struct file *file, loff_t offset, int whence);
extern loff_t noop_llseek(struct file *file, loff_t offset, int whence);
extern loff_t default_llseek(struct file *file, loff_t offset, int whence);
extern loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
extern ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				       const void *from, size_t available);
extern ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
				      const void __user *from, size_t count);

extern int register_chrdev(unsigned int major, const char *name, const struct file_operations *fops);
extern void unregister_chrdev(unsigned int major, const char *name);
extern int alloc_chrdev_region(dev_t *dev, unsigned int baseminor, unsigned int count, const char *name);
extern void unregister_chrdev_region(dev_t from, unsigned int count);

extern struct file *filp_open(const char *filename, int flags, umode_t mode);
extern int filp_close(struct file *filp, void *id);
extern ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
extern ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
extern struct file *fget(unsigned int fd);
extern void fput(struct file *file);

#define MINORBITS       20
#define MINORMASK       ((1U << MINORBITS) - 1)
#define MAJOR(dev)      ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)      ((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)   (((ma) << MINORBITS) | (mi))

#endif /* _KLPM_LINUX_FS_H */
