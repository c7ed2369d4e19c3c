/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * print.c - the canonical form of a parsed file (stap -p1).
 *
 * The output parses again to the same output: operands are parenthesised
 * only where precedence requires it, strings are re-escaped, and every
 * statement ends with ';' or '}'.  Order: embedded C, globals, functions,
 * aliases, probes (each in source order).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "parse/parse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* precedence levels, lowest first (grammar.y's expression ladder) */
enum {
	P_ASSIGN = 1, P_TERNARY, P_LOR, P_LAND, P_BOR, P_BXOR, P_BAND, P_IN,
	P_CMP, P_SHIFT, P_CONCAT, P_ADD, P_MUL, P_UNARY, P_CREMENT, P_VALUE,
};


/* output helpers: the text goes to a buffer that parse_print flushes
 * between declarations (no printf on the hot path) */
static void put_grow(struct strbuf *sb, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 4096;

	while (sb->len + n + 1 > cap)
		cap *= 2;
	sb->s = xrealloc(sb->s, cap);
	sb->cap = cap;
}

static inline void put_n(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		put_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
}

static inline void put_s(struct strbuf *sb, const char *s)
{
	put_n(sb, s, strlen(s));
}

static inline void put_c(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		put_grow(sb, 1);
	sb->s[sb->len++] = c;
}

static void put_num(struct strbuf *sb, int64_t n)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = n < 0 ? -(uint64_t)n : (uint64_t)n;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		*--p = '-';
	put_n(sb, p, (size_t)(buf + sizeof(buf) - p));
}

static void pr_expr(struct strbuf *sb, const struct expr *e, int need);
static void pr_stmt(struct strbuf *sb, const struct stmt *st, int ind);

static int bin_prec(enum ast_op op)
{
	switch (op) {
	case OP_LOR: return P_LOR;
	case OP_LAND: return P_LAND;
	case OP_OR: return P_BOR;
	case OP_XOR: return P_BXOR;
	case OP_AND: return P_BAND;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
	case OP_MATCH: case OP_NMATCH:
		return P_CMP;
	case OP_SHL: case OP_SHR: return P_SHIFT;
	case OP_CONCAT: return P_CONCAT;
	case OP_ADD: case OP_SUB: return P_ADD;
	default: return P_MUL;
	}
}

static int prec(const struct expr *e)
{
	switch (e->kind) {
	case E_ASSIGN: return P_ASSIGN;
	case E_TERNARY: return P_TERNARY;
	case E_BINARY: return bin_prec(e->op);
	case E_IN: return P_IN;
	case E_UNARY: return P_UNARY;
	case E_INCDEC: return P_CREMENT;
	case E_NUM: return e->num < 0 ? P_UNARY : P_VALUE;
	case E_TARGET: case E_CAST: case E_ATVAR:
		return e->addr_of ? P_UNARY : P_VALUE;
	default: return P_VALUE;
	}
}

static void pr_string(struct strbuf *sb, const char *s)
{
	put_c(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': put_s(sb, "\\\""); break;
		case '\\': put_s(sb, "\\\\"); break;
		case '\n': put_s(sb, "\\n"); break;
		case '\t': put_s(sb, "\\t"); break;
		case '\r': put_s(sb, "\\r"); break;
		default:
			if (*p < 32 || *p == 127) {
				char o[4] = { '\\', (char)('0' + (*p >> 6)),
					      (char)('0' + ((*p >> 3) & 7)), (char)('0' + (*p & 7)) };

				put_n(sb, o, 4);
			} else {
				put_c(sb, (char)*p);
			}
		}
	}
	put_c(sb, '"');
}

static void pr_num(struct strbuf *sb, int64_t n)
{
	if (n == INT64_MIN)
		put_s(sb, "0x8000000000000000");
	else
		put_num(sb, n);
}

static void pr_list(struct strbuf *sb, const struct vec *v)
{
	vec_each(v, i) {
		if (i)
			put_s(sb, ", ");
		pr_expr(sb, vec_get(v, i), P_ASSIGN);
	}
}

