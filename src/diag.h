/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diag.h - the one path for diagnostics.
 *
 *   file:line:col: error: message
 *       source line
 *       ^
 *
 * kind is the word before the colon: "error", "parse error",
 * "semantic error", "warning".  Counting happens in the session.
 */
#ifndef STAP_DIAG_H
#define STAP_DIAG_H

#include "ast.h"

struct session;

void diag(struct session *s, const char *kind, const struct src_loc *loc,
	  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* errors and warnings: counted; warnings obey -w/-W */
#define diag_error(s, loc, ...) diag((s), "error", (loc), __VA_ARGS__)
#define diag_warn(s, loc, ...) diag((s), "warning", (loc), __VA_ARGS__)
/* a secondary location for the previous diagnostic ("note: ...") */
void diag_note(struct session *s, const struct src_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* no location: "stap: message" style */
void diag_plain(struct session *s, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
