// SPDX-License-Identifier: GPL-2.0-or-later
/* A module that writes past a kmalloc'ed buffer: slub_debug must see it. */
#include <linux/module.h>
#include <linux/slab.h>

static int __init overrun_kmod_init(void)
{
	char *volatile p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p[32] = 0x55;	/* one past the end: the redzone */
	kfree(p);
	return 0;
}

static void __exit overrun_kmod_exit(void)
{
}

module_init(overrun_kmod_init);
module_exit(overrun_kmod_exit);
MODULE_LICENSE("GPL");
