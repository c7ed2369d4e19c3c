/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_regex.h - s =~ "regex": the translator compiles the (literal) POSIX
 * extended regular expression into a small program (src/translate/
 * tx_regex.c); this runs it over the string as a Pike VM: every thread
 * advances one character at a time, so time is O(length x program) and
 * memory a fixed scratch area of the context, no recursion, no allocation.
 * Unanchored: a match may start anywhere unless the pattern says ^.
 */
#ifndef STP_REGEX_H
#define STP_REGEX_H

enum {
	STP_RE_CHAR,		/* ch */
	STP_RE_ANY,
	STP_RE_CLASS,		/* cls: 256-bit set */
	STP_RE_BOL,
	STP_RE_EOL,
	STP_RE_SPLIT,		/* x, then y */
	STP_RE_JMP,		/* x */
	STP_RE_MATCH,
};

struct stp_re_insn {
	unsigned char op, ch;
	unsigned short x, y;
	const unsigned char *cls;
};

/* add pc and what it reaches without input to list; true on MATCH */
static bool stp_re_add(const struct stp_re_insn *p, u16 *list, int *n,
		       u16 *mark, u16 gen, u16 *stack, int pc, bool bol,
		       bool eol)
{
	int sp = 0;

	stack[sp++] = pc;
	while (sp) {
		pc = stack[--sp];
		if (mark[pc] == gen)
			continue;
		mark[pc] = gen;
		switch (p[pc].op) {
		case STP_RE_JMP:
			stack[sp++] = p[pc].x;
			break;
		case STP_RE_SPLIT:
			stack[sp++] = p[pc].y;
			stack[sp++] = p[pc].x;
			break;
		case STP_RE_BOL:
			if (bol)
				stack[sp++] = pc + 1;
			break;
		case STP_RE_EOL:
			if (eol)
				stack[sp++] = pc + 1;
			break;
		case STP_RE_MATCH:
			return true;
		default:
			list[(*n)++] = pc;
			break;
		}
	}
	return false;
}

static bool stp_re_step(const struct stp_re_insn *in, unsigned char ch)
{
	switch (in->op) {
	case STP_RE_CHAR:
		return in->ch == ch;
	case STP_RE_ANY:
		return true;
	case STP_RE_CLASS:
		return in->cls[ch >> 3] & (1 << (ch & 7));
	default:
		return false;
	}
}

/* 1 if s matches the program p of n instructions, else 0 */
static int64_t __maybe_unused stp_regex_match(struct stp_context *c,
					      const struct stp_re_insn *p,
					      int n, const char *s)
{
	u16 *cl = c->re_work, *nl = cl + n, *mark = nl + n, *stack = mark + n;
	size_t i, len = strnlen(s, MAXSTRINGLEN);
	int ncl = 0, nnl, k;
	u16 gen = 1;

	memset(mark, 0, n * sizeof(*mark));
	if (stp_re_add(p, cl, &ncl, mark, gen, stack, 0, true, len == 0))
		return 1;
	for (i = 0; i < len; i++) {
		unsigned char ch = s[i];
		bool eol = i + 1 == len;
		u16 *t;

		gen++;
		nnl = 0;
		for (k = 0; k < ncl; k++)
			if (stp_re_step(&p[cl[k]], ch) &&
			    stp_re_add(p, nl, &nnl, mark, gen, stack, cl[k] + 1,
				       false, eol))
				return 1;
		if (stp_re_add(p, nl, &nnl, mark, gen, stack, 0, false, eol))
			return 1;
		t = cl;
		cl = nl;
		nl = t;
		ncl = nnl;
	}
	return 0;
}

#endif /* STP_REGEX_H */
