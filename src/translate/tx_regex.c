/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_regex.c - s =~ "re" / s !~ "re": the literal POSIX extended regular
 * expression is parsed here and compiled into the instruction table that
 * runtime/stp_regex.h runs (a Pike VM).
 *
 *   alternation |, grouping ( ), repetition * + ? {m} {m,} {m,n},
 *   anchors ^ $, any character ., bracket expressions [a-z] [^...] with
 *   [:alpha:]-style classes, escapes \. \\ \n \t and \d \w \s (GNU).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "translate/tx_int.h"
#include "util/xalloc.h"

#define RE_MAXPROG 256		/* runtime/stp_limits.h STP_RE_MAXPROG */

enum { RN_EMPTY, RN_CHAR, RN_ANY, RN_CLASS, RN_BOL, RN_EOL, RN_CAT, RN_ALT, RN_REP };

struct rnode {
	int kind;
	int ch;
	unsigned char cls[32];
	struct rnode *a, *b;
	int min, max;		/* RN_REP; max -1: unbounded */
};

struct rparse {
	const char *p;
	const char *err;
	struct vec nodes;	/* every node, for freeing */
};

enum { RI_CHAR, RI_ANY, RI_CLASS, RI_BOL, RI_EOL, RI_SPLIT, RI_JMP, RI_MATCH };
static const char *const op_names[] = {
	"STP_RE_CHAR", "STP_RE_ANY", "STP_RE_CLASS", "STP_RE_BOL",
	"STP_RE_EOL", "STP_RE_SPLIT", "STP_RE_JMP", "STP_RE_MATCH",
};

struct insn {
	int op, ch, x, y, cls;	/* cls: index into classes, -1 none */
};

struct rprog {
	struct insn in[RE_MAXPROG];
	int n;
	const unsigned char *classes[RE_MAXPROG];
	int ncls;
	bool overflow;
};

static struct rnode *node(struct rparse *rp, int kind)
{
	struct rnode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	vec_push(&rp->nodes, n);
	return n;
}

static struct rnode *pair(struct rparse *rp, int kind, struct rnode *a,
			  struct rnode *b)
{
	struct rnode *n = node(rp, kind);

	n->a = a;
	n->b = b;
	return n;
}

static void set_bit(unsigned char *cls, int c)
{
	cls[(c & 0xff) >> 3] |= 1 << (c & 7);
}

static bool named_class(const char *name, size_t len, int c)
{
#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
	if (IS("alpha")) return isalpha(c);
	if (IS("digit")) return isdigit(c);
	if (IS("alnum")) return isalnum(c);
	if (IS("space")) return isspace(c);
	if (IS("upper")) return isupper(c);
	if (IS("lower")) return islower(c);
	if (IS("punct")) return ispunct(c);
	if (IS("xdigit")) return isxdigit(c);
	if (IS("print")) return isprint(c);
	if (IS("graph")) return isgraph(c);
	if (IS("cntrl")) return iscntrl(c);
	if (IS("blank")) return c == ' ' || c == '\t';
#undef IS
	return false;
}

static bool known_class(const char *name, size_t len)
{
	static const char *const names[] = { "alpha", "digit", "alnum",
		"space", "upper", "lower", "punct", "xdigit", "print", "graph",
		"cntrl", "blank" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) && !strncmp(name, names[i], len))
			return true;
	return false;
}

/* \d \w \s and their negations as a class; false if not one */
static bool escape_class(int e, unsigned char *cls)
{
	int want;

	switch (tolower(e)) {
	case 'd': case 'w': case 's':
		break;
	default:
		return false;
	}
	want = !isupper(e);
	for (int c = 1; c < 256; c++) {
		bool in = tolower(e) == 'd' ? isdigit(c) :
			tolower(e) == 's' ? isspace(c) : (isalnum(c) || c == '_');

		if (in == want)
			set_bit(cls, c);
	}
	return true;
}

static int escape_char(int e)
{
	switch (e) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	default: return e;
	}
}

static struct rnode *bracket(struct rparse *rp)
{
	struct rnode *n = node(rp, RN_CLASS);
	unsigned char set[32] = { 0 };
	bool neg = false, first = true;
	const char *p = rp->p;	/* after '[' */

