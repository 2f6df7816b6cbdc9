// SPDX-License-Identifier: GPL-2.0
// expect-no-findings
/*
 * Clean: one set of callbacks shared by three objects (vmlinux, sunrpc and
 * nfsd), written through static inline helpers that handle vmlinux
 * (obj->name and obj->mod both NULL) before touching the module, and
 * configuration variants chosen with #ifdef / IS_ENABLED(). Nothing is
 * allocated: the callbacks only keep per-target counters in a static table.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/string.h>

enum lp_target { LP_VMLINUX, LP_SUNRPC, LP_NFSD, LP_NR_TARGETS };

static unsigned int lp_patched[LP_NR_TARGETS];

static inline const char *lp_target_name(const struct klp_object *obj)
{
	return obj->name ? obj->name : "vmlinux";
}

static inline bool lp_target_loading(const struct klp_object *obj)
{
	return obj->mod && obj->mod->state == MODULE_STATE_COMING;
}

static inline enum lp_target lp_slot(const struct klp_object *obj)
{
	if (!obj->name)
		return LP_VMLINUX;
	if (!strcmp(obj->name, "sunrpc"))
		return LP_SUNRPC;
	return LP_NFSD;
}

static inline void lp_trace(const struct klp_object *obj, const char *what, bool loading)
{
#ifdef CONFIG_SUNRPC_DEBUG
	pr_info("livepatch: %s %s%s\n", what, lp_target_name(obj), loading ? " (loading)" : "");
#else
	pr_debug("livepatch: %s %s\n", what, lp_target_name(obj));
#endif
}

static int lp_pre_patch(struct klp_object *obj)
{
	if (IS_ENABLED(CONFIG_NFSD_V4) || lp_slot(obj) != LP_NFSD)
		lp_trace(obj, "patching", lp_target_loading(obj));
	return 0;
}

static void lp_post_patch(struct klp_object *obj)
{
	lp_patched[lp_slot(obj)]++;
	lp_trace(obj, "patched", lp_target_loading(obj));
}

static void lp_post_unpatch(struct klp_object *obj)
{
	lp_trace(obj, "unpatched", false);
}

static int livepatch_do_sysinfo(void *info)
{
	return 0;
}

static int livepatch_svc_process(void *rqstp)
{
	return 0;
}

static int livepatch_nfsd_dispatch(void *rqstp)
{
	return 1;
}

static struct klp_func lp_vmlinux_funcs[] = {
	{ .old_name = "do_sysinfo", .new_func = livepatch_do_sysinfo },
	{ }
};

static struct klp_func lp_sunrpc_funcs[] = {
	{ .old_name = "svc_process", .new_func = livepatch_svc_process },
	{ }
};

static struct klp_func lp_nfsd_funcs[] = {
	{ .old_name = "nfsd_dispatch", .new_func = livepatch_nfsd_dispatch },
	{ }
};

#define LP_CALLBACKS {				\
	.pre_patch = lp_pre_patch,		\
	.post_patch = lp_post_patch,		\
	.post_unpatch = lp_post_unpatch,	\
}

static struct klp_object lp_objs[] = {
	{ .funcs = lp_vmlinux_funcs, .callbacks = LP_CALLBACKS },
	{ .name = "sunrpc", .funcs = lp_sunrpc_funcs, .callbacks = LP_CALLBACKS },
	{ .name = "nfsd", .funcs = lp_nfsd_funcs, .callbacks = LP_CALLBACKS },
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
