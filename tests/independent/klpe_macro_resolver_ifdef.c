// SPDX-License-Identifier: GPL-2.0
/*
 * klp-ccp style with macros: KLPE_DECLARE() makes each `klpe_` pointer and
 * KLPE_RESOLVE() looks it up, with a module-qualified name ("xfs:sym") or a
 * plain one depending on an #ifdef. xfs' pre_patch resolves two of xfs' data
 * symbols and, in the same callback, bumps the hit counter of xfs' MRU cache
 * through the resolved address of xfs' global pointer. When xfs loads after
 * the livepatch, pre_patch runs while xfs is COMING: xfs' init has not
 * allocated the cache yet. The tunable read through the other pointer is an
 * integer, only compared.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

#define KLPE_QUALIFIED_NAMES

#ifdef KLPE_QUALIFIED_NAMES
#define KLPE_NAME(sym)	"xfs:" #sym
#else
#define KLPE_NAME(sym)	#sym
#endif

#define KLPE_DECLARE(type, sym)	static type *klpe_##sym
#define KLPE_RESOLVE(sym)						\
	do {								\
		klpe_##sym = (typeof(klpe_##sym))kallsyms_lookup_name(KLPE_NAME(sym)); \
		if (!klpe_##sym)					\
			return -ENOENT;					\
	} while (0)

struct klpe_mru_cache {
	unsigned long hits;
	unsigned int grp_count;
};

KLPE_DECLARE(struct klpe_mru_cache *, xfs_mru_cache);
KLPE_DECLARE(unsigned int, xfs_mru_lifetime);

static int klpp_xfs_pre_patch(struct klp_object *obj)
{
	KLPE_RESOLVE(xfs_mru_cache);
	KLPE_RESOLVE(xfs_mru_lifetime);
	if (*klpe_xfs_mru_lifetime == 0)
		return -EINVAL;
	(*klpe_xfs_mru_cache)->hits = 0; // expect KLP212
	return 0;
}

static void klpp_xfs_post_unpatch(struct klp_object *obj)
{
	klpe_xfs_mru_cache = NULL;
	klpe_xfs_mru_lifetime = NULL;
}

static int klpp_xfs_filestream_lookup_ag(void *ip)
{
	return 0;
}

static struct klp_func klpp_xfs_funcs[] = {
	{ .old_name = "xfs_filestream_lookup_ag", .new_func = klpp_xfs_filestream_lookup_ag },
	{ }
};

static struct klp_object klpp_objs[] = {
	{
		.name = "xfs",
		.funcs = klpp_xfs_funcs,
		.callbacks = {
			.pre_patch = klpp_xfs_pre_patch,
			.post_unpatch = klpp_xfs_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch klpp_patch = {
	.mod = THIS_MODULE,
	.objs = klpp_objs,
};

static int __init klpp_init(void)
{
	return klp_enable_patch(&klpp_patch);
}

static void __exit klpp_cleanup(void)
{
}

module_init(klpp_init);
module_exit(klpp_cleanup);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
