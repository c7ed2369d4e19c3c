/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * begin_emit.c - pass 3 of begin / end / error [(SEQ)] and never: one table
 * sorted by sequence number (ties keep script order), run by
 * runtime/stp_be.h at session start (begin) and stop (end, or error after
 * errors).  never probes emit nothing.
 */
#include <string.h>

#include "elaborate/elab.h"
#include "probes/emit.h"
#include "probes/provider.h"
#include "translate/tx_emit.h"
#include "util/xalloc.h"

void begin_emit(struct tx *tx, struct vec *derived)
{
	struct vec v = { 0 };
	char buf[96];

	vec_each(derived, i) {
		struct derived_probe *dp = vec_get(derived, i);
		int j;

		if (!strcmp(dp->sym, "never"))
			continue;
		/* stable insertion by sequence number */
		vec_push(&v, dp);
		for (j = v.n - 1; j > 0; j--) {
			struct derived_probe *a = vec_get(&v, j - 1);

			if (a->num[0] <= dp->num[0])
				break;
			v.v[j] = a;
		}
		v.v[j] = dp;
	}
	if (!v.n) {
		vec_free(&v);
		return;
	}
	tx_printf(tx, "static const struct stp_be stp_be_probes[%d] = {\n", v.n);
	vec_each(&v, i) {
		struct derived_probe *dp = vec_get(&v, i);
		const char *type = !strcmp(dp->sym, "begin") ? "STP_BE_BEGIN" :
			!strcmp(dp->sym, "end") ? "STP_BE_END" : "STP_BE_ERROR";

		tx_printf(tx, "\t{ %s, %s },\t/* %s */\n",
			  tx_probe_ref(tx, dp), type, dp->pp);
	}
	tx_printf(tx, "};\n");
	snprintf(buf, sizeof(buf), "stp_be_run(stp_be_probes, %d, STP_BE_BEGIN)", v.n);
	tx_on_begin(tx, buf);
	snprintf(buf, sizeof(buf), "stp_be_run_end(stp_be_probes, %d)", v.n);
	tx_on_end(tx, buf);
	vec_free(&v);
}
