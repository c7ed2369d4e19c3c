/* SPDX-License-Identifier: GPL-2.0-or-later */
/* modinfo.h - read a .ko's .modinfo strings (name=, vermagic=) */
#ifndef STAPRUN_MODINFO_H
#define STAPRUN_MODINFO_H

#include <stddef.h>

/* value of KEY in the module image's .modinfo into buf: 0, or -1 */
int sr_modinfo(const void *img, size_t size, const char *key,
	       char *buf, size_t n);

#endif
