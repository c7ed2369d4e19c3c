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

/* precedence levels, lowest first (grammar.y's expression ladder) */
enum {
	P_ASSIGN = 1, P_TERNARY, P_LOR, P_LAND, P_BOR, P_BXOR, P_BAND, P_IN,
	P_CMP, P_SHIFT, P_CONCAT, P_ADD, P_MUL, P_UNARY, P_CREMENT, P_VALUE,
};

static void pr_expr(struct strbuf *sb, const struct expr *e, int need);
static void pr_stmt(struct strbuf *sb, const struct stmt *st, int ind);

static const char *op_text(enum ast_op op)
{
	switch (op) {
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	case OP_MOD: return "%";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_AND: return "&";
	case OP_OR: return "|";
	case OP_XOR: return "^";
	case OP_LAND: return "&&";
	case OP_LOR: return "||";
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_CONCAT: return ".";
	case OP_MATCH: return "=~";
	case OP_NMATCH: return "!~";
	case OP_NEG: return "-";
	case OP_NOT: return "!";
	case OP_BNOT: return "~";
	case OP_PLUS: return "+";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	case OP_ASSIGN: return "=";
	case OP_STATS_ADD: return "<<<";
	case OP_ADDR: return "&";
	default: return "?";
	}
}

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
	sb_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		default:
			if (*p < 32 || *p == 127)
				sb_printf(sb, "\\%03o", *p);
			else
				sb_putc(sb, (char)*p);
		}
	}
	sb_putc(sb, '"');
}

static void pr_num(struct strbuf *sb, int64_t n)
{
	if (n == INT64_MIN)
		sb_puts(sb, "0x8000000000000000");
	else
		sb_printf(sb, "%" PRId64, n);
}

static void pr_list(struct strbuf *sb, const struct vec *v)
{
	vec_each(v, i) {
		if (i)
			sb_puts(sb, ", ");
		pr_expr(sb, vec_get(v, i), P_ASSIGN);
	}
}

static void pr_comps(struct strbuf *sb, const struct expr *e)
{
	vec_each(&e->comps, i) {
		const struct target_comp *c = vec_get(&e->comps, i);

		if (c->kind == COMP_FIELD) {
			sb_puts(sb, "->");
			sb_puts(sb, c->name);
		} else {
			sb_putc(sb, '[');
			pr_expr(sb, c->index, P_ASSIGN);
			sb_putc(sb, ']');
		}
	}
	if (e->pretty)
		sb_puts(sb, e->pretty == 2 ? "$$" : "$");
}

