// SPDX-License-Identifier: GPL-2.0-or-later
/* A hand-written module for testing the run harness itself. */
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_kmod_init(void)
{
	pr_info("hello_kmod: loaded\n");
	return 0;
}

static void __exit hello_kmod_exit(void)
{
	pr_info("hello_kmod: unloaded\n");
}

module_init(hello_kmod_init);
module_exit(hello_kmod_exit);
MODULE_LICENSE("GPL");
