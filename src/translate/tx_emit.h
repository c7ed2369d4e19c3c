/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_emit.h - what a provider's emitter (src/probes/<family>_emit.c) may
 * use to put its part into the generated module.
 *
 * An emitter writes its tables and callbacks with tx_printf() (they land
 * after every probe handler), refers to a handler's descriptor with
 * tx_probe_ref(tx, dp) (a `const struct stp_probe *` expression, see
 * runtime/stp_context.h) and calls stp_probe_run() from its callbacks.  It
 * hooks its registration into stp_session_start()/stp_session_stop():
 *
 *   start:  every tx_on_register() "reg" in emitter order (an int
 *           expression: 0 or -errno; on failure the ones before are undone),
 *           then every tx_on_begin() statement (begin probes), then the
 *           session is RUNNING;
 *   stop:   every "unreg" statement in reverse order, then every
 *           tx_on_end() statement (end/error probes).
 */
#ifndef STAP_TX_EMIT_H
#define STAP_TX_EMIT_H

#include "util/strbuf.h"

struct tx;
struct session;
struct derived_probe;

struct session *tx_session(struct tx *tx);
void tx_printf(struct tx *tx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "&stp_probes[N]": the descriptor of one concrete probe point (its
 * handler, pp() text, locks, -t counters) */
const char *tx_probe_ref(struct tx *tx, const struct derived_probe *dp);
void tx_on_register(struct tx *tx, const char *reg, const char *unreg);
void tx_on_begin(struct tx *tx, const char *stmt);
void tx_on_end(struct tx *tx, const char *stmt);
/* s as a C string literal */
void tx_cstr(struct strbuf *sb, const char *s);
/* a unique C identifier with this prefix: "stp_timer3" */
const char *tx_unique(struct tx *tx, const char *prefix);

#endif /* STAP_TX_EMIT_H */
