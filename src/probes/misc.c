/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * misc.c - pass 2 of the families that need no debuginfo but are not
 * translated yet: procfs, perf, netfilter, kernel.data and the
 * process begin/end/thread/syscall points.  Scripts using them elaborate
 * (-p2, -l/-L) as with stap; pass 3 reports the family as not translatable
 * (their ->emit is NULL) until an emitter is written.
 *
 * derived_probe: sym = family ("procfs", "perf", "netfilter",
 * "kernel.data", "process"), module = the string argument (procfs file,
 * netfilter hook, data symbol, process path), num[0..3] = numeric
 * arguments in point order, is_return for process.syscall.return.
 */
#include <string.h>

#include "probes/provider.h"
#include "session.h"

extern const struct provider procfs_provider, perf_provider,
	netfilter_provider, kdata_provider, process_provider;

static const char *const procfs_patterns[] = {
	"procfs.read", "procfs.read.maxsize(number)",
	"procfs.umask(number).read", "procfs.umask(number).read.maxsize(number)",
	"procfs.umask(number).write", "procfs.write",
	"procfs(string).read", "procfs(string).read.maxsize(number)",
	"procfs(string).umask(number).read",
	"procfs(string).umask(number).read.maxsize(number)",
	"procfs(string).umask(number).write", "procfs(string).write",
	NULL,
};

static const char *const perf_patterns[] = {
	"perf.type(number).config(number)",
	"perf.type(number).config(number).counter(string)",
	"perf.type(number).config(number).hz(number)",
	"perf.type(number).config(number).process",
	"perf.type(number).config(number).process(string)",
	"perf.type(number).config(number).process(string).counter(string)",
	"perf.type(number).config(number).sample(number)",
	NULL,
};

static const char *const netfilter_patterns[] = {
	"netfilter.hook(string).pf(string)",
	"netfilter.hook(string).pf(string).priority(string)",
	"netfilter.pf(string).hook(string)",
	"netfilter.pf(string).hook(string).priority(string)",
	NULL,
};

static const char *const kdata_patterns[] = {
	"kernel.data(number).length(number).rw",
	"kernel.data(number).length(number).write",
	"kernel.data(number).rw", "kernel.data(number).write",
	"kernel.data(string).rw", "kernel.data(string).write",
	NULL,
};

static const char *const process_patterns[] = {
	"process.begin", "process.end", "process.syscall",
	"process.syscall.return", "process.thread.begin", "process.thread.end",
	"process(number).begin", "process(number).end",
	"process(number).insn", "process(number).insn.block",
	"process(number).syscall", "process(number).syscall.return",
	"process(number).thread.begin", "process(number).thread.end",
	"process(string).begin", "process(string).end",
	"process(string).insn", "process(string).insn.block",
	"process(string).syscall", "process(string).syscall.return",
	"process(string).thread.begin", "process(string).thread.end",
	NULL,
};

static bool first_is(const struct probe_point *pp, const char *a, const char *b)
{
	const struct pp_comp *c0 = pp_comp_at(pp, 0), *c1 = pp_comp_at(pp, 1);

	if (!c0 || strcmp(c0->name, a))
		return false;
	return !b || (c1 && !strcmp(c1->name, b));
}

static bool has_comp(const struct probe_point *pp, const char *name)
{
	vec_each(&pp->comps, i)
		if (!strcmp(((struct pp_comp *)vec_get(&pp->comps, i))->name, name))
			return true;
	return false;
}

/* the family's derived probe with its literal arguments recorded */
static struct derived_probe *derive(struct session *s,
				    const struct provider *prov,
				    const struct probe_point *pp, const char *fam)
{
	struct derived_probe *dp = dp_new(s, prov, pp);
	int n = 0;

	dp->sym = fam;
	vec_each(&pp->comps, i) {
		const struct pp_comp *c = vec_get(&pp->comps, i);

		if (!c->arg)
			continue;
		if (c->arg->kind == E_STR && !dp->module)
			dp->module = c->arg->str;
		else if (c->arg->kind == E_NUM && n < 4)
			dp->num[n++] = c->arg->num;
	}
	dp->is_return = has_comp(pp, "return");
	return dp;
}

static int procfs_match(struct session *s, const struct probe_point *pp,
			struct vec *out)
{
	if (!first_is(pp, "procfs", NULL))
		return 0;
	vec_push(out, derive(s, &procfs_provider, pp, "procfs"));
	return 1;
}

