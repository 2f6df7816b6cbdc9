/* klplint model header <linux/kobject.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KOBJECT_H
#define _KLPM_LINUX_KOBJECT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/sysfs.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/container_of.h>
#include <linux/wait.h>
#include <linux/atomic.h>
#include <linux/workqueue.h>

struct kset;
struct kobj_type;

struct kobject {
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	struct kset *kset;
	const struct kobj_type *ktype;
	struct kref kref;
	unsigned int state_initialized;
	unsigned int state_in_sysfs;
};

struct kobj_type {
	void (*release)(struct kobject *kobj);
	const struct sysfs_ops *sysfs_ops;
	const struct attribute_group **default_groups;
};

struct kset {
	struct list_head list;
	spinlock_t list_lock;
	struct kobject kobj;
};

struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr, const char *buf, size_t count);
};

enum kobject_action {
	KOBJ_ADD,
	KOBJ_REMOVE,
	KOBJ_CHANGE,
	KOBJ_MOVE,
	KOBJ_ONLINE,
	KOBJ_OFFLINE,
	KOBJ_BIND,
	KOBJ_UNBIND
};

extern struct kobject *kernel_kobj;
extern struct kobject *mm_kobj;
extern struct kobject *hypervisor_kobj;
extern struct kobject *power_kobj;
extern struct kobject *firmware_kobj;
extern const struct sysfs_ops kobj_sysfs_ops;

extern struct kobject * __must_check kobject_create_and_add(const char *name, struct kobject *parent);
extern void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
extern int __must_check kobject_add(struct kobject *kobj, struct kobject *parent, const char *fmt, ...) __printf(3, 4);
extern int __must_check kobject_init_and_add(struct kobject *kobj, const struct kobj_type *ktype,
					     struct kobject *parent, const char *fmt, ...) __printf(4, 5);
extern void kobject_del(struct kobject *kobj);
extern struct kobject *kobject_get(struct kobject *kobj);
extern void kobject_put(struct kobject *kobj);
extern const char *kobject_name(const struct kobject *kobj);
extern int kobject_set_name(struct kobject *kobj, const char *name, ...) __printf(2, 3);
extern int kobject_uevent(struct kobject *kobj, enum kobject_action action);
extern char *kobject_get_path(const struct kobject *kobj, gfp_t flag);
extern struct kset * __must_check kset_create_and_add(const char *name, const void *uevent_ops, struct kobject *parent_kobj);
extern void kset_unregister(struct kset *kset);

#endif /* _KLPM_LINUX_KOBJECT_H */
