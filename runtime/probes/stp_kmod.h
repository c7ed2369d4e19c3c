/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_kmod.h - the points of module("m").function()/.statement() for one
 * named module: registered at session start when the module is loaded,
 * otherwise when it loads (module notifier, MODULE_STATE_COMING, before
 * its init runs), and unregistered when it goes (MODULE_STATE_GOING), as
 * often as it comes and goes.  The points are a stp_kprobes.h table.
 */
#ifndef STP_KMOD_H
#define STP_KMOD_H

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>

#include "probes/stp_kprobes.h"

struct stp_kmod_set {
	const char *module;		/* as loaded: "dummy" */
	struct stp_kprobe *ps;
	unsigned int n;
	struct stp_ftrace *ft;
	/* runtime state */
	struct notifier_block nb;
	struct mutex lock;
	bool active;			/* between register and unregister */
	bool armed;			/* ps registered */
};

/*
 * Is the module there?  A disabled kprobe on one of its symbols resolves
 * "module:symbol" without arming anything (-ENOENT: not loaded).
 */
static bool stp_kmod_loaded(struct stp_kmod_set *set)
{
	struct kprobe kp;
	unsigned int i, j;
	int rc;

	/* a point that stays (init code is gone once the module runs) */
	for (i = 0; i < set->n; i++)
		if (set->ps[i].symbol && !set->ps[i].optional)
			break;
	for (j = 0; i == set->n && j < set->n; j++)
		if (set->ps[j].symbol)
			i = j;
	if (i == set->n)
		return true;		/* nothing to test with: try them */
	memset(&kp, 0, sizeof(kp));
	kp.symbol_name = set->ps[i].symbol;
	kp.flags = KPROBE_FLAG_DISABLED;
	rc = register_kprobe(&kp);
	if (!rc)
		unregister_kprobe(&kp);
	return rc != -ENOENT;
}

static int stp_kmod_notify(struct notifier_block *nb, unsigned long val,
			   void *data)
{
	struct stp_kmod_set *set = container_of(nb, struct stp_kmod_set, nb);
	struct module *mod = data;

	if (!mod || strcmp(mod->name, set->module))
		return NOTIFY_DONE;
	mutex_lock(&set->lock);
	if (val == MODULE_STATE_COMING && set->active && !set->armed) {
		set->armed = !stp_kprobes_register(set->ps, set->n, set->ft);
	} else if (val == MODULE_STATE_GOING && set->armed) {
		stp_kprobes_unregister(set->ps, set->n, set->ft);
		set->armed = false;
	}
	mutex_unlock(&set->lock);
	return NOTIFY_DONE;
}

/* 0, or the error of registering the points of a loaded module */
static int __maybe_unused stp_kmod_register(struct stp_kmod_set *set)
{
	int rc;

	mutex_init(&set->lock);
	set->armed = false;
	set->active = true;
	memset(&set->nb, 0, sizeof(set->nb));
	set->nb.notifier_call = stp_kmod_notify;
	/* first the notifier: a module loading meanwhile is not missed */
	rc = register_module_notifier(&set->nb);
	if (rc)
		return rc;
	mutex_lock(&set->lock);
	if (!set->armed && stp_kmod_loaded(set)) {
		rc = stp_kprobes_register(set->ps, set->n, set->ft);
		set->armed = !rc;
	}
	if (rc)
		set->active = false;
	mutex_unlock(&set->lock);
	if (rc)
		unregister_module_notifier(&set->nb);
	return rc;
}

static void __maybe_unused stp_kmod_unregister(struct stp_kmod_set *set)
{
	unregister_module_notifier(&set->nb);
	mutex_lock(&set->lock);
	set->active = false;
	if (set->armed)
		stp_kprobes_unregister(set->ps, set->n, set->ft);
	set->armed = false;
	mutex_unlock(&set->lock);
}

#endif /* STP_KMOD_H */