	if (*p == '^') {
		neg = true;
		p++;
	}
	for (;;) {
		int lo;

		if (!*p) {
			rp->err = "unmatched [ in regular expression";
			return n;
		}
		if (*p == ']' && !first)
			break;
		first = false;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");

			if (end && known_class(p + 2, end - (p + 2))) {
				for (int c = 1; c < 256; c++)
					if (named_class(p + 2, end - (p + 2), c))
						set_bit(set, c);
				p = end + 2;
				continue;
			}
		}
		lo = (unsigned char)*p++;
		if (lo == '\\' && *p) {
			if (escape_class(*p, set)) {
				p++;
				continue;
			}
			lo = escape_char((unsigned char)*p++);
		}
		if (p[0] == '-' && p[1] && p[1] != ']') {
			int hi = (unsigned char)p[1];

			p += 2;
			if (hi == '\\' && *p)
				hi = escape_char((unsigned char)*p++);
			if (hi < lo) {
				rp->err = "invalid range in regular expression";
				return n;
			}
			for (int c = lo; c <= hi; c++)
				set_bit(set, c);
		} else {
			set_bit(set, lo);
		}
	}
	rp->p = p + 1;
	for (int i = 0; i < 32; i++)
		n->cls[i] = neg ? ~set[i] : set[i];
	if (neg)
		n->cls[0] &= ~1;	/* never NUL */
	return n;
}

static struct rnode *alt(struct rparse *rp);

static struct rnode *atom(struct rparse *rp)
{
	int c = (unsigned char)*rp->p;
	struct rnode *n;

	switch (c) {
	case '(':
		rp->p++;
		if (*rp->p == ')') {
			rp->p++;
			return node(rp, RN_EMPTY);
		}
		n = alt(rp);
		if (*rp->p != ')') {
			rp->err = "unmatched ( in regular expression";
			return n;
		}
		rp->p++;
		return n;
	case '[':
		rp->p++;
		return bracket(rp);
	case '.':
		rp->p++;
		return node(rp, RN_ANY);
	case '^':
		rp->p++;
		return node(rp, RN_BOL);
	case '$':
		rp->p++;
		return node(rp, RN_EOL);
	case '*': case '+': case '?':
		rp->err = "repetition with nothing to repeat in regular expression";
		rp->p++;
		return node(rp, RN_EMPTY);
	case '\\':
		rp->p++;
		if (!*rp->p) {
			rp->err = "trailing backslash in regular expression";
			return node(rp, RN_EMPTY);
		}
		n = node(rp, RN_CLASS);
		if (escape_class(*rp->p, n->cls)) {
			rp->p++;
			return n;
		}
		n->kind = RN_CHAR;
		n->ch = escape_char((unsigned char)*rp->p++);
		return n;
	default:
		rp->p++;
		n = node(rp, RN_CHAR);
		n->ch = c;
		return n;
	}
}

/* {m}, {m,}, {m,n} at rp->p (after '{'); false if it is not one */
static bool braces(struct rparse *rp, int *min, int *max)
{
	const char *p = rp->p;
	char *end;
	long m, n;

	if (!isdigit((unsigned char)*p))
		return false;
	m = strtol(p, &end, 10);
	p = end;
	n = m;
	if (*p == ',') {
		p++;
		if (*p == '}') {
			n = -1;
		} else {
			if (!isdigit((unsigned char)*p))
				return false;
			n = strtol(p, &end, 10);
			p = end;
		}
	}
	if (*p != '}' || m > 255 || n > 255 || (n >= 0 && n < m))
		return false;
	rp->p = p + 1;
	*min = (int)m;
	*max = (int)n;
	return true;
}

static struct rnode *repeat(struct rparse *rp)
{
	struct rnode *a = atom(rp);

	while (!rp->err) {
		int c = *rp->p, min, max;
		struct rnode *r;

		if (c == '*') {
			min = 0;
			max = -1;
		} else if (c == '+') {
			min = 1;
			max = -1;
		} else if (c == '?') {
			min = 0;
			max = 1;
		} else if (c == '{') {
			rp->p++;
			if (!braces(rp, &min, &max)) {
				rp->p--;
				break;
			}
			rp->p--;	/* the loop below steps over one char */
		} else {
			break;
		}
		rp->p++;
		r = node(rp, RN_REP);
		r->a = a;
		r->min = min;
		r->max = max;
		a = r;
	}
	return a;
}

static struct rnode *cat(struct rparse *rp)
{
	struct rnode *a = NULL;