static void pr_comps(struct strbuf *sb, const struct expr *e)
{
	vec_each(&e->comps, i) {
		const struct target_comp *c = vec_get(&e->comps, i);

		if (c->kind == COMP_FIELD) {
			put_s(sb, "->");
			put_s(sb, c->name);
		} else {
			put_c(sb, '[');
			pr_expr(sb, c->index, P_ASSIGN);
			put_c(sb, ']');
		}
	}
	if (e->pretty)
		put_s(sb, e->pretty == 2 ? "$$" : "$");
}

/* a unary operator followed by its operand, without gluing "-" "-x" */
static void pr_prefix(struct strbuf *sb, const char *op, const struct expr *a, int need)
{
	size_t at;
	char c;

	put_s(sb, op);
	at = sb->len;
	pr_expr(sb, a, need);
	c = sb->len > at ? sb->s[at] : 0;
	if (c && (c == op[0] || ((op[0] == '-' || op[0] == '+') && (c == '-' || c == '+')))) {
		put_c(sb, ' ');		/* rare: shift the operand right by one */
		memmove(sb->s + at + 1, sb->s + at, sb->len - 1 - at);
		sb->s[at] = ' ';
	}
}

static void pr_expr_raw(struct strbuf *sb, const struct expr *e)
{
	switch (e->kind) {
	case E_NUM:
		pr_num(sb, e->num);
		break;
	case E_STR:
		pr_string(sb, e->str);
		break;
	case E_IDENT:
		put_s(sb, e->str);
		break;
	case E_INDEX:
		pr_expr(sb, e->a, P_VALUE);
		put_c(sb, '[');
		pr_list(sb, &e->args);
		put_c(sb, ']');
		break;
	case E_CALL:
		put_s(sb, e->str);
		put_c(sb, '(');
		pr_list(sb, &e->args);
		put_c(sb, ')');
		break;
	case E_UNARY:
		pr_prefix(sb, ast_op_text(e->op), e->a, P_UNARY);
		break;
	case E_BINARY: {
		int p = bin_prec(e->op);

		pr_expr(sb, e->a, p);
		put_c(sb, ' ');
		put_s(sb, ast_op_text(e->op));
		put_c(sb, ' ');
		pr_expr(sb, e->b, p + 1);
		break;
	}
	case E_TERNARY:
		pr_expr(sb, e->a, P_LOR);
		put_s(sb, " ? ");
		pr_expr(sb, e->b, P_ASSIGN);
		put_s(sb, " : ");
		pr_expr(sb, e->c, P_TERNARY);
		break;
	case E_ASSIGN:
		pr_expr(sb, e->a, P_TERNARY);
		put_c(sb, ' ');
		if (e->op != OP_ASSIGN && e->op != OP_STATS_ADD)
			put_s(sb, ast_op_text(e->op));
		put_s(sb, e->op == OP_STATS_ADD ? "<<< " : "= ");
		pr_expr(sb, e->b, P_ASSIGN);
		break;
	case E_INCDEC:
		if (e->postfix) {
			pr_expr(sb, e->a, P_VALUE);
			put_s(sb, ast_op_text(e->op));
		} else {
			pr_prefix(sb, ast_op_text(e->op), e->a, P_VALUE);
		}
		break;
	case E_IN:
		if (e->args.n == 1 && ((struct expr *)vec_get(&e->args, 0))->kind != E_STAR) {
			pr_expr(sb, vec_get(&e->args, 0), P_CMP);
		} else {
			put_c(sb, '[');
			pr_list(sb, &e->args);
			put_c(sb, ']');
		}
		put_s(sb, " in ");
		pr_expr(sb, e->a, P_VALUE);
		break;
	case E_STAR:
		put_c(sb, '*');
		break;
	case E_STAT:
		put_c(sb, '@');
		put_s(sb, e->str);
		put_c(sb, '(');
		pr_expr(sb, e->a, P_ASSIGN);
		if (e->b) {
			put_s(sb, ", ");
			pr_expr(sb, e->b, P_ASSIGN);
		}
		put_c(sb, ')');
		break;
	case E_HIST:
		put_s(sb, "@hist_");
		put_s(sb, e->str);
		put_c(sb, '(');
		if (e->a)
			pr_expr(sb, e->a, P_ASSIGN);
		vec_each(&e->args, i) {
			put_s(sb, ", ");
			pr_expr(sb, vec_get(&e->args, i), P_ASSIGN);
		}
		put_c(sb, ')');
		break;
	case E_TARGET:
		if (e->addr_of)
			put_c(sb, '&');
		put_c(sb, '$');
		put_s(sb, e->str);
		pr_comps(sb, e);
		break;
	case E_TARGET_SYM:
		put_s(sb, "$$");
		put_s(sb, e->str);
		pr_comps(sb, e);
		break;
	case E_AUTOCAST:
		pr_expr(sb, e->a, P_VALUE);
		pr_comps(sb, e);
		break;
	case E_CAST:
		if (e->addr_of)
			put_c(sb, '&');
		put_s(sb, "@cast(");
		pr_expr(sb, e->a, P_ASSIGN);
		put_s(sb, ", ");
		pr_string(sb, e->str);
		if (e->module) {
			put_s(sb, ", ");
			pr_string(sb, e->module);
		}
		put_c(sb, ')');
		pr_comps(sb, e);
		break;
	case E_ATVAR:
		if (e->addr_of)
			put_c(sb, '&');
		put_s(sb, "@var(");
		pr_string(sb, e->str);
		if (e->module) {
			put_s(sb, ", ");
			pr_string(sb, e->module);
		}
		put_c(sb, ')');
		pr_comps(sb, e);
		break;
	case E_DEFINED:
	case E_ENTRY:
		put_s(sb, e->kind == E_DEFINED ? "@defined(" : "@entry(");
		pr_expr(sb, e->a, P_ASSIGN);
		put_c(sb, ')');
		break;
	case E_CHOOSE:
		put_s(sb, "@choose_defined(");
		pr_expr(sb, e->a, P_ASSIGN);
		put_s(sb, ", ");
		pr_expr(sb, e->b, P_ASSIGN);
		put_c(sb, ')');
		break;
	case E_PROBEWRITE:
		put_s(sb, "@probewrite(");
		pr_expr(sb, e->a, P_ASSIGN);
		put_c(sb, ')');
		break;
	case E_PERF:
	case E_CONST:
		put_s(sb, e->kind == E_PERF ? "@perf(" : "@const(");
		pr_string(sb, e->str);
		put_c(sb, ')');
		break;
	case E_ARG:
		if (e->num < 0)
			put_s(sb, e->str_arg ? "@#" : "$#");
		else
		{
			put_c(sb, e->str_arg ? '@' : '$');
			put_num(sb, e->num);
		}
		break;
	case E_EMBEDDED:
		put_s(sb, "%{");
		put_s(sb, e->str);
		put_s(sb, "%}");
		break;
	default:
		put_s(sb, "/* ? */0");
		break;
	}
}

