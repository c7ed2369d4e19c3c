// SPDX-License-Identifier: GPL-2.0-or-later
/* A module that WARNs on load: the harness must see it in the kernel log. */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_kmod_init(void)
{
	WARN(1, "warn_kmod: deliberate warning\n");
	return 0;
}

static void __exit warn_kmod_exit(void)
{
}

module_init(warn_kmod_init);
module_exit(warn_kmod_exit);
MODULE_LICENSE("GPL");
