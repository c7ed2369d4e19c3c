/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * begin.c - pass 2 of begin / end / error [(SEQ)] and never.
 *
 * derived_probe: sym = "begin"/"end"/"error"/"never", num[0] = sequence
 * number (0 when absent; lower runs first).
 */
#include <string.h>

#include "probes/emit.h"
#include "probes/provider.h"
#include "session.h"

extern const struct provider begin_provider;

static const char *const begin_patterns[] = {
	"begin", "begin(number)", "end", "end(number)",
	"error", "error(number)", "never", NULL,
};

static int begin_match(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	const struct pp_comp *c = pp_comp_at(pp, 0);
	struct derived_probe *dp;

	if (pp->comps.n != 1)
		return 0;
	if (strcmp(c->name, "begin") && strcmp(c->name, "end") &&
	    strcmp(c->name, "error") && strcmp(c->name, "never"))
		return 0;
	if (c->arg && (c->arg->kind != E_NUM || !strcmp(c->name, "never")))
		return 0;
	dp = dp_new(s, &begin_provider, pp);
	dp->sym = c->name;
	dp->num[0] = c->arg ? c->arg->num : 0;
	vec_push(out, dp);
	return 1;
}

static void begin_list(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	vec_push(out, (void *)pp_canon(s, pp));
}

const struct provider begin_provider = {
	.name = "begin",
	.patterns = begin_patterns,
	.match = begin_match,
	.list = begin_list,
	.emit = begin_emit,
};