static void pr_expr(struct strbuf *sb, const struct expr *e, int need)
{
	bool paren = prec(e) < need;

	if (paren)
		put_c(sb, '(');
	pr_expr_raw(sb, e);
	if (paren)
		put_c(sb, ')');
}

static void indent(struct strbuf *sb, int ind)
{
	for (int i = 0; i < ind; i++)
		put_s(sb, "  ");
}

static void pr_block_body(struct strbuf *sb, const struct stmt *st, int ind)
{
	put_s(sb, "{\n");
	vec_each(&st->body, i) {
		indent(sb, ind + 1);
		pr_stmt(sb, vec_get(&st->body, i), ind + 1);
		put_c(sb, '\n');
	}
	indent(sb, ind);
	put_c(sb, '}');
}

static const char *sort_mark(int dir)
{
	return dir > 0 ? "+" : dir < 0 ? "-" : "";
}

static void pr_foreach(struct strbuf *sb, const struct foreach_info *fe)
{
	put_s(sb, "foreach (");
	if (fe->value) {
		pr_expr(sb, fe->value, P_VALUE);
		if (fe->sort_column == -1 && !fe->sort_agg)
			put_s(sb, sort_mark(fe->sort_dir));
		put_s(sb, " = ");
	}
	put_c(sb, '[');
	vec_each(&fe->keys, i) {
		if (i)
			put_s(sb, ", ");
		pr_expr(sb, vec_get(&fe->keys, i), P_VALUE);
		if (fe->sort_column == i + 1)
			put_s(sb, sort_mark(fe->sort_dir));
	}
	put_s(sb, "] in ");
	pr_expr(sb, fe->array, P_VALUE);
	if (fe->slice.n) {
		put_c(sb, '[');
		pr_list(sb, &fe->slice);
		put_c(sb, ']');
	}
	if (fe->sort_column == -1 && (!fe->value || fe->sort_agg)) {
		if (fe->sort_agg)
		{
			put_s(sb, " @");
			put_s(sb, fe->sort_agg);
		}
		put_s(sb, sort_mark(fe->sort_dir));
	}
	if (fe->limit) {
		put_s(sb, " limit ");
		pr_expr(sb, fe->limit, P_ASSIGN);
	}
	put_s(sb, ") ");
}

