/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * case.c - the declarative run-test format (see README) and the verdict:
 * output lines (literal or regex), exit status, module unloaded, kernel
 * log clean.
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "guest/vm.h"
#include "util/xalloc.h"

static struct rc_case *rc_new(const char *name, const char *where,
			      const char *dir)
{
	struct rc_case *c = xcalloc(1, sizeof(*c));

	c->name = xstrdup(name);
	c->where = xstrdup(where);
	c->dir = xstrdup(dir);
	c->timeout_s = 30;
	return c;
}

static void rc_set(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

static struct rc_line *rc_line(bool re, const char *text)
{
	struct rc_line *l = xmalloc(sizeof(*l));

	l->re = re;
	l->text = xstrdup(text);
	return l;
}

static int rc_valid_name(const char *n)
{
	if (!*n)
		return 0;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '_' && *n != '-')
			return 0;
	return 1;
}

int rc_parse_file(const char *path, struct vec *cases)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *dir = xstrdup(path), *slash = strrchr(dir, '/');
	size_t cap = 0;
	struct rc_case *c = NULL;
	int lineno = 0, errors = 0;
	ssize_t n;

	if (slash)
		*slash = 0;
	else
		rc_set(&dir, ".");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(dir);
		return 1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *key = line, *val, *colon;

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		if (!*line || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (!colon) {
			fprintf(stderr, "%s:%d: expected 'key: value'\n", path, lineno);
			errors++;
			continue;
		}
		*colon = 0;
		val = colon + 1;
		if (*val == ' ')
			val++;
		if (!strcmp(key, "name")) {
			char where[512];

			if (!rc_valid_name(val)) {
				fprintf(stderr, "%s:%d: bad case name '%s'\n",
					path, lineno, val);
				errors++;
			}
			snprintf(where, sizeof(where), "%s:%d", path, lineno);
			c = rc_new(val, where, dir);
			vec_push(cases, c);
			continue;
		}
		if (!c) {
			fprintf(stderr, "%s:%d: '%s' before the first 'name:'\n",
				path, lineno, key);
			errors++;
			continue;
		}
		if (!strcmp(key, "script")) {
			if (c->script.len)
				sb_putc(&c->script, '\n');
			sb_puts(&c->script, val);
		} else if (!strcmp(key, "file")) {
			rc_set(&c->file, val);
		} else if (!strcmp(key, "stap")) {
			rc_set(&c->stap_opts, val);
		} else if (!strcmp(key, "args")) {
			rc_set(&c->args, val);
		} else if (!strcmp(key, "cmd")) {
			rc_set(&c->cmd, val);
		} else if (!strcmp(key, "staprun")) {
			rc_set(&c->staprun_opts, val);
		} else if (!strcmp(key, "shell")) {
			rc_set(&c->shell, val);
		} else if (!strcmp(key, "prog")) {
			rc_set(&c->prog, val);
		} else if (!strcmp(key, "kmod")) {
			rc_set(&c->kmod, val);
		} else if (!strcmp(key, "needs")) {
			rc_set(&c->needs, val);
		} else if (!strcmp(key, "sysmod")) {
			rc_set(&c->sysmod, val);
		} else if (!strcmp(key, "skip")) {
			rc_set(&c->skip, val);
		} else if (!strcmp(key, "out") || !strcmp(key, "out-re")) {
			vec_push(&c->out, rc_line(key[3] == '-', val));
		} else if (!strcmp(key, "err") || !strcmp(key, "err-re")) {
			vec_push(&c->err, rc_line(key[3] == '-', val));
		} else if (!strcmp(key, "out-has")) {
			vec_push(&c->out_has, xstrdup(val));
		} else if (!strcmp(key, "err-has")) {
			vec_push(&c->err_has, xstrdup(val));
		} else if (!strcmp(key, "klog-has")) {
			vec_push(&c->klog_has, xstrdup(val));
		} else if (!strcmp(key, "klog-allow")) {
			vec_push(&c->klog_allow, xstrdup(val));
		} else if (!strcmp(key, "status")) {
			c->status = atoi(val);
		} else if (!strcmp(key, "crashes")) {
			c->want_crash = !strcmp(val, "yes");
		} else if (!strcmp(key, "klog-bad")) {
			c->want_klog_bad = !strcmp(val, "yes");
		} else if (!strcmp(key, "timed-out")) {
			c->want_timeout = !strcmp(val, "yes");
		} else if (!strcmp(key, "timeout")) {
			c->timeout_s = atol(val);
		} else {
			fprintf(stderr, "%s:%d: unknown key '%s'\n", path, lineno, key);
			errors++;
		}
	}
	free(line);
	free(dir);
	fclose(f);
	return errors;
}

/* full-line (re) or exact match */
static int rc_match_line(const struct rc_line *l, const char *s, size_t n)
{
	regex_t re;
	regmatch_t m;
	char *line;
	int ok;

	if (!l->re)
		return strlen(l->text) == n && !memcmp(l->text, s, n);
	if (regcomp(&re, l->text, REG_EXTENDED))
		return 0;
	line = strndup(s, n);
	ok = regexec(&re, line, 1, &m, 0) == 0 && m.rm_so == 0 &&
	     (size_t)m.rm_eo == n;
	regfree(&re);
	free(line);
	return ok;
}

