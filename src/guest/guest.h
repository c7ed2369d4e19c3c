/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guest.h - pass 5 inside a throwaway qemu guest booting the target kernel (--vm) */
#ifndef STAP_GUEST_H
#define STAP_GUEST_H

#include <stdbool.h>

struct session;

/* Boot the target kernel, run staprun on s->ko_file there, relay output and
 * return the exit status as if it ran locally. */
int guest_run(struct session *s);
/* Can this host load kernel modules at all? */
bool guest_host_can_load_modules(void);
/* One sentence saying it cannot, naming --vm. */
const char *guest_no_modules_message(void);

#endif
