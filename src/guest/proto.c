/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.c - reading what the guest reports: framed records from ttyS3 and
 * the kernel log lines that mean trouble.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/vm.h"
#include "util/strbuf.h"

int guest_rec_next(const struct strbuf *rec, size_t *pos, struct guest_rec *r)
{
	const char *s = rec->s, *end = rec->s + rec->len;

	while (s && s + *pos < end) {
		const char *line = s + *pos;
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		char hdr[320];
		unsigned long long len;
		int name_at = 0;
		size_t hl;

		if (!nl)
			return 0;
		hl = (size_t)(nl - line);
		*pos += hl + 1;
		if (hl >= sizeof(hdr))
			continue;	/* noise */
		memcpy(hdr, line, hl);
		hdr[hl] = 0;
		memset(r, 0, sizeof(*r));
		if (sscanf(hdr, "%31s %llu %n", r->key, &len, &name_at) < 2)
			continue;	/* noise (e.g. an empty line) */
		if (name_at)
			snprintf(r->name, sizeof(r->name), "%s", hdr + name_at);
		if ((size_t)(end - nl - 1) < len)
			return 0;	/* truncated: the guest died mid-record */
		r->data = nl + 1;
		r->len = (size_t)len;
		*pos += (size_t)len;
		if (s + *pos < end && s[*pos] == '\n')
			(*pos)++;
		return 1;
	}
	return 0;
}

/*
 * The kernel-log lines that show trouble: each appended to out (when not
 * NULL) and counted; *first (when not NULL) gets the first one's start.
 */
static int klog_scan(const char *log, struct strbuf *out, const char **first)
{
	static const char pat[] =
		"(BUG:|BUG [^ ]+ \\(|WARNING:|Oops|general protection fault|kernel BUG|"
		"Kernel panic|UBSAN:|KASAN:|kmemleak|unreferenced object|"
		"Call Trace:|soft lockup|hard LOCKUP|rcu.*(stall|self-detected)|"
		"blocked for more than|list_(add|del) corruption|"
		"refcount_t:|double free|use-after-free|"
		"[Ll]eak(ed)? (of|detected)|memory leak)";
	regex_t re;
	int n = 0;

	if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB))
		return 0;
	while (log && *log) {
		const char *nl = strchr(log, '\n');
		size_t len = nl ? (size_t)(nl - log) : strlen(log);
		char *line = strndup(log, len);

		if (line && regexec(&re, line, 0, NULL, 0) == 0) {
			if (out) {
				sb_puts(out, line);
				sb_putc(out, '\n');
			}
			if (first && !n)
				*first = log;
			n++;
		}
		free(line);
		log += len + (nl ? 1 : 0);
	}
	regfree(&re);
	return n;
}

int guest_klog_problems(const char *log, struct strbuf *out)
{
	return klog_scan(log, out, NULL);
}

const char *guest_klog_first_problem(const char *log)
{
	const char *first = NULL;

	klog_scan(log, NULL, &first);
	return first;
}