	while (!rp->err && *rp->p && *rp->p != '|' && *rp->p != ')') {
		struct rnode *b = repeat(rp);

		a = a ? pair(rp, RN_CAT, a, b) : b;
	}
	return a ? a : node(rp, RN_EMPTY);
}

static struct rnode *alt(struct rparse *rp)
{
	struct rnode *a = cat(rp);

	while (!rp->err && *rp->p == '|') {
		rp->p++;
		a = pair(rp, RN_ALT, a, cat(rp));
	}
	return a;
}

/* ---- code ----------------------------------------------------------------- */

static int add(struct rprog *pr, int op)
{
	if (pr->n >= RE_MAXPROG) {
		pr->overflow = true;
		return RE_MAXPROG - 1;
	}
	pr->in[pr->n] = (struct insn){ .op = op, .cls = -1 };
	return pr->n++;
}

static void gen(struct rprog *pr, const struct rnode *n)
{
	int s, j;

	if (pr->overflow)
		return;
	switch (n->kind) {
	case RN_EMPTY:
		break;
	case RN_CHAR:
		pr->in[add(pr, RI_CHAR)].ch = n->ch;
		break;
	case RN_ANY:
		add(pr, RI_ANY);
		break;
	case RN_CLASS:
		s = add(pr, RI_CLASS);
		if (pr->overflow)
			break;
		for (j = 0; j < pr->ncls; j++)
			if (!memcmp(pr->classes[j], n->cls, 32))
				break;
		if (j == pr->ncls)
			pr->classes[pr->ncls++] = n->cls;
		pr->in[s].cls = j;
		break;
	case RN_BOL:
		add(pr, RI_BOL);
		break;
	case RN_EOL:
		add(pr, RI_EOL);
		break;
	case RN_CAT:
		gen(pr, n->a);
		gen(pr, n->b);
		break;
	case RN_ALT:
		s = add(pr, RI_SPLIT);
		pr->in[s].x = pr->n;
		gen(pr, n->a);
		j = add(pr, RI_JMP);
		pr->in[s].y = pr->n;
		gen(pr, n->b);
		pr->in[j].x = pr->n;
		break;
	case RN_REP:
		for (int i = 0; i < n->min; i++)
			gen(pr, n->a);
		if (n->max < 0) {
			s = add(pr, RI_SPLIT);
			pr->in[s].x = pr->n;
			gen(pr, n->a);
			j = add(pr, RI_JMP);
			pr->in[j].x = s;
			pr->in[s].y = pr->n;
		} else {
			for (int i = n->min; i < n->max; i++) {
				s = add(pr, RI_SPLIT);
				pr->in[s].x = pr->n;
				gen(pr, n->a);
				pr->in[s].y = pr->n;
			}
		}
		break;
	}
}

/*
 * Compile re; on success write its tables (named name) into decl and
 * return the instruction count, else -1 with *err set.
 */
int tx_regex_compile(const char *re, const char *name, struct strbuf *decl,
		     const char **err)
{
	struct rparse rp = { .p = re };
	struct rprog *pr = xcalloc(1, sizeof(*pr));
	struct rnode *root = alt(&rp);
	int n = -1;

	if (!rp.err && *rp.p == ')')
		rp.err = "unmatched ) in regular expression";
	if (!rp.err) {
		gen(pr, root);
		add(pr, RI_MATCH);
		if (pr->overflow)
			rp.err = "regular expression too complex";
	}
	if (rp.err) {
		*err = rp.err;
		goto out;
	}
	for (int c = 0; c < pr->ncls; c++) {
		sb_printf(decl, "static const unsigned char %s_c%d[32] = {", name, c);
		for (int i = 0; i < 32; i++)
			sb_printf(decl, "%s0x%02x", i ? ", " : " ", pr->classes[c][i]);
		sb_puts(decl, " };\n");
	}
	sb_printf(decl, "static const struct stp_re_insn %s[%d] = {\n", name, pr->n);
	for (int i = 0; i < pr->n; i++) {
		const struct insn *in = &pr->in[i];

		sb_printf(decl, "\t{ %s, %d, %d, %d", op_names[in->op], in->ch,
			  in->x, in->y);
		if (in->cls >= 0)
			sb_printf(decl, ", %s_c%d", name, in->cls);
		sb_puts(decl, " },\n");
	}
	sb_puts(decl, "};\n");
	n = pr->n;
out:
	vec_each(&rp.nodes, i)
		free(vec_get(&rp.nodes, i));
	vec_free(&rp.nodes);
	free(pr);
	return n;
}