static void pr_stmt(struct strbuf *sb, const struct stmt *st, int ind)
{
	switch (st->kind) {
	case S_BLOCK:
		pr_block_body(sb, st, ind);
		break;
	case S_EXPR:
		pr_expr(sb, st->e, P_ASSIGN);
		put_c(sb, ';');
		break;
	case S_IF:
		put_s(sb, "if (");
		pr_expr(sb, st->e, P_ASSIGN);
		put_s(sb, ") ");
		pr_stmt(sb, st->then, ind);
		if (st->els) {
			put_s(sb, " else ");
			pr_stmt(sb, st->els, ind);
		}
		break;
	case S_WHILE:
		put_s(sb, "while (");
		pr_expr(sb, st->e, P_ASSIGN);
		put_s(sb, ") ");
		pr_stmt(sb, st->then, ind);
		break;
	case S_FOR:
		put_s(sb, "for (");
		if (st->init)
			pr_expr(sb, st->init->e, P_ASSIGN);
		put_s(sb, "; ");
		if (st->e)
			pr_expr(sb, st->e, P_ASSIGN);
		put_s(sb, "; ");
		if (st->incr)
			pr_expr(sb, st->incr->e, P_ASSIGN);
		put_s(sb, ") ");
		pr_stmt(sb, st->then, ind);
		break;
	case S_FOREACH:
		pr_foreach(sb, st->fe);
		pr_stmt(sb, st->then, ind);
		break;
	case S_BREAK:
		put_s(sb, "break;");
		break;
	case S_CONTINUE:
		put_s(sb, "continue;");
		break;
	case S_NEXT:
		put_s(sb, "next;");
		break;
	case S_RETURN:
		put_s(sb, "return");
		if (st->e) {
			put_c(sb, ' ');
			pr_expr(sb, st->e, P_ASSIGN);
		}
		put_c(sb, ';');
		break;
	case S_DELETE:
		put_s(sb, "delete ");
		pr_expr(sb, st->e, P_ASSIGN);
		put_c(sb, ';');
		break;
	case S_TRY:
		put_s(sb, "try ");
		pr_stmt(sb, st->then, ind);
		put_s(sb, " catch ");
		if (st->catch_var) {
			put_c(sb, '(');
			pr_expr(sb, st->catch_var, P_ASSIGN);
			put_s(sb, ") ");
		}
		pr_stmt(sb, st->els, ind);
		break;
	case S_NULL:
		put_c(sb, ';');
		break;
	case S_EMBEDDED:
		put_s(sb, "%{");
		put_s(sb, st->code);
		put_s(sb, "%}");
		break;
	}
}

