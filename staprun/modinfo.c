/* SPDX-License-Identifier: GPL-2.0-or-later */
/* modinfo.c - find KEY=VALUE in the .modinfo section of an ELF64 module */
#include <elf.h>
#include <string.h>

#include "modinfo.h"

static const Elf64_Shdr *sr_find_section(const unsigned char *img,
					 size_t size, const char *want)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh, *strs;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_shoff > size ||
	    eh->e_shnum > (size - eh->e_shoff) / sizeof(Elf64_Shdr) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	sh = (const void *)(img + eh->e_shoff);
	strs = &sh[eh->e_shstrndx];
	if (strs->sh_offset > size || strs->sh_size > size - strs->sh_offset)
		return NULL;
	for (int i = 0; i < eh->e_shnum; i++) {
		const char *name = (const char *)img + strs->sh_offset +
				   sh[i].sh_name;

		if (sh[i].sh_name >= strs->sh_size)
			continue;
		if (strnlen(name, strs->sh_size - sh[i].sh_name) ==
			    strlen(want) && strcmp(name, want) == 0 &&
		    sh[i].sh_offset <= size &&
		    sh[i].sh_size <= size - sh[i].sh_offset)
			return &sh[i];
	}
	return NULL;
}

int sr_modinfo(const void *img, size_t size, const char *key,
	       char *buf, size_t n)
{
	const Elf64_Shdr *sec = sr_find_section(img, size, ".modinfo");
	const char *p, *end;
	size_t klen = strlen(key);

	if (!sec)
		return -1;
	p = (const char *)img + sec->sh_offset;
	end = p + sec->sh_size;
	while (p < end) {
		size_t len = strnlen(p, (size_t)(end - p));

		if (len > klen && p[klen] == '=' && !memcmp(p, key, klen) &&
		    len - klen - 1 < n) {
			memcpy(buf, p + klen + 1, len - klen - 1);
			buf[len - klen - 1] = 0;
			return 0;
		}
		p += len + 1;
	}
	return -1;
}
