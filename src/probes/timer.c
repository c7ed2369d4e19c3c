/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timer.c - pass 2 of timer.{ms,msec,s,sec,us,usec,ns,nsec,jiffies}(N)
 * [.randomize(M)], timer.hz(N) and timer.profile[.tick].
 *
 * derived_probe: sym = unit ("ms", "s", "us", "ns", "jiffies", "hz",
 * "profile"; msec/sec/usec/nsec are folded into ms/s/us/ns),
 * num[0] = N as written, num[1] = randomize M (0 none),
 * num[2] = period in ns for ms/s/us/ns (0 otherwise).
 */
#include <string.h>

#include "probes/emit.h"
#include "probes/provider.h"
#include "session.h"

extern const struct provider timer_provider;

static const char *const timer_patterns[] = {
	"timer.hz(number)",
	"timer.jiffies(number)", "timer.jiffies(number).randomize(number)",
	"timer.ms(number)", "timer.ms(number).randomize(number)",
	"timer.msec(number)", "timer.msec(number).randomize(number)",
	"timer.ns(number)", "timer.ns(number).randomize(number)",
	"timer.nsec(number)", "timer.nsec(number).randomize(number)",
	"timer.profile", "timer.profile.tick",
	"timer.s(number)", "timer.s(number).randomize(number)",
	"timer.sec(number)", "timer.sec(number).randomize(number)",
	"timer.us(number)", "timer.us(number).randomize(number)",
	"timer.usec(number)", "timer.usec(number).randomize(number)",
	NULL,
};

struct unit {
	const char *name, *canon;
	int64_t ns;		/* ns per unit; 0 for jiffies */
	int64_t min, max;	/* accepted N */
};

static const struct unit units[] = {
	{ "ms", "ms", 1000000, 1, 86400000 },
	{ "msec", "ms", 1000000, 1, 86400000 },
	{ "s", "s", 1000000000, 1, 86400 },
	{ "sec", "s", 1000000000, 1, 86400 },
	{ "us", "us", 1000, 100, 86400000000LL },
	{ "usec", "us", 1000, 100, 86400000000LL },
	{ "ns", "ns", 1, 100000, 86400000000000LL },
	{ "nsec", "ns", 1, 100000, 86400000000000LL },
	{ "jiffies", "jiffies", 0, 1, 1000000 },
};

static int timer_match(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0), *c1 = pp_comp_at(pp, 1);
	const struct pp_comp *c2 = pp_comp_at(pp, 2);
	struct derived_probe *dp;

	if (!c0 || strcmp(c0->name, "timer") || !c1)
		return 0;
	if (!strcmp(c1->name, "profile")) {
		if (c1->arg || (c2 && (strcmp(c2->name, "tick") || c2->arg)) ||
		    pp->comps.n > 3)
			return 0;
		if (c2) {	/* the raw tick hook; scripts use timer.profile */
			pp_error(s, pp, "profiling timer support (register_timer_hook) not found in kernel!");
			return -1;
		}
		dp = dp_new(s, &timer_provider, pp);
		dp->sym = "profile";
		vec_push(out, dp);
		return 1;
	}
	if (!c1->arg || c1->arg->kind != E_NUM)
		return 0;
	if (!strcmp(c1->name, "hz")) {
		if (pp->comps.n != 2)
			return 0;
		if (c1->arg->num <= 0) {
			pp_error(s, pp, "frequency must be greater than 0");
			return -1;
		}
		dp = dp_new(s, &timer_provider, pp);
		dp->sym = "hz";
		dp->num[0] = c1->arg->num;
		vec_push(out, dp);
		return 1;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		const struct unit *u = &units[i];
		int64_t n = c1->arg->num, r = 0;

		if (strcmp(c1->name, u->name))
			continue;
		if (c2) {
			if (strcmp(c2->name, "randomize") || !c2->arg ||
			    c2->arg->kind != E_NUM || pp->comps.n != 3)
				return 0;
			r = c2->arg->num;
		}
		if (n < u->min || n > u->max) {
			pp_error(s, pp, "interval value out of range (%lld, %lld)",
				 (long long)u->min, (long long)u->max);
			return -1;
		}
		if (r < 0 || r > n) {
			pp_error(s, pp, "randomization value out of range");
			return -1;
		}
		dp = dp_new(s, &timer_provider, pp);
		dp->sym = u->canon;
		dp->num[0] = n;
		dp->num[1] = r;
		dp->num[2] = u->ns * n;
		vec_push(out, dp);
		return 1;
	}
	return 0;
}

static void timer_list(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	vec_push(out, (void *)pp_canon(s, pp));
}

const struct provider timer_provider = {
	.name = "timer",
	.patterns = timer_patterns,
	.match = timer_match,
	.list = timer_list,
	.emit = timer_emit,
};
