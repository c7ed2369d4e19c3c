/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kbuild.h - pass 4: build the generated C into a module with kbuild */
#ifndef STAP_KBUILD_H
#define STAP_KBUILD_H

struct session;

/*
 * Pass 4 in two halves: kbuild_start() writes the Kbuild file for
 * s->module_name in s->tmpdir and starts make in the background, so that
 * kbuild reads the kernel's makefiles (~0.7 s) while passes 1-3 run; the
 * script's unit waits until kbuild_build() marks s->c_file complete, then
 * kbuild_build() waits for make and sets s->ko_file (starting make first if
 * kbuild_start() was not called).  Both return 0 or -1.  kbuild_abort()
 * stops a started make (a pass failed, or the run ends before pass 4).
 */
int kbuild_start(struct session *s);
int kbuild_build(struct session *s);
void kbuild_abort(struct session *s);
/* Resolve s->kernel_release / s->kernel_build_dir from -r or uname. */
int kbuild_find_kernel(struct session *s);

#endif
