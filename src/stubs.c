/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stubs.c - weak placeholders for passes still being written; each real
 * definition elsewhere overrides its stub at link time.  TEMPORARY.
 */
#include <stdio.h>

#include "build/kbuild.h"
#include "cache/cache.h"
#include "elaborate/elab.h"
#include "guest/guest.h"
#include "parse/parse.h"
#include "probes/provider.h"
#include "run/run.h"
#include "session.h"
#include "translate/tx.h"

#define WEAK __attribute__((weak))

static int missing(const char *what)
{
	fprintf(stderr, "stap: %s is not implemented yet\n", what);
	return -1;
}

WEAK struct ast_file *parse_file(struct session *s, const struct src_file *src) { (void)s; (void)src; return NULL; }
WEAK int parse_user(struct session *s) { return missing("pass 1"); }
WEAK int parse_tapsets(struct session *s) { return 0; }
WEAK void parse_print(FILE *out, const struct ast_file *f) { }
WEAK int elab_program(struct session *s) { return missing("pass 2"); }
WEAK void elab_print(struct session *s, FILE *out) { }
WEAK int elab_list(struct session *s) { return missing("listing"); }
WEAK int elab_dump(struct session *s) { return missing("--dump-*"); }
WEAK int tx_generate(struct session *s) { return missing("pass 3"); }
WEAK int run_local(struct session *s) { return missing("local pass 5") ? 1 : 1; }
WEAK int guest_run(struct session *s) { return missing("--vm") ? 1 : 1; }
WEAK bool guest_host_can_load_modules(void) { return true; }
WEAK const char *guest_no_modules_message(void) { return "this host cannot load kernel modules; use --vm"; }
WEAK int cache_lookup(struct session *s) { return -1; }
WEAK void cache_store(struct session *s) { }
WEAK void cache_clean(struct session *s) { }