/* a unary operator followed by its operand, without gluing "-" "-x" */
static void pr_prefix(struct strbuf *sb, const char *op, const struct expr *a, int need)
{
	struct strbuf tmp = { 0 };

	pr_expr(&tmp, a, need);
	sb_puts(sb, op);
	if (tmp.len && (tmp.s[0] == op[0] || ((op[0] == '-' || op[0] == '+') &&
					      (tmp.s[0] == '-' || tmp.s[0] == '+'))))
		sb_putc(sb, ' ');
	sb_add(sb, sb_str(&tmp), tmp.len);
	sb_free(&tmp);
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
		sb_puts(sb, e->str);
		break;
	case E_INDEX:
		pr_expr(sb, e->a, P_VALUE);
		sb_putc(sb, '[');
		pr_list(sb, &e->args);
		sb_putc(sb, ']');
		break;
	case E_CALL:
		sb_puts(sb, e->str);
		sb_putc(sb, '(');
		pr_list(sb, &e->args);
		sb_putc(sb, ')');
		break;
	case E_UNARY:
		pr_prefix(sb, op_text(e->op), e->a, P_UNARY);
		break;
	case E_BINARY: {
		int p = bin_prec(e->op);

		pr_expr(sb, e->a, p);
		sb_printf(sb, " %s ", op_text(e->op));
		pr_expr(sb, e->b, p + 1);
		break;
	}
	case E_TERNARY:
		pr_expr(sb, e->a, P_LOR);
		sb_puts(sb, " ? ");
		pr_expr(sb, e->b, P_ASSIGN);
		sb_puts(sb, " : ");
		pr_expr(sb, e->c, P_TERNARY);
		break;
	case E_ASSIGN:
		pr_expr(sb, e->a, P_TERNARY);
		sb_printf(sb, " %s%s ", e->op == OP_ASSIGN || e->op == OP_STATS_ADD ? ""
			  : op_text(e->op), e->op == OP_STATS_ADD ? "<<<" : "=");
		pr_expr(sb, e->b, P_ASSIGN);
		break;
	case E_INCDEC:
		if (e->postfix) {
			pr_expr(sb, e->a, P_VALUE);
			sb_puts(sb, op_text(e->op));
		} else {
			pr_prefix(sb, op_text(e->op), e->a, P_VALUE);
		}
		break;
	case E_IN:
		if (e->args.n == 1 && ((struct expr *)vec_get(&e->args, 0))->kind != E_STAR) {
			pr_expr(sb, vec_get(&e->args, 0), P_CMP);
		} else {
			sb_putc(sb, '[');
			pr_list(sb, &e->args);
			sb_putc(sb, ']');
		}
		sb_puts(sb, " in ");
		pr_expr(sb, e->a, P_VALUE);
		break;
	case E_STAR:
		sb_putc(sb, '*');
		break;
	case E_STAT:
		sb_printf(sb, "@%s(", e->str);
		pr_expr(sb, e->a, P_ASSIGN);
		if (e->b) {
			sb_puts(sb, ", ");
			pr_expr(sb, e->b, P_ASSIGN);
		}
		sb_putc(sb, ')');
		break;
	case E_HIST:
		sb_printf(sb, "@hist_%s(", e->str);
		if (e->a)
			pr_expr(sb, e->a, P_ASSIGN);
		vec_each(&e->args, i) {
			sb_puts(sb, ", ");
			pr_expr(sb, vec_get(&e->args, i), P_ASSIGN);
		}
		sb_putc(sb, ')');
		break;
	case E_TARGET:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_printf(sb, "$%s", e->str);
		pr_comps(sb, e);
		break;
	case E_TARGET_SYM:
		sb_printf(sb, "$$%s", e->str);
		pr_comps(sb, e);
		break;
	case E_AUTOCAST:
		pr_expr(sb, e->a, P_VALUE);
		pr_comps(sb, e);
		break;
	case E_CAST:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_puts(sb, "@cast(");
		pr_expr(sb, e->a, P_ASSIGN);
		sb_puts(sb, ", ");
		pr_string(sb, e->str);
		if (e->module) {
			sb_puts(sb, ", ");
			pr_string(sb, e->module);
		}
		sb_putc(sb, ')');
		pr_comps(sb, e);
		break;
	case E_ATVAR:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_puts(sb, "@var(");
		pr_string(sb, e->str);
		if (e->module) {
			sb_puts(sb, ", ");
			pr_string(sb, e->module);
		}
		sb_putc(sb, ')');
		pr_comps(sb, e);
		break;
	case E_DEFINED:
	case E_ENTRY:
		sb_puts(sb, e->kind == E_DEFINED ? "@defined(" : "@entry(");
		pr_expr(sb, e->a, P_ASSIGN);
		sb_putc(sb, ')');
		break;
	case E_CHOOSE:
		sb_puts(sb, "@choose_defined(");
		pr_expr(sb, e->a, P_ASSIGN);
		sb_puts(sb, ", ");
		pr_expr(sb, e->b, P_ASSIGN);
		sb_putc(sb, ')');
		break;
	case E_PROBEWRITE:
		sb_puts(sb, "@probewrite(");
		pr_expr(sb, e->a, P_ASSIGN);
		sb_putc(sb, ')');
		break;
	case E_PERF:
	case E_CONST:
		sb_puts(sb, e->kind == E_PERF ? "@perf(" : "@const(");
		pr_string(sb, e->str);
		sb_putc(sb, ')');
		break;
	case E_ARG:
		if (e->num < 0)
			sb_puts(sb, e->str_arg ? "@#" : "$#");
		else
			sb_printf(sb, "%c%" PRId64, e->str_arg ? '@' : '$', e->num);
		break;
	case E_EMBEDDED:
		sb_printf(sb, "%%{%s%%}", e->str);
		break;
	default:
		sb_puts(sb, "/* ? */0");
		break;
	}
}

static void pr_expr(struct strbuf *sb, const struct expr *e, int need)
{
	bool paren = prec(e) < need;

	if (paren)
		sb_putc(sb, '(');
	pr_expr_raw(sb, e);
	if (paren)
		sb_putc(sb, ')');
}

