/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib.h - pass 1 internals: the tapset library's macro files (library.c) */
#ifndef STAP_PARSE_LIB_H
#define STAP_PARSE_LIB_H

struct session;

/* read the .stpm macro files of the search path, once per session */
void lib_load_stpm(struct session *s);
/* list the .stp files and start parsing them on other threads, if there
 * are CPUs for it (after lib_load_stpm; parse_tapsets finishes the job) */
void lib_start(struct session *s);
/* stop and wait for those threads (at the latest in parse_release) */
void lib_stop(struct session *s);

#endif
