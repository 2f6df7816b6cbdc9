/* klplint model header <linux/mount.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MOUNT_H
#define _KLPM_LINUX_MOUNT_H

#include <linux/types.h>

struct dentry;
struct super_block;
struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	int mnt_flags;
};
extern struct vfsmount *mntget(struct vfsmount *mnt);
extern void mntput(struct vfsmount *mnt);

#endif /* _KLPM_LINUX_MOUNT_H */