static void indent(struct strbuf *sb, int ind)
{
	for (int i = 0; i < ind; i++)
		sb_puts(sb, "  ");
}

static void pr_block_body(struct strbuf *sb, const struct stmt *st, int ind)
{
	sb_puts(sb, "{\n");
	vec_each(&st->body, i) {
		indent(sb, ind + 1);
		pr_stmt(sb, vec_get(&st->body, i), ind + 1);
		sb_putc(sb, '\n');
	}
	indent(sb, ind);
	sb_putc(sb, '}');
}

static const char *sort_mark(int dir)
{
	return dir > 0 ? "+" : dir < 0 ? "-" : "";
}

static void pr_foreach(struct strbuf *sb, const struct foreach_info *fe)
{
	sb_puts(sb, "foreach (");
	if (fe->value) {
		pr_expr(sb, fe->value, P_VALUE);
		if (fe->sort_column == -1 && !fe->sort_agg)
			sb_puts(sb, sort_mark(fe->sort_dir));
		sb_puts(sb, " = ");
	}
	sb_putc(sb, '[');
	vec_each(&fe->keys, i) {
		if (i)
			sb_puts(sb, ", ");
		pr_expr(sb, vec_get(&fe->keys, i), P_VALUE);
		if (fe->sort_column == i + 1)
			sb_puts(sb, sort_mark(fe->sort_dir));
	}
	sb_puts(sb, "] in ");
	pr_expr(sb, fe->array, P_VALUE);
	if (fe->slice.n) {
		sb_putc(sb, '[');
		pr_list(sb, &fe->slice);
		sb_putc(sb, ']');
	}
	if (fe->sort_column == -1 && (!fe->value || fe->sort_agg)) {
		if (fe->sort_agg)
			sb_printf(sb, " @%s", fe->sort_agg);
		sb_puts(sb, sort_mark(fe->sort_dir));
	}
	if (fe->limit) {
		sb_puts(sb, " limit ");
		pr_expr(sb, fe->limit, P_ASSIGN);
	}
	sb_puts(sb, ") ");
}

static void pr_stmt(struct strbuf *sb, const struct stmt *st, int ind)
{
	switch (st->kind) {
	case S_BLOCK:
		pr_block_body(sb, st, ind);
		break;
	case S_EXPR:
		pr_expr(sb, st->e, P_ASSIGN);
		sb_putc(sb, ';');
		break;
	case S_IF:
		sb_puts(sb, "if (");
		pr_expr(sb, st->e, P_ASSIGN);
		sb_puts(sb, ") ");
		pr_stmt(sb, st->then, ind);
		if (st->els) {
			sb_puts(sb, " else ");
			pr_stmt(sb, st->els, ind);
		}
		break;
	case S_WHILE:
		sb_puts(sb, "while (");
		pr_expr(sb, st->e, P_ASSIGN);
		sb_puts(sb, ") ");
		pr_stmt(sb, st->then, ind);
		break;
	case S_FOR:
		sb_puts(sb, "for (");
		if (st->init)
			pr_expr(sb, st->init->e, P_ASSIGN);
		sb_puts(sb, "; ");
		if (st->e)
			pr_expr(sb, st->e, P_ASSIGN);
		sb_puts(sb, "; ");
		if (st->incr)
			pr_expr(sb, st->incr->e, P_ASSIGN);
		sb_puts(sb, ") ");
		pr_stmt(sb, st->then, ind);
		break;
	case S_FOREACH:
		pr_foreach(sb, st->fe);
		pr_stmt(sb, st->then, ind);
		break;
	case S_BREAK:
		sb_puts(sb, "break;");
		break;
	case S_CONTINUE:
		sb_puts(sb, "continue;");
		break;
	case S_NEXT:
		sb_puts(sb, "next;");
		break;
	case S_RETURN:
		sb_puts(sb, "return");
		if (st->e) {
			sb_putc(sb, ' ');
			pr_expr(sb, st->e, P_ASSIGN);
		}
		sb_putc(sb, ';');
		break;
	case S_DELETE:
		sb_puts(sb, "delete ");
		pr_expr(sb, st->e, P_ASSIGN);
		sb_putc(sb, ';');
		break;
	case S_TRY:
		sb_puts(sb, "try ");
		pr_stmt(sb, st->then, ind);
		sb_puts(sb, " catch ");
		if (st->catch_var) {
			sb_putc(sb, '(');
			pr_expr(sb, st->catch_var, P_ASSIGN);
			sb_puts(sb, ") ");
		}
		pr_stmt(sb, st->els, ind);
		break;
	case S_NULL:
		sb_putc(sb, ';');
		break;
	case S_EMBEDDED:
		sb_printf(sb, "%%{%s%%}", st->code);
		break;
	}
}

