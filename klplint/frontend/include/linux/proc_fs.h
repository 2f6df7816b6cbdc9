/* klplint model header <linux/proc_fs.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PROC_FS_H
#define _KLPM_LINUX_PROC_FS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/fs.h>

struct proc_dir_entry;
struct seq_file;
struct seq_operations;

struct proc_ops {
	unsigned int proc_flags;
	int (*proc_open)(struct inode *inode, struct file *file);
	ssize_t (*proc_read)(struct file *file, char __user *buf, size_t count, loff_t *ppos);
	ssize_t (*proc_read_iter)(struct kiocb *iocb, struct iov_iter *iter);
	ssize_t (*proc_write)(struct file *file, const char __user *buf, size_t count, loff_t *ppos);
	loff_t (*proc_lseek)(struct file *file, loff_t offset, int whence);
	int (*proc_release)(struct inode *inode, struct file *file);
	__poll_t (*proc_poll)(struct file *file, struct poll_table_struct *wait);
	long (*proc_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*proc_mmap)(struct file *file, struct vm_area_struct *vma);
};

#define PROC_ENTRY_PERMANENT 1U

extern struct proc_dir_entry *proc_create(const char *name, umode_t mode,
					  struct proc_dir_entry *parent,
					  const struct proc_ops *proc_ops);
extern struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
					       struct proc_dir_entry *parent,
					       const struct proc_ops *proc_ops, void *data);
extern struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode,
						      struct proc_dir_entry *parent,
						      int (*show)(struct seq_file *m, void *v),
						      void *data);
extern struct proc_dir_entry *proc_create_seq_private(const char *name, umode_t mode,
						      struct proc_dir_entry *parent,
						      const struct seq_operations *ops,
						      unsigned int state_size, void *data);
#define proc_create_single(name, mode, parent, show) \
	proc_create_single_data(name, mode, parent, show, NULL)
#define proc_create_seq(name, mode, parent, ops) \
	proc_create_seq_private(name, mode, parent, ops, 0, NULL)
extern struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
extern struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent);
extern struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent, const char *dest);
extern void proc_remove(struct proc_dir_entry *de);
extern void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
extern int remove_proc_subtree(const char *name, struct proc_dir_entry *parent);
extern void proc_set_size(struct proc_dir_entry *de, loff_t size);
extern void *pde_data(const struct inode *inode);
#define PDE_DATA(inode) pde_data(inode)

#endif /* _KLPM_LINUX_PROC_FS_H */
