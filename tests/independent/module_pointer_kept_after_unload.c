// SPDX-License-Identifier: GPL-2.0
/*
 * The fix for a vmlinux function logs which version of the loaded
 * dm_crypt module it is working around. dm_crypt's pre_patch keeps
 * obj->mod in a static for that; nothing clears it. When dm_crypt is
 * unloaded, the vmlinux replacement goes on reading the struct module of
 * a module that is gone.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static struct module *lpd_crypt_mod;

static int lpd_blk_crypto_start(void *bio)
{
	if (lpd_crypt_mod)
		pr_debug("working around %s\n", lpd_crypt_mod->name); // expect KLP215
	return 0;
}

static int lpd_crypt_pre_patch(struct klp_object *obj)
{
	lpd_crypt_mod = obj->mod;
	return 0;
}

static int lpd_crypt_map(void *ti, void *bio) { return 0; }

static struct klp_func lpd_vmlinux_funcs[] = {
	{ .old_name = "blk_crypto_bio_prep", .new_func = lpd_blk_crypto_start },
	{ }
};

static struct klp_func lpd_crypt_funcs[] = {
	{ .old_name = "crypt_map", .new_func = lpd_crypt_map },
	{ }
};

static struct klp_object lpd_objs[] = {
	{
		.funcs = lpd_vmlinux_funcs,
	}, {
		.name = "dm_crypt",
		.funcs = lpd_crypt_funcs,
		.callbacks = { .pre_patch = lpd_crypt_pre_patch },
	},
	{ }
};

static struct klp_patch lpd_patch = {
	.mod = THIS_MODULE,
	.objs = lpd_objs,
};

static int __init lpd_init(void)
{
	return klp_enable_patch(&lpd_patch);
}

static void __exit lpd_exit(void)
{
}

module_init(lpd_init);
module_exit(lpd_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
