// SPDX-License-Identifier: GPL-2.0
/*
 * Patches a function of the nfsd module and needs one of nfsd's static
 * helpers. The helper's address is looked up once in module_init: when nfsd
 * is loaded after the livepatch the lookup fails, and when nfsd is unloaded
 * and loaded again the cached address points into freed module text.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>

static void (*nfsd_reset_versions_p)(void *nn);

static int lp_nfsd_svc(int nrservs, void *net, const void *cred)
{
	if (nfsd_reset_versions_p)
		nfsd_reset_versions_p(net);
	return 0;
}

static struct klp_func nfsd_funcs[] = {
	{ .old_name = "nfsd_svc", .new_func = lp_nfsd_svc },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "nfsd", .funcs = nfsd_funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	nfsd_reset_versions_p = (void *)kallsyms_lookup_name("nfsd_reset_versions"); // expect KLP215
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
