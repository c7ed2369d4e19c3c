/* SPDX-License-Identifier: GPL-2.0-or-later */
/* similar.h - "(similar functions: a, b, c)" suggestions for a bad name */
#ifndef STAP_SIMILAR_H
#define STAP_SIMILAR_H

struct vec;

/*
 * The up-to-five candidates (const char * in cands) closest to name by edit
 * distance, as "a, b, c" (malloc'd), or NULL when none is close enough.
 */
char *similar_names(const char *name, const struct vec *cands);

#endif
