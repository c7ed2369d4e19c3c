/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_guard.h - dispatch guards: a handler that starts with
 *
 *     if (KEY != NUM || ...) next
 *
 * (its alias prologue included) does nothing unless KEY == NUM.  When
 * several probes share one event source, a provider's emitter can
 * evaluate KEY once per hit and switch on it instead of running every
 * handler (kernel.trace("raw_syscalls:sys_enter") under syscall.*).  KEY
 * must be cheap and side-effect free: integer target variables ($id),
 * numbers, arithmetic without division and calls of embedded-C functions
 * marked pure.  The handler keeps its guard, so running it anyway is
 * always correct.
 */
#ifndef STAP_TX_GUARD_H
#define STAP_TX_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

struct tx;
struct expr;
struct elab_probe;

struct tx_guard {
	struct expr *key;	/* NULL: the handler has no such guard */
	int64_t val;		/* the handler runs only when KEY == val */
};

/* p's leading guard; false (g->key NULL) when it has none */
bool tx_guard_find(const struct elab_probe *p, struct tx_guard *g);
/* whether a and b compute the same value in the same hit */
bool tx_guard_same_key(const struct expr *a, const struct expr *b);
/*
 * KEY of p's guard as an int64_t C expression into sb, for a dispatcher
 * function that has the context c, p's frame as l and an "out:" label (an
 * error in KEY jumps there).  False when KEY cannot be written there.
 */
bool tx_guard_emit_key(struct tx *tx, struct elab_probe *p,
		       struct expr *key, struct strbuf *sb);
/* "struct stp_fr_pN *l ... = ...;" for a dispatcher of p's key */
void tx_guard_frame(struct tx *tx, struct elab_probe *p, struct strbuf *sb);

#endif
