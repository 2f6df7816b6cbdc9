/* klplint model header <linux/miscdevice.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MISCDEVICE_H
#define _KLPM_LINUX_MISCDEVICE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/fs.h>
#include <linux/major.h>

struct device;
struct attribute_group;

#define MISC_DYNAMIC_MINOR 255

struct miscdevice {
	int minor;
	const char *name;
	const struct file_operations *fops;
	struct list_head list;
	struct device *parent;
	struct device *this_device;
	const struct attribute_group **groups;
	const char *nodename;
	umode_t mode;
};

extern int misc_register(struct miscdevice *misc);
extern void misc_deregister(struct miscdevice *misc);

#endif /* _KLPM_LINUX_MISCDEVICE_H */
