/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib.h - pass 1 internals: the tapset library (library.c) */
#ifndef STAP_PARSE_LIB_H
#define STAP_PARSE_LIB_H

struct session;

/* list the library (once per session), read its .stpm macro files, and
 * start parsing its .stp files on other threads if there are CPUs for it
 * (parse_tapsets finishes the job) */
void lib_start(struct session *s);
/* stop and wait for those threads (at the latest in parse_release) */
void lib_stop(struct session *s);

#endif
