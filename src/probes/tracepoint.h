/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracepoint.h - kernel.trace() between its pass-2 and pass-3 halves.
 * derived_probe: sym = tracepoint name, module = its system, priv = the
 * struct tp_event (src/symbols/tracepoints.h).
 */
#ifndef STAP_PROBES_TRACEPOINT_H
#define STAP_PROBES_TRACEPOINT_H

#include "probes/provider.h"

struct tp_event;

/* a resolved $name: per derived probe of the handler (in its order), the
 * argument index (-1 absent) and its STP_TA_* narrowing */
struct tp_target {
	struct target_ref ref;
	struct elab_probe *probe;
	int n;
	signed char *idx;
	unsigned char *cast;
	bool parms;		/* $$parms / $$vars: formatted string */
	char **member;		/* $arg->a->b: per point, dw_loc.c C with
				   @@BASE@@ = the argument (needs DWARF) */
	bool string;
	struct vec idxs;	/* struct expr *: [index] expressions */
};

/* STP_TA_* of runtime/probes/stp_tracepoints.h for a type as printed */
int tp_cast_of(const char *type);

/* pass 3: a registration shared by several points (tracepoint_group.c) */
struct tp_group_head {
	int first;		/* its first point's index in the emitter's list */
	const char *fn;		/* the dispatcher, */
	const char *desc;	/* its struct stp_probe */
	int k;			/* index of the keyed handler's point */
	bool optional;
};

/*
 * Group the emitter's points (struct derived_probe *) by tracepoint; write
 * into sb the dispatcher of every group of several points (table tab is
 * declared first, its members then its heads) and push their struct
 * tp_group_head * to heads.  group[i]: the first point of i's group, -1
 * when i is alone.  Returns the number of heads.
 */
int tracepoint_groups(struct tx *tx, struct strbuf *sb, struct vec *derived,
		      const char *tab, int *group, struct vec *heads);

/* which of its probe's derived points dp is (the .pp index) */
int tracepoint_point_index(const struct derived_probe *dp);
void tracepoint_target_emit(struct tx *tx, struct strbuf *sb, struct expr *e);

#endif
