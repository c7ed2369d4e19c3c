/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmod.h - the target kernel's loadable modules: where a module's .ko is
 * (from modules.dep), and the function symbols it defines.
 */
#ifndef STAP_KMOD_H
#define STAP_KMOD_H

struct session;
struct vec;

/* path of module name's .ko for the target kernel, or NULL */
const char *kmod_path(struct session *s, const char *name);

/* append the names (char *, sorted, unique) of function symbols of the .ko
 * at path matching glob pat; returns -1 when the file cannot be read */
int kmod_glob_funcs(const char *path, const char *pat, struct vec *out);

/* module names (char *) matching glob pat, sorted */
void kmod_glob_names(struct session *s, const char *pat, struct vec *out);
/* the .ko paths (char *) of the modules matching glob pat, sorted by
 * module name (one pass over modules.dep) */
void kmod_glob_paths(struct session *s, const char *pat, struct vec *out);

#endif
