/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw_type.c - a type by name for @cast(p, "struct sk_buff"): the first
 * complete definition in the kernel's CUs (top-level DIEs), remembered.
 */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf/dw.h"
#include "util/xalloc.h"

bool dw_find_type(struct dw_kernel *k, const char *spec, Dwarf_Die *out)
{
	int tag = DW_TAG_typedef;
	const char *name = spec;
	Dwarf_Off off = 0, next;
	size_t hsz;

	while (*name == ' ')
		name++;
	if (!strncmp(name, "struct ", 7)) {
		tag = DW_TAG_structure_type;
		name += 7;
	} else if (!strncmp(name, "union ", 6)) {
		tag = DW_TAG_union_type;
		name += 6;
	} else if (!strncmp(name, "enum ", 5)) {
		tag = DW_TAG_enumeration_type;
		name += 5;
	}
	for (int i = 0; i < k->ntypes; i++) {
		if (!strcmp(k->types[i].name, spec))
			return dwarf_offdie(k->dw, k->types[i].die, out) != NULL;
	}
	while (dwarf_nextcu(k->dw, off, &next, &hsz, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, ch;

		if (dwarf_offdie(k->dw, off + hsz, &cu) &&
		    dwarf_child(&cu, &ch) == 0) {
			do {
				const char *n;
				int t = dwarf_tag(&ch);

				/* "sk_buff" alone: a typedef, else the struct */
				if (t != tag && !(tag == DW_TAG_typedef &&
						  t == DW_TAG_structure_type))
					continue;
				if (dwarf_hasattr(&ch, DW_AT_declaration))
					continue;
				n = dwarf_diename(&ch);
				if (!n || strcmp(n, name))
					continue;
				if (k->ntypes % 16 == 0)
					k->types = xrealloc(k->types,
						(k->ntypes + 16) * sizeof(*k->types));
				k->types[k->ntypes].name = xstrdup(spec);
				k->types[k->ntypes].die = dwarf_dieoffset(&ch);
				k->ntypes++;
				*out = ch;
				return true;
			} while (dwarf_siblingof(&ch, &ch) == 0);
		}
		off = next;
	}
	return false;
}
