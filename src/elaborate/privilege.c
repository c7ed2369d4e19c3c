/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * privilege.c - --privilege=stapusr|stapsys: refuse, after pass 2, what
 * needs more privilege.  stapsys may probe the kernel but not use guru
 * mode; stapusr may only use the probe families that cannot read or
 * disturb the kernel (begin/end/error/never, timers, its own processes).
 */
#include <string.h>

#include "diag.h"
#include "elaborate/elab.h"
#include "probes/provider.h"
#include "session.h"

static bool usr_family(const struct provider *p)
{
	static const char *const ok[] = { "begin", "timer", "process" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(p->name, ok[i]))
			return true;
	return false;
}

int elab_check_privilege(struct session *s)
{
	const struct elab_program *p = s->elab;
	int errors = s->errors;

	if (!s->privilege || !strcmp(s->privilege, "stapdev"))
		return 0;
	if (s->guru)
		diag_plain(s, "semantic error",
			   "guru mode (-g) requires --privilege=stapdev");
	if (strcmp(s->privilege, "stapusr") || !p)
		return s->errors > errors ? -1 : 0;
	vec_each(&p->derived, i) {
		const struct derived_probe *d = p->derived.v[i];

		if (!usr_family(d->prov))
			diag(s, "semantic error", &d->loc,
			     "probe point %s is not allowed for --privilege=stapusr", d->pp);
	}
	return s->errors > errors ? -1 : 0;
}
