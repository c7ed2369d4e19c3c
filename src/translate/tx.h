/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tx.h - pass 3: the elaborated program as one C file against runtime/ */
#ifndef STAP_TX_H
#define STAP_TX_H

struct session;

/* Write <s->tmpdir>/<module>.c and set s->c_file.  Returns 0 or -1. */
int tx_generate(struct session *s);

#endif
