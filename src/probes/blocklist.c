/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blocklist.c - the functions a DWARF wildcard leaves out (blocklist.h),
 * by name part and by declaration file; documented in stapprobes(3stap)
 * under kernel.function.
 */
#include <string.h>

#include "probes/blocklist.h"

/* lock primitives, as a part of the name ("_raw_spin_lock_irqsave",
 * "rcu_read_unlock", "down_write_trylock", "ww_mutex_lock") */
static const char *const lock_parts[] = {
	"spin_lock", "spin_unlock", "spin_trylock",
	"read_lock", "read_unlock", "read_trylock",
	"write_lock", "write_unlock", "write_trylock",
	"mutex_lock", "mutex_unlock", "mutex_trylock",
	"write_seqlock", "write_sequnlock",
};

/* name prefixes, after any leading '_' */
static const char *const prim_prefixes[] = {
	"atomic_", "atomic64_", "arch_atomic", "raw_atomic",
	"preempt_count",
};

static const char *const prim_names[] = {
	"get_current",
};

/* declaration files: a path, or a directory ending in '/' */
static const char *const files[] = {
	"kernel/kprobes.c",
	"arch/x86/kernel/kprobes/",
	"arch/x86/include/asm/paravirt.h",
	"arch/x86/kernel/paravirt.c",
	"arch/x86/include/asm/bitops.h",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* does part occur in name at its start or right after a '_'? */
static bool has_part(const char *name, const char *part)
{
	size_t l = strlen(part);

	for (const char *p = name; (p = strstr(p, part)); p++)
		if ((p == name || p[-1] == '_') &&
		    (p[l] == '\0' || p[l] == '_'))
			return true;
	return false;
}

static bool file_listed(const char *file)
{
	for (size_t i = 0; i < N(files); i++) {
		size_t l = strlen(files[i]);

		if (files[i][l - 1] == '/' ? !strncmp(file, files[i], l) :
					     !strcmp(file, files[i]))
			return true;
	}
	return false;
}

bool blocklisted(const char *func, const char *file)
{
	const char *bare = func + strspn(func, "_");

	if (file && file_listed(file))
		return true;
	for (size_t i = 0; i < N(prim_names); i++)
		if (!strcmp(func, prim_names[i]))
			return true;
	for (size_t i = 0; i < N(prim_prefixes); i++)
		if (!strncmp(bare, prim_prefixes[i], strlen(prim_prefixes[i])))
			return true;
	for (size_t i = 0; i < N(lock_parts); i++)
		if (has_part(func, lock_parts[i]))
			return true;
	return false;
}