static void pr_points(struct strbuf *sb, const struct vec *pts)
{
	vec_each(pts, i) {
		const struct probe_point *pp = vec_get(pts, i);

		if (i)
			sb_puts(sb, ", ");
		vec_each(&pp->comps, k) {
			const struct pp_comp *c = vec_get(&pp->comps, k);

			if (k)
				sb_putc(sb, '.');
			sb_puts(sb, c->name);
			if (c->arg) {
				sb_putc(sb, '(');
				if (c->arg->kind == E_NUM)
					sb_printf(sb, "%" PRId64, c->arg->num);
				else
					pr_expr(sb, c->arg, P_ASSIGN);
				sb_putc(sb, ')');
			}
		}
		if (pp->optional)
			sb_putc(sb, '?');
		if (pp->sufficient)
			sb_putc(sb, '!');
		if (pp->cond) {
			sb_puts(sb, " if (");
			pr_expr(sb, pp->cond, P_ASSIGN);
			sb_putc(sb, ')');
		}
	}
}

static const char *type_suffix(enum ast_type t)
{
	return t == TY_LONG ? ":long" : t == TY_STRING ? ":string" : "";
}

void parse_print(FILE *out, const struct ast_file *f)
{
	struct strbuf sb = { 0 };

	if (!f)
		return;
	sb_printf(&sb, "# file %s\n", f->src ? f->src->name : "?");
	vec_each(&f->embeds, i) {
		const struct ast_embed *e = vec_get(&f->embeds, i);

		sb_printf(&sb, "%%{%s%%}\n", e->code);
	}
	vec_each(&f->globals, i) {
		const struct ast_vardecl *v = vec_get(&f->globals, i);

		sb_printf(&sb, "%sglobal %s%s", v->is_private ? "private " : "",
			  v->name, v->wrap ? "%" : "");
		if (v->size)
			sb_printf(&sb, "[%" PRId64 "]", v->size);
		if (v->init) {
			sb_puts(&sb, " = ");
			if (v->init->kind == E_NUM)
				sb_printf(&sb, "%" PRId64, v->init->num);
			else
				pr_expr(&sb, v->init, P_ASSIGN);
		}
		sb_putc(&sb, '\n');
	}
	vec_each(&f->funcs, i) {
		const struct ast_func *fn = vec_get(&f->funcs, i);

		sb_printf(&sb, "%sfunction %s%s(", fn->is_private ? "private " : "",
			  fn->name, type_suffix(fn->ret));
		vec_each(&fn->params, k) {
			const struct ast_param *p = vec_get(&fn->params, k);

			sb_printf(&sb, "%s%s%s", k ? ", " : "", p->name, type_suffix(p->type));
		}
		sb_puts(&sb, ") ");
		pr_stmt(&sb, fn->body, 0);
		sb_putc(&sb, '\n');
	}
	vec_each(&f->aliases, i) {
		const struct ast_alias *a = vec_get(&f->aliases, i);

		sb_puts(&sb, "probe ");
		pr_points(&sb, &a->names);
		sb_puts(&sb, a->epilogue ? " += " : " = ");
		pr_points(&sb, &a->points);
		sb_putc(&sb, ' ');
		pr_stmt(&sb, a->body, 0);
		if (a->epilogue_body) {
			sb_puts(&sb, ", ");
			pr_stmt(&sb, a->epilogue_body, 0);
		}
		sb_putc(&sb, '\n');
	}
	vec_each(&f->probes, i) {
		const struct ast_probe *p = vec_get(&f->probes, i);

		sb_puts(&sb, "probe ");
		pr_points(&sb, &p->points);
		sb_putc(&sb, ' ');
		pr_stmt(&sb, p->body, 0);
		sb_putc(&sb, '\n');
	}
	fwrite(sb_str(&sb), 1, sb.len, out);
	sb_free(&sb);
}
