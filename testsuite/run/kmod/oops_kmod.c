// SPDX-License-Identifier: GPL-2.0-or-later
/* A module that oopses on load: the harness must survive it. */
#include <linux/bug.h>
#include <linux/module.h>

static int __init oops_kmod_init(void)
{
	BUG();
	return 0;
}

module_init(oops_kmod_init);
MODULE_LICENSE("GPL");
