/* klplint model header <linux/module.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MODULE_H
#define _KLPM_LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/stat.h>
#include <linux/init.h>
#include <linux/kmod.h>
#include <linux/moduleparam.h>
#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/kobject.h>
#include <linux/notifier.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/cache.h>
#include <linux/percpu.h>
#include <linux/completion.h>
#include <linux/workqueue.h>

#define MODULE_NAME_LEN 56

/* The life cycle of a module, as seen by obj->mod->state. */
enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED
};

struct module {
	enum module_state state;
	struct list_head list;
	char name[MODULE_NAME_LEN];
	const char *version;
	const char *srcversion;
	int (*init)(void);
	void (*exit)(void);
	atomic_t refcnt;
	unsigned int num_syms;
	const struct kernel_symbol *syms;
	void *core_text;
	unsigned int core_size;
	bool klp;
	bool klp_alive;
	bool async_probe_requested;
};

extern struct module __this_module;
#define THIS_MODULE (&__this_module)

/* .modinfo entries. */
#define MODULE_INFO(tag, info)          __MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license)        MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)          MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_description) MODULE_INFO(description, _description)
#define MODULE_VERSION(_version)        MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias)            MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep)        MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware)      MODULE_INFO(firmware, _firmware)
#define MODULE_IMPORT_NS(ns)            MODULE_INFO(import_ns, #ns)
#define MODULE_DEVICE_TABLE(type, name) \
	extern const void *__mod_##type##__##name##_device_table

/*
 * Entry points.  A livepatch is always a module, so only the module form
 * exists: init_module/cleanup_module are aliases of the named functions,
 * and the static inline __inittest/__exittest check the types.
 */
#define module_init(initfn)                                                   \
	static inline initcall_t __maybe_unused __inittest(void)              \
	{ return initfn; }                                                     \
	int init_module(void) __attribute__((alias(#initfn)))

#define module_exit(exitfn)                                                   \
	static inline exitcall_t __maybe_unused __exittest(void)              \
	{ return exitfn; }                                                     \
	void cleanup_module(void) __attribute__((alias(#exitfn)))

/* Built-in initcall levels all mean module_init in a module. */
#define early_initcall(fn)              module_init(fn)
#define core_initcall(fn)               module_init(fn)
#define postcore_initcall(fn)           module_init(fn)
#define arch_initcall(fn)               module_init(fn)
#define subsys_initcall(fn)             module_init(fn)
#define fs_initcall(fn)                 module_init(fn)
#define rootfs_initcall(fn)             module_init(fn)
#define device_initcall(fn)             module_init(fn)
#define late_initcall(fn)               module_init(fn)
#define late_initcall_sync(fn)          module_init(fn)
#define __initcall(fn)                  module_init(fn)

/* Reference counting and lookup. */
extern bool try_module_get(struct module *module);
extern void module_put(struct module *module);
extern void __module_get(struct module *module);
extern int module_refcount(struct module *mod);
extern bool module_is_live(struct module *mod);
extern struct module *find_module(const char *name);
extern struct module *__module_address(unsigned long addr);
extern struct module *__module_text_address(unsigned long addr);
extern bool is_module_address(unsigned long addr);
extern bool is_module_text_address(unsigned long addr);
extern const char *module_name(const struct module *mod);
extern struct mutex module_mutex;

extern void *__symbol_get(const char *symbol);
extern void __symbol_put(const char *symbol);
#define symbol_get(x)   __symbol_get(#x)
#define symbol_put(x)   __symbol_put(#x)

/* register_module_notifier/unregister_module_notifier are in <linux/notifier.h>. */

#endif /* _KLPM_LINUX_MODULE_H */