static void pr_points(struct strbuf *sb, const struct vec *pts)
{
	vec_each(pts, i) {
		const struct probe_point *pp = vec_get(pts, i);

		if (i)
			put_s(sb, ", ");
		vec_each(&pp->comps, k) {
			const struct pp_comp *c = vec_get(&pp->comps, k);

			if (k)
				put_c(sb, '.');
			put_s(sb, c->name);
			if (c->arg) {
				put_c(sb, '(');
				if (c->arg->kind == E_NUM)
					put_num(sb, c->arg->num);
				else
					pr_expr(sb, c->arg, P_ASSIGN);
				put_c(sb, ')');
			}
		}
		if (pp->optional)
			put_c(sb, '?');
		if (pp->sufficient)
			put_c(sb, '!');
		if (pp->cond) {
			put_s(sb, " if (");
			pr_expr(sb, pp->cond, P_ASSIGN);
			put_c(sb, ')');
		}
	}
}

static const char *type_suffix(enum ast_type t)
{
	return t == TY_LONG ? ":long" : t == TY_STRING ? ":string" : "";
}

/* hand the buffered text to the stream once it is large */
static void pr_flush(struct strbuf *sb, FILE *out, bool all)
{
	if (sb->len && (all || sb->len >= 65536)) {
		fwrite(sb->s, 1, sb->len, out);
		sb->len = 0;
	}
}

void parse_print(FILE *out, const struct ast_file *f)
{
	struct strbuf sb = { 0 };

	if (!f)
		return;
	put_s(&sb, "# file ");
	put_s(&sb, f->src ? f->src->name : "?");
	put_c(&sb, '\n');
	vec_each(&f->embeds, i) {
		const struct ast_embed *e = vec_get(&f->embeds, i);

		put_s(&sb, "%{");
		put_s(&sb, e->code);
		put_s(&sb, "%}\n");
		pr_flush(&sb, out, false);
	}
	vec_each(&f->globals, i) {
		const struct ast_vardecl *v = vec_get(&f->globals, i);

		if (v->is_private)
			put_s(&sb, "private ");
		put_s(&sb, "global ");
		put_s(&sb, v->name);
		if (v->wrap)
			put_c(&sb, '%');
		if (v->size) {
			put_c(&sb, '[');
			put_num(&sb, v->size);
			put_c(&sb, ']');
		}
		if (v->init) {
			put_s(&sb, " = ");
			if (v->init->kind == E_NUM)
				put_num(&sb, v->init->num);
			else
				pr_expr(&sb, v->init, P_ASSIGN);
		}
		put_c(&sb, '\n');
		pr_flush(&sb, out, false);
	}
	vec_each(&f->funcs, i) {
		const struct ast_func *fn = vec_get(&f->funcs, i);

		if (fn->is_private)
			put_s(&sb, "private ");
		put_s(&sb, "function ");
		put_s(&sb, fn->name);
		put_s(&sb, type_suffix(fn->ret));
		put_c(&sb, '(');
		vec_each(&fn->params, k) {
			const struct ast_param *p = vec_get(&fn->params, k);

			if (k)
				put_s(&sb, ", ");
			put_s(&sb, p->name);
			put_s(&sb, type_suffix(p->type));
		}
		put_s(&sb, ") ");
		pr_stmt(&sb, fn->body, 0);
		put_c(&sb, '\n');
		pr_flush(&sb, out, false);
	}
	vec_each(&f->aliases, i) {
		const struct ast_alias *a = vec_get(&f->aliases, i);

		put_s(&sb, "probe ");
		pr_points(&sb, &a->names);
		put_s(&sb, a->epilogue ? " += " : " = ");
		pr_points(&sb, &a->points);
		put_c(&sb, ' ');
		pr_stmt(&sb, a->body, 0);
		if (a->epilogue_body) {
			put_s(&sb, ", ");
			pr_stmt(&sb, a->epilogue_body, 0);
		}
		put_c(&sb, '\n');
		pr_flush(&sb, out, false);
	}
	vec_each(&f->probes, i) {
		const struct ast_probe *p = vec_get(&f->probes, i);

		put_s(&sb, "probe ");
		pr_points(&sb, &p->points);
		put_c(&sb, ' ');
		pr_stmt(&sb, p->body, 0);
		put_c(&sb, '\n');
		pr_flush(&sb, out, false);
	}
	pr_flush(&sb, out, true);
	sb_free(&sb);
}
