/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer_emit.c - pass 3 of timer.* (see timer.c for the derived_probe
 * fields): one struct stp_timer per interval timer, one struct stp_profile
 * per timer.profile probe (runtime/stp_timer.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "elaborate/elab.h"
#include "probes/emit.h"
#include "probes/provider.h"
#include "translate/tx_emit.h"

/* the period and randomization as C expressions in ns */
static void period(const struct derived_probe *dp, char *per, char *rnd,
		   size_t n)
{
	if (!strcmp(dp->sym, "jiffies")) {
		snprintf(per, n, "%" PRId64 "ULL * TICK_NSEC", dp->num[0]);
		snprintf(rnd, n, "%" PRId64 "ULL * TICK_NSEC", dp->num[1]);
	} else if (!strcmp(dp->sym, "hz")) {
		snprintf(per, n, "NSEC_PER_SEC / %" PRId64 "ULL", dp->num[0]);
		snprintf(rnd, n, "0");
	} else {
		int64_t unit = dp->num[0] ? dp->num[2] / dp->num[0] : 1;

		snprintf(per, n, "%" PRId64 "ULL", dp->num[2]);
		snprintf(rnd, n, "%" PRId64 "ULL", dp->num[1] * unit);
	}
}

void timer_emit(struct tx *tx, struct vec *derived)
{
	int ntimers = 0;
	char buf[160], per[64], rnd[64];

	vec_each(derived, i) {
		struct derived_probe *dp = vec_get(derived, i);

		if (strcmp(dp->sym, "profile"))
			ntimers++;
	}
	if (ntimers) {
		tx_printf(tx, "static struct stp_timer stp_timers[%d] = {\n", ntimers);
		vec_each(derived, i) {
			struct derived_probe *dp = vec_get(derived, i);

			if (!strcmp(dp->sym, "profile"))
				continue;
			period(dp, per, rnd, sizeof(per));
			tx_printf(tx, "\t{ .probe = %s, .period_ns = %s, .rand_ns = %s },"
				  "\t/* %s */\n", tx_probe_ref(tx, dp), per, rnd,
				  dp->pp);
		}
		tx_printf(tx, "};\n");
		snprintf(buf, sizeof(buf), "stp_timers_start(stp_timers, %d)", ntimers);
		snprintf(per, sizeof(per), "stp_timers_stop(stp_timers, %d)", ntimers);
		tx_on_register(tx, buf, per);
	}
	vec_each(derived, i) {
		struct derived_probe *dp = vec_get(derived, i);
		const char *name;
		char stop[96];

		if (strcmp(dp->sym, "profile"))
			continue;
		name = tx_unique(tx, "stp_profile");
		tx_printf(tx, "static struct stp_profile %s = { .probe = %s };\t/* %s */\n",
			  name, tx_probe_ref(tx, dp), dp->pp);
		snprintf(buf, sizeof(buf), "stp_profile_start(&%s)", name);
		snprintf(stop, sizeof(stop), "stp_profile_stop(&%s)", name);
		tx_on_register(tx, buf, stop);
	}
}
