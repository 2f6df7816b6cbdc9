/* klplint model header <linux/sysfs.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SYSFS_H
#define _KLPM_LINUX_SYSFS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stat.h>
#include <linux/errno.h>

struct kobject;
struct module;

struct attribute {
	const char *name;
	umode_t mode;
};

struct bin_attribute;

struct attribute_group {
	const char *name;
	umode_t (*is_visible)(struct kobject *kobj, struct attribute *attr, int n);
	struct attribute **attrs;
	struct bin_attribute **bin_attrs;
};

struct sysfs_ops {
	ssize_t (*show)(struct kobject *kobj, struct attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count);
};

/* Initializers for the attribute structs embedding .attr (kobj_attribute, device_attribute ...). */
#define __ATTR(_name, _mode, _show, _store) \
	{ .attr = { .name = #_name, .mode = (_mode) }, .show = _show, .store = _store }
#define __ATTR_RO(_name) \
	{ .attr = { .name = #_name, .mode = 0444 }, .show = _name##_show }
#define __ATTR_RO_MODE(_name, _mode) \
	{ .attr = { .name = #_name, .mode = (_mode) }, .show = _name##_show }
#define __ATTR_WO(_name) \
	{ .attr = { .name = #_name, .mode = 0200 }, .store = _name##_store }
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
#define __ATTR_RW_MODE(_name, _mode) __ATTR(_name, _mode, _name##_show, _name##_store)
#define __ATTR_NULL { .attr = { .name = NULL } }

#define ATTRIBUTE_GROUPS(_name)                                               \
	static const struct attribute_group _name##_group = {                 \
		.attrs = _name##_attrs,                                        \
	};                                                                     \
	static const struct attribute_group *_name##_groups[] = {             \
		&_name##_group,                                                \
		NULL,                                                          \
	}

extern int __must_check sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
extern void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr);
extern int __must_check sysfs_create_files(struct kobject *kobj, const struct attribute * const *attr);
extern void sysfs_remove_files(struct kobject *kobj, const struct attribute * const *attr);
extern int __must_check sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
extern void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);
extern int __must_check sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups);
extern void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups);
extern int __must_check sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name);
extern void sysfs_remove_link(struct kobject *kobj, const char *name);
extern void sysfs_notify(struct kobject *kobj, const char *dir, const char *attr);
extern int sysfs_emit(char *buf, const char *fmt, ...) __printf(2, 3);
extern int sysfs_emit_at(char *buf, int at, const char *fmt, ...) __printf(3, 4);

#endif /* _KLPM_LINUX_SYSFS_H */
