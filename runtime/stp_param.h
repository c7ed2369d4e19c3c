/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_param.h - script globals as module parameters, so that stap -G
 * NAME=VALUE (passed by staprun as NAME=VALUE on load) overrides the
 * initial value.  Numbers are 64-bit signed; strings are copied.
 */
#ifndef STP_PARAM_H
#define STP_PARAM_H

static int stp_param_set_s64(const char *val, const struct kernel_param *kp)
{
	return kstrtoll(val, 0, (long long *)kp->arg);
}

static int stp_param_get_s64(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%lld\n", *(long long *)kp->arg);
}

static const struct kernel_param_ops __maybe_unused stp_param_ops_s64 = {
	.set = stp_param_set_s64,
	.get = stp_param_get_s64,
};

/* a long global */
#define STP_PARAM_LONG(name, var) \
	module_param_cb(name, &stp_param_ops_s64, &(var), 0)
/* a string global: char var[MAXSTRINGLEN] */
#define STP_PARAM_STRING(name, var) \
	module_param_string(name, var, MAXSTRINGLEN, 0)

#endif /* STP_PARAM_H */
