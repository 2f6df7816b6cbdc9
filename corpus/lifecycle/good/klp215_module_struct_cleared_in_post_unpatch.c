// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus (callbacks API): the twin of klp215_module_struct_kept_for_exit.c:
 * the snd_hda_intel object's post_unpatch forgets the module it was told
 * about, so module_exit only reads a module that is still there.
 */
// expect-no-findings
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static struct module *lps_hda;

static void lps_hda_post_patch(struct klp_object *obj)
{
	lps_hda = obj->mod;
}

static void lps_hda_post_unpatch(struct klp_object *obj)
{
	lps_hda = NULL;
}

static int lps_azx_probe(void *pci, const void *id) { return 0; }

static struct klp_func lps_funcs[] = {
	{ .old_name = "azx_probe", .new_func = lps_azx_probe },
	{ }
};

static struct klp_object lps_objs[] = {
	{
		.name = "snd_hda_intel",
		.funcs = lps_funcs,
		.callbacks = {
			.post_patch = lps_hda_post_patch,
			.post_unpatch = lps_hda_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch lps_patch = {
	.mod = THIS_MODULE,
	.objs = lps_objs,
};

static int __init lps_init(void)
{
	return klp_enable_patch(&lps_patch);
}

static void __exit lps_exit(void)
{
	if (lps_hda)
		pr_info("unpatched %s\n", lps_hda->name);
}

module_init(lps_init);
module_exit(lps_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
