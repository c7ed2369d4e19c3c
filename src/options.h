/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef STAP_OPTIONS_H
#define STAP_OPTIONS_H

#include <stdio.h>

struct session;

/* Fill s from $SYSTEMTAP_DIR/rc and argv.  Returns 0 to go on, 1 when the
 * request is complete (--help, -V), -1 on a usage error (reported). */
int opt_parse(struct session *s, int argc, char **argv);
void opt_usage(FILE *out);

#endif
