/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_data.h - pass 3 for the script's data: arrays, statistics and
 * histograms (runtime/data/).  The core emitter (tx.c, tx_body.c,
 * tx_expr.c, tx_call.c) hands these constructs over:
 *
 *   globals    tx_data_global() for an array or a statistic, then
 *              tx_data_fns() once: stp_data_init()/stp_data_free(), which
 *              stp_session_start()/stp_session_stop() call
 *   exprs      tx_data_expr(): a[k], [k] in a, @count(x).., @hist_*(x)[i];
 *              tx_data_assign(): a[k] = v (and op=), x <<< v, a[k] <<< v;
 *              tx_data_incdec(): a[k]++ ...
 *   stmts      tx_data_delete(), tx_data_foreach()
 *   print      tx_data_print_hist(): print/println/sprint(@hist_*(x))
 */
#ifndef STAP_TX_DATA_H
#define STAP_TX_DATA_H

#include <stdbool.h>

#include "ast.h"
#include "util/strbuf.h"

struct tx;

/* does the global need tx_data_global (an array or a statistic)? */
bool tx_data_is_data(const struct ast_vardecl *v);
void tx_data_global(struct tx *tx, struct strbuf *sb, struct ast_vardecl *v);
void tx_data_fns(struct tx *tx, struct strbuf *sb);
void tx_data_free(struct tx *tx);

/* an expression about arrays/statistics; false if e is not one */
bool tx_data_expr(struct tx *tx, struct strbuf *sb, struct expr *e);
/* E_ASSIGN to an array element, or <<<; false if not one */
bool tx_data_assign(struct tx *tx, struct strbuf *sb, struct expr *e);
/* E_INCDEC of an array element; false if not one */
bool tx_data_incdec(struct tx *tx, struct strbuf *sb, struct expr *e);

void tx_data_delete(struct tx *tx, struct stmt *st);
void tx_data_foreach(struct tx *tx, struct stmt *st);
/* call is print(h)/println(h)/sprint(h)... (errors are reported near it) */
void tx_data_print_hist(struct tx *tx, struct strbuf *sb, struct expr *call,
			struct expr *h, bool to_str);

#endif
