/* klplint model header <linux/debugfs.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_DEBUGFS_H
#define _KLPM_LINUX_DEBUGFS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

struct dentry;

extern struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
extern struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
					  void *data, const struct file_operations *fops);
extern struct dentry *debugfs_create_file_unsafe(const char *name, umode_t mode, struct dentry *parent,
						 void *data, const struct file_operations *fops);
extern struct dentry *debugfs_create_symlink(const char *name, struct dentry *parent, const char *dest);
extern struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
extern void debugfs_remove(struct dentry *dentry);
extern void debugfs_remove_recursive(struct dentry *dentry);
extern void debugfs_lookup_and_remove(const char *name, struct dentry *parent);
extern void debugfs_create_u8(const char *name, umode_t mode, struct dentry *parent, u8 *value);
extern void debugfs_create_u16(const char *name, umode_t mode, struct dentry *parent, u16 *value);
extern void debugfs_create_u32(const char *name, umode_t mode, struct dentry *parent, u32 *value);
extern void debugfs_create_u64(const char *name, umode_t mode, struct dentry *parent, u64 *value);
extern void debugfs_create_x32(const char *name, umode_t mode, struct dentry *parent, u32 *value);
extern void debugfs_create_ulong(const char *name, umode_t mode, struct dentry *parent, unsigned long *value);
extern void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value);
extern void debugfs_create_atomic_t(const char *name, umode_t mode, struct dentry *parent, atomic_t *value);
extern bool debugfs_initialized(void);

#endif /* _KLPM_LINUX_DEBUGFS_H */
