/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kbuild.h - pass 4: build the generated C into a module with kbuild */
#ifndef STAP_KBUILD_H
#define STAP_KBUILD_H

struct session;

/* Build s->c_file in s->tmpdir; sets s->ko_file.  Returns 0 or -1. */
int kbuild_build(struct session *s);
/* Resolve s->kernel_release / s->kernel_build_dir from -r or uname. */
int kbuild_find_kernel(struct session *s);

#endif
