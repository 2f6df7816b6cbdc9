/* klplint model header <linux/device.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_DEVICE_H
#define _KLPM_LINUX_DEVICE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/err.h>
#include <linux/gfp.h>

struct device_driver;
struct bus_type;
struct class;

struct device {
	struct kobject kobj;
	struct device *parent;
	const char *init_name;
	const struct device_type *type;
	struct bus_type *bus;
	struct device_driver *driver;
	void *platform_data;
	void *driver_data;
	struct mutex mutex;
	dev_t devt;
	struct class *class;
	const struct attribute_group **groups;
	void (*release)(struct device *dev);
};

struct device_type {
	const char *name;
	const struct attribute_group **groups;
	void (*release)(struct device *dev);
};

struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr, const char *buf, size_t count);
};

#define DEVICE_ATTR(_name, _mode, _show, _store) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, _mode, _show, _store)
#define DEVICE_ATTR_RO(_name) struct device_attribute dev_attr_##_name = __ATTR_RO(_name)
#define DEVICE_ATTR_RW(_name) struct device_attribute dev_attr_##_name = __ATTR_RW(_name)
#define DEVICE_ATTR_WO(_name) struct device_attribute dev_attr_##_name = __ATTR_WO(_name)

extern const char *dev_name(const struct device *dev);
extern void *dev_get_drvdata(const struct device *dev);
extern void dev_set_drvdata(struct device *dev, void *data);
extern struct device *get_device(struct device *dev);
extern void put_device(struct device *dev);
extern int device_create_file(struct device *dev, const struct device_attribute *entry);
extern void device_remove_file(struct device *dev, const struct device_attribute *attr);
extern int __must_check device_register(struct device *dev);
extern void device_unregister(struct device *dev);
extern struct device *device_create(struct class *cls, struct device *parent, dev_t devt,
				    void *drvdata, const char *fmt, ...) __printf(5, 6);
extern void device_destroy(struct class *cls, dev_t devt);
extern void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) __malloc;
extern void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp) __malloc;
extern void devm_kfree(struct device *dev, const void *p);

/* Device messages are calls named as the API. */
extern void dev_emerg(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_alert(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_crit(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_err(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_warn(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_notice(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_info(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern void dev_dbg(const struct device *dev, const char *fmt, ...) __printf(2, 3);
extern int dev_err_probe(const struct device *dev, int err, const char *fmt, ...) __printf(3, 4);

#endif /* _KLPM_LINUX_DEVICE_H */