/* some line of text matches the ERE */
static int rc_has(const char *pat, const char *text)
{
	regex_t re;
	int ok;

	if (regcomp(&re, pat, REG_EXTENDED | REG_NEWLINE | REG_NOSUB))
		return 0;
	ok = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static void rc_show(struct strbuf *why, const char *title, const char *text)
{
	sb_printf(why, "    %s:\n", title);
	while (*text) {
		size_t n = strcspn(text, "\n");

		sb_printf(why, "    | %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* expected lines vs the text; 0 if they match */
static int rc_check_lines(const struct vec *want, const char *text,
			  const char *what, struct strbuf *why)
{
	const char *p = text;
	int i = 0, bad = 0;

	for (; i < want->n && *p; i++) {
		const struct rc_line *l = vec_get(want, i);
		size_t n = strcspn(p, "\n");

		if (!rc_match_line(l, p, n)) {
			sb_printf(why, "    %s line %d: expected %s'%s', got '%.*s'\n",
				  what, i + 1, l->re ? "match of " : "", l->text,
				  (int)n, p);
			bad = 1;
			break;
		}
		p += n + (p[n] == '\n');
	}
	if (!bad && i < want->n) {
		sb_printf(why, "    %s: missing line %d: '%s'\n", what, i + 1,
			  ((struct rc_line *)vec_get(want, i))->text);
		bad = 1;
	}
	if (!bad && *p) {
		sb_printf(why, "    %s: unexpected line %d: '%.*s'\n", what,
			  i + 1, (int)strcspn(p, "\n"), p);
		bad = 1;
	}
	if (bad)
		rc_show(why, what, text);
	return bad;
}

/* kernel log trouble not covered by klog-allow */
static int rc_klog_bad(const struct rc_case *c, struct strbuf *why)
{
	struct strbuf bad = { 0 };
	const char *p;
	int n = 0;

	guest_klog_problems(sb_str(&c->got_klog), &bad);
	for (p = sb_str(&bad); *p; ) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);
		bool allowed = false;

		vec_each(&c->klog_allow, i)
			if (rc_has(vec_get(&c->klog_allow, i), line))
				allowed = true;
		if (!allowed) {
			if (!n++)
				sb_puts(why, "    kernel log trouble:\n");
			sb_printf(why, "    | %s\n", line);
		}
		free(line);
		p += len + (p[len] == '\n');
	}
	sb_free(&bad);
	return n;
}

bool rc_set_status(struct rc_case *c, const char *data, size_t len)
{
	char buf[16], *end;
	long v;

	c->have_status = false;
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, data, len);
	buf[len] = 0;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end || v < 0 || v > 255)
		return false;
	c->got_status = (int)v;
	c->have_status = true;
	return true;
}

char *rc_judge(struct rc_case *c, struct strbuf *why)
{
	const char *out = sb_str(&c->got_out), *err = sb_str(&c->got_err);
	struct strbuf r = { 0 };
	bool out_shown = false, err_shown = false, klog_shown = false;

	if (!c->ended)
		return xstrdup("the guest stopped during this case");
	if (c->want_crash)
		return xstrdup("the guest kernel did not crash");
	if (c->timed_out != c->want_timeout)
		sb_printf(&r, c->timed_out ? "timed out after %ld s; "
			  : "did not time out after %ld s; ", c->timeout_s);
	if (!c->have_status)
		sb_puts(&r, "no exit status record (lost or garbled); ");
	else if (c->got_status != c->status)
		sb_printf(&r, "exit status %d, expected %d; ", c->got_status,
			  c->status);
	if (c->left)
		sb_printf(&r, "module %s still loaded; ", c->mod);
	if (c->out.n && rc_check_lines(&c->out, out, "stdout", why)) {
		sb_puts(&r, "stdout differs; ");
		out_shown = true;
	}
	vec_each(&c->out_has, i)
		if (!rc_has(vec_get(&c->out_has, i), out)) {
			sb_printf(&r, "stdout lacks /%s/; ",
				  (char *)vec_get(&c->out_has, i));
			if (!out_shown)
				rc_show(why, "stdout", out);
			out_shown = true;
		}
	if (c->err.n) {
		if (rc_check_lines(&c->err, err, "stderr", why)) {
			sb_puts(&r, "stderr differs; ");
			err_shown = true;
		}
	} else if (!c->err_has.n && *err) {
		sb_puts(&r, "unexpected stderr; ");
		rc_show(why, "stderr", err);
		err_shown = true;
	}
	vec_each(&c->err_has, i)
		if (!rc_has(vec_get(&c->err_has, i), err)) {
			sb_printf(&r, "stderr lacks /%s/; ",
				  (char *)vec_get(&c->err_has, i));
			if (!err_shown)
				rc_show(why, "stderr", err);
			err_shown = true;
		}
	vec_each(&c->klog_has, i)
		if (!rc_has(vec_get(&c->klog_has, i), sb_str(&c->got_klog))) {
			sb_printf(&r, "kernel log lacks /%s/; ",
				  (char *)vec_get(&c->klog_has, i));
			if (!klog_shown)
				rc_show(why, "kernel log", sb_str(&c->got_klog));
			klog_shown = true;
		}
	if (c->want_klog_bad) {
		struct strbuf quiet = { 0 };

		if (!rc_klog_bad(c, &quiet)) {
			sb_puts(&r, "kernel log shows no trouble; ");
			if (!klog_shown)
				rc_show(why, "kernel log", sb_str(&c->got_klog));
		}
		sb_free(&quiet);
	} else if (rc_klog_bad(c, why)) {
		sb_puts(&r, "kernel log shows trouble; ");
	}
	if (!r.len)
		return NULL;
	r.s[r.len - 2] = 0;		/* the last "; " */
	return r.s;
}
