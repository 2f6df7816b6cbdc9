/* klplint model header <linux/namei.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_NAMEI_H
#define _KLPM_LINUX_NAMEI_H

#include <linux/fs.h>

struct path;
#define LOOKUP_FOLLOW		0x0001
#define LOOKUP_DIRECTORY	0x0002
extern int kern_path(const char *name, unsigned int flags, struct path *path);
extern void path_put(const struct path *path);

#endif /* _KLPM_LINUX_NAMEI_H */
