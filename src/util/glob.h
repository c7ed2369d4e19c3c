/* SPDX-License-Identifier: GPL-2.0-or-later */
/* glob.h - does a probe point's name or pattern hold fnmatch(3) wildcards? */
#ifndef STAP_GLOB_H
#define STAP_GLOB_H

#include <stdbool.h>
#include <string.h>

static inline bool glob_has_wild(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

#endif
