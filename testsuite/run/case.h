/* SPDX-License-Identifier: GPL-2.0-or-later */
/* case.h - run-test cases: reading *.case files and judging results */
#ifndef RUN_CASE_H
#define RUN_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "util/vec.h"

/* one expected line: literal or a full-line ERE */
struct rc_line {
	bool re;
	char *text;
};

struct rc_case {
	char *name;
	char *where;			/* file:line of "name:" */
	char *dir;			/* directory of the .case file */
	struct strbuf script;		/* script: lines */
	char *file;			/* file: (relative to dir) */
	char *stap_opts, *args, *cmd, *staprun_opts, *shell, *kmod, *skip;
	char *prog;			/* C source of a test program */
	char *prog_path;		/* its binary: same path on host and guest */
	char *needs;			/* host command; failing: SKIP */
	char *sysmod;			/* modules of the target kernel, relative
					   to /lib/modules/RELEASE/ (spaces
					   between): shipped at the same paths
					   in the guest */
	struct vec out, err;		/* struct rc_line * */
	struct vec out_has, err_has, klog_has, klog_allow;	/* char * (ERE) */
	int status;
	long timeout_s;
	bool want_timeout;		/* timed-out: yes */
	bool want_klog_bad;		/* klog-bad: yes */
	bool want_crash;		/* crashes: yes */

	/* filled by the harness */
	char *ko;			/* host path of the module */
	char *mod;			/* module name */
	char *fail;			/* why it failed before the boot */
	bool ran;
	/* results from the guest */
	bool started, ended, timed_out, left;
	int got_status;
	bool have_status;		/* a well-formed status record came */
	struct strbuf got_out, got_err, got_klog;
	char *time;
};

/* Parse every case in path, appending struct rc_case * to cases.  Errors
 * go to stderr; returns the number of errors. */
int rc_parse_file(const char *path, struct vec *cases);
/* A status record's data: the exit status, or false when malformed (then
 * the case has no status and fails). */
bool rc_set_status(struct rc_case *c, const char *data, size_t len);
/* Judge a case that ran; NULL when it passed, else a reason (malloc'd);
 * details (diffs) are appended to why. */
char *rc_judge(struct rc_case *c, struct strbuf *why);

#endif
