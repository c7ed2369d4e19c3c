/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regex-test.c - the =~ compiler (src/translate/tx_regex.c) and matcher
 * (runtime/stp_regex.h) against the C library's regexec(REG_EXTENDED) on
 * every pattern x subject pair below.  Prints PASS:/FAIL: lines.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../src/translate/tx_regex.c"

typedef uint16_t u16;
#define __maybe_unused __attribute__((unused))
#define MAXSTRINGLEN 512
#define STP_RE_MAXPROG 256
struct stp_context {
	u16 re_work[5 * STP_RE_MAXPROG + 2];
};
#include "../../runtime/stp_regex.h"

/* needed by tx_regex.c's includes, unused here */
void tx_error(struct tx *tx, const struct src_loc *loc, const char *fmt, ...)
{
	(void)tx; (void)loc; (void)fmt;
}

static int failed, checks;

static void one(const char *re, const char *const *subjects)
{
	struct rparse rp = { .p = re };
	struct rprog *pr = xcalloc(1, sizeof(*pr));
	struct rnode *root = alt(&rp);
	struct stp_re_insn prog[RE_MAXPROG];
	static struct stp_context c;
	regex_t rx;

	if (rp.err || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) {
		printf("FAIL: regex: cannot compile '%s': %s\n", re, rp.err ? rp.err : "libc");
		failed++;
		return;
	}
	gen(pr, root);
	add(pr, RI_MATCH);
	for (int i = 0; i < pr->n; i++) {
		prog[i] = (struct stp_re_insn){ (unsigned char)pr->in[i].op,
			(unsigned char)pr->in[i].ch, (unsigned short)pr->in[i].x,
			(unsigned short)pr->in[i].y,
			pr->in[i].cls >= 0 ? pr->classes[pr->in[i].cls] : NULL };
	}
	for (const char *const *s = subjects; *s; s++) {
		int want = regexec(&rx, *s, 0, NULL, 0) == 0;
		int got = (int)stp_regex_match(&c, prog, pr->n, *s);

		checks++;
		if (want != got) {
			printf("FAIL: regex: '%s' =~ '%s' gave %d, libc %d\n", *s, re, got, want);
			failed++;
		}
	}
	regfree(&rx);
	vec_each(&rp.nodes, i)
		free(vec_get(&rp.nodes, i));
	vec_free(&rp.nodes);
	free(pr);
}

int main(void)
{
	static const char *const subjects[] = { "", "a", "b", "ab", "abc", "aab",
		"abab", "hello", "hello world", "Hello", "hallo", "helllo", "x1y22z333",
		"2024-01-02", "foo.bar", "foo_bar", "a+b", "(x)", "tab\there", "ssh",
		"sshd", "bash", "/usr/bin/ssh", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "[]", "-", NULL };
	static const char *const patterns[] = {
		"", "a", "^a", "a$", "^$", "^a$", "ab|cd", "a*", "a+b", "a?b", "^(ab)+$",
		"(a|b)*c", "h(e|a)l+o", "^h.llo$", "[[:digit:]]{2,3}", "[0-9]{4}-[0-9]{2}-[0-9]{2}",
		"foo\\.bar", "foo.bar", "[^a-z]", "^[a-z_]+$", "a\\+b", "\\(x\\)", "[[:space:]]",
		"^ssh", "ssh$", "^(ssh|bash)$", "(a*)*b", "(a|aa)+$", "a{3,}b", "a{2}", "x{0,1}y",
		"[]a]", "[a-]", "^-", "(^a|b$)", "[[:upper:]]", "l{2,}o", "((a))", "()a",
		NULL };

	for (const char *const *p = patterns; *p; p++)
		one(*p, subjects);
	printf("%s: regex: %d matches compared with libc regexec\n",
	       failed ? "FAIL" : "PASS", checks);
	return failed != 0;
}