static int procfs_var(struct session *s, struct derived_probe *dp,
		      struct expr *e)
{
	if (e->kind != E_TARGET || strcmp(e->str, "value") || e->comps.n)
		return 0;
	e->type = TY_STRING;
	return 1;
}

static int perf_match(struct session *s, const struct probe_point *pp,
		      struct vec *out)
{
	if (!first_is(pp, "perf", "type"))
		return 0;
	vec_push(out, derive(s, &perf_provider, pp, "perf"));
	return 1;
}

static int netfilter_match(struct session *s, const struct probe_point *pp,
			   struct vec *out)
{
	const char *hook = NULL, *pf = NULL;

	if (!first_is(pp, "netfilter", NULL))
		return 0;
	vec_each(&pp->comps, i) {
		const struct pp_comp *c = vec_get(&pp->comps, i);

		if (!strcmp(c->name, "hook") && c->arg)
			hook = c->arg->str;
		else if (!strcmp(c->name, "pf") && c->arg)
			pf = c->arg->str;
	}
	if (hook && strncmp(hook, "NF_", 3) && !s->guru) {
		pp_error(s, pp, "unsupported netfilter hook \"%s\" for protocol family \"%s\"; need stap -g",
			 hook, pf ? pf : "");
		return -1;
	}
	if (pf && strncmp(pf, "NFPROTO_", 8) && !s->guru) {
		pp_error(s, pp, "unsupported netfilter protocol family \"%s\"; need stap -g", pf);
		return -1;
	}
	vec_push(out, derive(s, &netfilter_provider, pp, "netfilter"));
	return 1;
}

static int netfilter_var(struct session *s, struct derived_probe *dp,
			 struct expr *e)
{
	static const char *const vars[] = {
		"hooknum", "skb", "in", "out", "indev", "outdev", "okfn",
		"verdict", NULL,
	};

	if (e->kind != E_TARGET)
		return 0;
	for (int i = 0; vars[i]; i++) {
		if (!strcmp(e->str, vars[i])) {
			e->type = TY_LONG;
			return 1;
		}
	}
	return 0;
}

static int kdata_match(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	if (!first_is(pp, "kernel", "data"))
		return 0;
	vec_push(out, derive(s, &kdata_provider, pp, "kernel.data"));
	return 1;
}

static int process_match(struct session *s, const struct probe_point *pp,
			 struct vec *out)
{
	if (!first_is(pp, "process", NULL))
		return 0;
	if (has_comp(pp, "insn")) {
		pp_error(s, pp, "process probes not available without kernel CONFIG_UTRACE");
		return -1;
	}
	vec_push(out, derive(s, &process_provider, pp, "process"));
	return 1;
}

static int process_var(struct session *s, struct derived_probe *dp,
		       struct expr *e)
{
	const char *n = e->str;

	if (e->kind != E_TARGET || !dp->pp || !strstr(dp->pp, ".syscall"))
		return 0;
	if (!strcmp(n, "syscall") || (!strncmp(n, "arg", 3) && n[3] >= '1' &&
				       n[3] <= '6' && !n[4]) ||
	    (dp->is_return && !strcmp(n, "return"))) {
		e->type = TY_LONG;
		return 1;
	}
	return 0;
}

static void canon_list(struct session *s, const struct probe_point *pp,
		       struct vec *out)
{
	vec_push(out, (void *)pp_canon(s, pp));
}

const struct provider procfs_provider = {
	.name = "procfs", .patterns = procfs_patterns, .match = procfs_match,
	.list = canon_list, .target_var = procfs_var,
};
const struct provider perf_provider = {
	.name = "perf", .patterns = perf_patterns, .match = perf_match,
	.list = canon_list,
};
const struct provider netfilter_provider = {
	.name = "netfilter", .patterns = netfilter_patterns,
	.match = netfilter_match, .list = canon_list,
	.target_var = netfilter_var,
};
const struct provider kdata_provider = {
	.name = "kernel.data", .patterns = kdata_patterns, .match = kdata_match,
	.list = canon_list,
};
const struct provider process_provider = {
	.name = "process", .patterns = process_patterns,
	.match = process_match, .list = canon_list,
	.target_var = process_var,
};
