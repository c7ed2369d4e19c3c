/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dw_loc.h - context variables as C (see dw_loc.c) */
#ifndef STAP_DW_LOC_H
#define STAP_DW_LOC_H

#include <stdbool.h>
#include <stdint.h>

#include <elfutils/libdw.h>

struct vec;

struct dw_kernel;

struct dw_loc_req {
	struct dw_kernel *k;		/* to complete declared-only structs */
	Dwarf_Die *func;		/* the function (frame base) */
	Dwarf_Die *var;			/* the variable, or NULL with value_c */
	const char *value_c;		/* $return: C for the raw value */
	const char *addr_c;		/* @cast: C for the object's address */
	Dwarf_Die value_type;		/* ... and its (object's) type */
	uint64_t pc;			/* link-time probe address */
	bool at_entry;			/* pc is the function's entry */
	const struct vec *comps;	/* struct target_comp * */
	bool addr_of;
};

struct dw_access {
	char *code;			/* see dw_loc.c; NULL on error */
	bool string;
	Dwarf_Die type;			/* of the result */
	char *err;
};

bool dw_access(const struct dw_loc_req *rq, struct dw_access *out);
/* $var$ (maxdepth 1) / $var$$ (deeper): a string expression printing the
 * value stap's way: {.a=1, .b=0x..., .s="..."} */
bool dw_pretty(const struct dw_loc_req *rq, int maxdepth,
	       struct dw_access *out);
/* the same as statements appending to "_b" (for $$parms$) */
char *dw_pretty_stmts(const struct dw_loc_req *rq, int maxdepth, char **err);

#endif
