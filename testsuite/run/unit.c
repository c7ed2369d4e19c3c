/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.c - tests of the guest machinery that need no qemu: the cpio
 * writer (checked with the cpio tool), the record parser, the kernel-log
 * trouble detector and shell quoting.  Prints PASS:/FAIL: lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "guest/vm.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static int u_fail;

static void u_check(const char *name, int ok, const char *detail)
{
	printf("%s: run-unit-%s%s%s\n", ok ? "PASS" : "FAIL", name,
	       ok || !detail ? "" : ": ", ok || !detail ? "" : detail);
	u_fail |= !ok;
}

static char *u_run(const char *cmd)
{
	struct strbuf sb = { 0 };
	FILE *p = popen(cmd, "r");
	char buf[4096];
	size_t n;

	while (p && (n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_add(&sb, buf, n);
	if (p)
		pclose(p);
	return sb.s ? sb.s : xstrdup("");
}

static void u_cpio(void)
{
	char dir[] = "/tmp/stap-unit-XXXXXX";
	struct guest_cpio c;
	char *path, *list, *cmd, *got;
	int ok;

	if (!mkdtemp(dir)) {
		u_check("cpio", 0, "mkdtemp");
		return;
	}
	path = xasprintf("%s/a.cpio", dir);
	ok = guest_cpio_open(&c, path, NULL) == 0;
	guest_cpio_parents(&c, "d1/d2/f");
	guest_cpio_data(&c, "d1/d2/f", 0644, "hello\n", 6);
	guest_cpio_data(&c, "odd", 0600, "x", 1);	/* padding */
	guest_cpio_symlink(&c, "d1/link", "d2/f");
	ok = ok && guest_cpio_close(&c) == 0;
	cmd = xasprintf("cd %s && cpio -it --quiet < a.cpio 2>&1 | sort | tr '\\n' ' '", dir);
	list = u_run(cmd);
	free(cmd);
	u_check("cpio-list", ok && !strcmp(list, "d1 d1/d2 d1/d2/f d1/link odd "), list);
	cmd = xasprintf("cd %s && mkdir x && cd x && cpio -id --quiet < ../a.cpio && "
			"cat d1/link odd && stat -c %%a d1/d2/f", dir);
	got = u_run(cmd);
	free(cmd);
	u_check("cpio-extract", !strcmp(got, "hello\nx644\n"), got);
	free(got);
	free(list);

	/* a second archive appended after a base, as the guest gets them */
	{
		char *two = xasprintf("%s/b.cpio", dir);

		ok = guest_cpio_open(&c, two, path) == 0;
		guest_cpio_data(&c, "odd", 0600, "y", 1);
		ok = ok && guest_cpio_close(&c) == 0;
		/* the base comes first, byte for byte; the second archive
		 * follows it (the kernel reads both, the cpio tool one) */
		cmd = xasprintf("cd %s && cmp -n $(stat -c %%s a.cpio) a.cpio b.cpio && "
				"mkdir y && cd y && tail -c +$(($(stat -c %%s ../a.cpio) + 1)) "
				"../b.cpio | cpio -id --quiet && cat odd", dir);
		got = u_run(cmd);
		free(cmd);
		u_check("cpio-append", ok && !strcmp(got, "y"), got);
		free(got);
		free(two);
	}
	cmd = xasprintf("rm -rf %s", dir);
	free(u_run(cmd));
	free(cmd);
	free(path);
}

static void u_rec(void)
{
	static const char in[] = "noise line\n\nstatus 1 -\n0\nout 5 case-a\nab\ncd\n"
				 "left 0 x y\n\ntrunc 10 z\nabc";
	struct strbuf sb = { 0 };
	struct guest_rec r;
	size_t pos = 0;
	int ok = 1;

	sb_add(&sb, in, sizeof(in) - 1);
	ok &= guest_rec_next(&sb, &pos, &r) == 1 && !strcmp(r.key, "status") &&
	      !strcmp(r.name, "-") && r.len == 1 && r.data[0] == '0';
	ok &= guest_rec_next(&sb, &pos, &r) == 1 && !strcmp(r.key, "out") &&
	      !strcmp(r.name, "case-a") && r.len == 5 && !memcmp(r.data, "ab\ncd", 5);
	ok &= guest_rec_next(&sb, &pos, &r) == 1 && !strcmp(r.key, "left") &&
	      !strcmp(r.name, "x y") && r.len == 0;
	ok &= guest_rec_next(&sb, &pos, &r) == 0;	/* truncated */
	u_check("records", ok, "parser");
	sb_free(&sb);
}

static void u_klog(void)
{
	static const char log[] =
		"[ 1.0] foo: loading out-of-tree module taints kernel.\n"
		"[ 1.1] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2\n"
		"[ 1.2] all fine\n"
		"[ 1.3] BUG: unable to handle page fault for address: 0\n"
		"[ 1.4] =============================================================================\n"
		"[ 1.5] BUG kmalloc-32 (Tainted: G): Right Redzone overwritten\n";
	struct strbuf out = { 0 };
	int n = guest_klog_problems(log, &out);

	u_check("klog", n == 3 && strstr(out.s, "WARNING: CPU") &&
		strstr(out.s, "page fault") && strstr(out.s, "Redzone"),
		sb_str(&out));
	sb_free(&out);
}

static void u_quote(void)
{
	struct strbuf sb = { 0 };

	guest_sh_quote(&sb, "a'b $x");
	u_check("sh-quote", !strcmp(sb.s, "'a'\\''b $x'"), sb.s);
	sb_free(&sb);
}

/* a case that ended without a (well-formed) status record fails: a lost
 * record must not read as exit status 0 */
static int u_judged_ok(const char *status)
{
	struct rc_case c = { .name = "s", .mod = "s", .ended = true,
			     .started = true, .timeout_s = 30 };
	struct strbuf why = { 0 };
	char *r;

	if (status)
		rc_set_status(&c, status, strlen(status));
	r = rc_judge(&c, &why);
	free(r);
	sb_free(&why);
	return r == NULL;
}

static void u_status(void)
{
	u_check("status-0", u_judged_ok("0"), "status 0 judged a failure");
	u_check("status-lost", !u_judged_ok(NULL), "no status record passed");
	u_check("status-garbled", !u_judged_ok("") && !u_judged_ok("0x") &&
		!u_judged_ok("-1"), "a garbled status passed");
	u_check("status-1", !u_judged_ok("1"), "status 1 passed");
}

int main(void)
{
	u_status();
	u_cpio();
	u_rec();
	u_klog();
	u_quote();
	return u_fail;
}
