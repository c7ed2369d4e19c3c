/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * provider.h - one provider per probe family (begin/end/error/never, timer,
 * kprobe, kernel.function, kernel.trace, ...).
 *
 * A provider matches a concrete probe point (aliases already expanded) in
 * pass 2, lists points for -l/-L, answers $context variables, and emits its
 * registration C in pass 3.  <family>.c holds the pass-2 half (owned by the
 * elaboration code), <family>_emit.c the pass-3 half (owned by the
 * translator).  Adding a family = adding these two files and one line in
 * providers.c.
 */
#ifndef STAP_PROVIDER_H
#define STAP_PROVIDER_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "util/strbuf.h"
#include "util/vec.h"

struct session;
struct tx;
struct elab_probe;

/* one concrete, resolved place where a probe fires */
struct derived_probe {
	const struct provider *prov;
	const char *pp;			/* canonical text: pp(), -l output */
	struct elab_probe *probe;	/* the handler it runs */
	struct src_loc loc;
	/* family data; meaning is up to the provider */
	const char *sym;		/* function / tracepoint / module name */
	const char *module;
	int64_t num[4];			/* timer period, sequence number, offsets... */
	int flags;			/* family flags (e.g. return probe) */
	bool is_return;
	void *priv;
	/* pass 2: how the point was reached, for -p2's comment:
	 * "a = begin <- a,a.b" (alias chain, then the probe as written) */
	const char *origin;
	/* pass 2: the same for -t's report, as stap 4.8 prints it: the
	 * resolved point if the provider renamed it, the aliases innermost
	 * first, then the probe's first point as written ("kernel.function(
	 * \"vfs_read@fs/read_write.c:450\") from: vfs.read from: vfs.read") */
	const char *from;
	/* pass 2: -t's "(file:line:col)": the last point of the chain that
	 * named an alias, or NULL for the probe's own place */
	const struct src_loc *tloc;
	/* pass 2: the concrete point it came from (its ?/! flags, if-cond) */
	const struct probe_point *point;
	/* pass 3: its place in the program's derived list (stp_probes[]) */
	int index;
	/* pass 2: its place among its handler's points when added (the
	 * hint of dp_point_index) */
	int k;
};

struct provider {
	const char *name;
	/*
	 * The point shapes the family accepts, one per string, in the form
	 * --dump-probe-types prints: "timer.ms(number)",
	 * "kprobe.function(string).return".  Pass 2 matches a point's
	 * components (with * and ** wildcards) against these, and only calls
	 * match() with a concrete point of one of these shapes; it also makes
	 * the "probe point mismatch (similar: ...)" messages from them.
	 */
	const char *const *patterns;
	/*
	 * Pass 2: does pp belong to this family?  Returns 1 and appends
	 * struct derived_probe * to out when it matches, 0 when the point
	 * is not of this family, -1 after reporting an error.
	 */
	int (*match)(struct session *s, const struct probe_point *pp,
		     struct vec *out);
	/* -l/-L: append the canonical names of points matching pp to out
	 * (char *); NULL when the family cannot be enumerated. */
	void (*list)(struct session *s, const struct probe_point *pp,
		     struct vec *out);
	/*
	 * Pass 2: a $context variable e (E_TARGET / E_TARGET_SYM) used in a
	 * handler of dp.  Return 1 after setting e->type (and e->prov if the
	 * emitter needs data), 0 when the family does not provide it (pass 2
	 * then reports it).  NULL: the family provides none.
	 */
	int (*target_var)(struct session *s, struct derived_probe *dp,
			  struct expr *e);
	/* Pass 3: emit declarations + registration for all derived probes
	 * of this family (struct derived_probe *). */
	void (*emit)(struct tx *tx, struct vec *derived);
};

/*
 * What a provider's target_var() leaves in expr->prov (E_TARGET,
 * E_TARGET_SYM, E_CAST, E_ENTRY): its own struct whose FIRST member is a
 * struct target_ref.  Pass 3 calls emit() to write the C expression
 * (int64_t, or const char * for TY_STRING) that reads the value in the
 * current probe handler; it may raise errors with stp_error() and the
 * translator checks c->unwind after it as after any call.
 */
struct target_ref {
	void (*emit)(struct tx *tx, struct strbuf *sb, struct expr *e);
};

/* all providers, NULL-terminated (providers.c) */
extern const struct provider *const providers[];

/* ---- helpers for the pass-2 halves (providers.c) ---- */
/* component i of pp */
const struct pp_comp *pp_comp_at(const struct probe_point *pp, int i);
/* a new derived probe for pp, pp text canonicalised */
struct derived_probe *dp_new(struct session *s, const struct provider *prov,
			     const struct probe_point *pp);
/* canonical text of a concrete point: timer.ms(10), kprobe.function("f") */
const char *pp_canon(struct session *s, const struct probe_point *pp);
/* dp's place among its handler's points (probe->derived), or -1: dp->k
 * when it still holds (a scan for each point would be quadratic for
 * kernel.function("*")) */
int dp_point_index(const struct derived_probe *dp);
/* report "while resolving probe point" + msg at pp (semantic error) */
void pp_error(struct session *s, const struct probe_point *pp,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
