/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run.h - pass 5 on this host: exec staprun with the session's options */
#ifndef STAP_RUN_H
#define STAP_RUN_H

struct session;

/* Returns staprun's exit status. */
int run_local(struct session *s);

#endif
