// SPDX-License-Identifier: GPL-2.0
/* A target module for the oracle's hooks tests: one function a livepatch replaces. */
#include <linux/module.h>
#include <linux/kernel.h>

noinline int klp_oracle_target_value(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(klp_oracle_target_value);

static int __init klp_oracle_target_init(void)
{
	pr_info("klp_oracle_target: init, value %d\n", klp_oracle_target_value());
	return 0;
}

static void __exit klp_oracle_target_exit(void)
{
	pr_info("klp_oracle_target: exit, value %d\n", klp_oracle_target_value());
}

module_init(klp_oracle_target_init);
module_exit(klp_oracle_target_exit);
MODULE_LICENSE("GPL");
