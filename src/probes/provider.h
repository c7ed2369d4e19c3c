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
};

struct provider {
	const char *name;
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
	/* Pass 3: emit declarations + registration for all derived probes
	 * of this family (struct derived_probe *). */
	void (*emit)(struct tx *tx, struct vec *derived);
};

/* all providers, NULL-terminated (providers.c) */
extern const struct provider *const providers[];

#endif
