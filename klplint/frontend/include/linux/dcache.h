/* klplint model header <linux/dcache.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_DCACHE_H
#define _KLPM_LINUX_DCACHE_H

#include <linux/fs.h>

struct dentry;
extern struct dentry *dget(struct dentry *dentry);
extern void dput(struct dentry *dentry);
extern char *dentry_path_raw(const struct dentry *dentry, char *buf, int buflen);
extern char *d_path(const struct path *path, char *buf, int buflen);

#endif /* _KLPM_LINUX_DCACHE_H */
