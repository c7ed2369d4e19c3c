/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_expr.c - expressions.  A long becomes an int64_t C expression, a
 * string a `const char *` one (a literal, a variable's buffer or a string
 * temporary of the frame).  Scripts evaluate left to right and C does not:
 * when an operand has side effects the operands go through C temporaries
 * of a GNU statement expression, in order.  An error jumps out of the
 * statement expression to the scope's error label.
 */
#include <inttypes.h>
#include <string.h>

#include "probes/provider.h"
#include "translate/tx_data.h"
#include "translate/tx_emit.h"
#include "translate/tx_int.h"

const char *tx_type_c(enum ast_type t)
{
	return t == TY_STRING ? "const char *" : "int64_t ";
}

void tx_check(struct tx *tx, struct strbuf *sb)
{
	sb_printf(sb, "if (unlikely(c->unwind)) goto %s; ", tx->sc->errlabel);
}

bool tx_pure(const struct expr *e)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_NUM:
	case E_STR:
	case E_IDENT:
		return true;
	case E_UNARY:
		return tx_pure(e->a);
	case E_BINARY:
		if (e->op == OP_DIV || e->op == OP_MOD || e->op == OP_MATCH ||
		    e->op == OP_NMATCH)
			return false;
		return tx_pure(e->a) && tx_pure(e->b);
	case E_TERNARY:
		return tx_pure(e->a) && tx_pure(e->b) && tx_pure(e->c);
	default:
		return false;
	}
}

/* a fresh C temporary name */
static const char *newvar(struct tx *tx, char *buf, size_t n)
{
	snprintf(buf, n, "_v%d", ++tx->nvar);
	return buf;
}

static void num(struct strbuf *sb, int64_t v)
{
	if (v == INT64_MIN)
		sb_puts(sb, "(-9223372036854775807LL - 1)");
	else if (v < 0)
		sb_printf(sb, "(%" PRId64 "LL)", v);
	else
		sb_printf(sb, "%" PRId64 "LL", v);
}

/* the value of a constant long expression (folded with wrapping, as the
 * kernel's -fno-strict-overflow would at run time, minus gcc's warnings) */
static bool constant(const struct expr *e, int64_t *v)
{
	int64_t a, b;
	uint64_t ua, ub;

	if (!e || e->type == TY_STRING)
		return false;
	if (e->kind == E_NUM) {
		*v = e->num;
		return true;
	}
	if (e->kind == E_UNARY && constant(e->a, &a)) {
		switch (e->op) {
		case OP_NEG: *v = (int64_t)(0 - (uint64_t)a); return true;
		case OP_BNOT: *v = ~a; return true;
		case OP_NOT: *v = !a; return true;
		case OP_PLUS: *v = a; return true;
		default: return false;
		}
	}
	if (e->kind != E_BINARY || !constant(e->a, &a) || !constant(e->b, &b))
		return false;
	ua = (uint64_t)a;
	ub = (uint64_t)b;
	switch (e->op) {
	case OP_ADD: *v = (int64_t)(ua + ub); return true;
	case OP_SUB: *v = (int64_t)(ua - ub); return true;
	case OP_MUL: *v = (int64_t)(ua * ub); return true;
	case OP_AND: *v = a & b; return true;
	case OP_OR: *v = a | b; return true;
	case OP_XOR: *v = a ^ b; return true;
	case OP_SHL: *v = (int64_t)(ua << (b & 63)); return true;
	case OP_SHR: *v = a >> (b & 63); return true;
	case OP_EQ: *v = a == b; return true;
	case OP_NE: *v = a != b; return true;
	case OP_LT: *v = a < b; return true;
	case OP_LE: *v = a <= b; return true;
	case OP_GT: *v = a > b; return true;
	case OP_GE: *v = a >= b; return true;
	default: return false;
	}
}

/*
 * Both operands of a binary operation, in order: "A" and "B" are what the
 * operation uses.  Pure operands are used in place; otherwise the caller
 * wraps in "({ " pre " ... })".
 */
struct operands {
	struct strbuf pre;
	struct strbuf a, b;
	bool wrapped;
};

static void operands(struct tx *tx, struct expr *ea, struct expr *eb,
		     struct operands *o, bool force)
{
	char va[16], vb[16];

	memset(o, 0, sizeof(*o));
	if (!force && tx_pure(ea) && tx_pure(eb)) {
		tx_expr(tx, &o->a, ea);
		if (eb)
			tx_expr(tx, &o->b, eb);
		return;
	}
	o->wrapped = true;
	sb_printf(&o->pre, "%s%s = ", tx_type_c(ea->type), newvar(tx, va, sizeof(va)));
	tx_expr(tx, &o->pre, ea);
	sb_puts(&o->pre, "; ");
	sb_puts(&o->a, va);
	if (eb) {
		sb_printf(&o->pre, "%s%s = ", tx_type_c(eb->type),
			  newvar(tx, vb, sizeof(vb)));
		tx_expr(tx, &o->pre, eb);
		sb_puts(&o->pre, "; ");
		sb_puts(&o->b, vb);
	}
}

static void operands_free(struct operands *o)
{
	sb_free(&o->pre);
	sb_free(&o->a);
	sb_free(&o->b);
}

static void near_op(struct tx *tx, struct strbuf *sb, const struct expr *e)
{
	char what[64];

	snprintf(what, sizeof(what), "operator '%s'", ast_op_text(e->op));
	tx_near(tx, sb, what, &e->loc);
}

/* x /= y, x %= y: stap 4.8 names the right operand's token */
void tx_near_rhs(struct tx *tx, struct strbuf *sb, const struct expr *e)
{
	const struct expr *r = e->b;
	char what[160];

	if (r && (r->kind == E_IDENT || r->kind == E_CALL) && r->str) {
		snprintf(what, sizeof(what), "identifier '%s'", r->str);
		tx_near(tx, sb, what, &r->loc);
	} else if (r && r->kind == E_NUM) {
		snprintf(what, sizeof(what), "number '%lld'", (long long)r->num);
		tx_near(tx, sb, what, &r->loc);
	} else {
		near_op(tx, sb, e);
	}
}

/* s =~ "re": the regex is compiled now, matched at run time */
static void regex(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	const char *err = NULL, *name;
	int n;

	if (e->b->kind != E_STR) {
		tx_error(tx, &e->b->loc, "regular expression must be a literal string");
		sb_puts(sb, "0LL");
		return;
	}
	name = tx_unique(tx, "stp_re");
	n = tx_regex_compile(e->b->str, name, &tx->globals, &err);
	if (n < 0) {
		tx_error(tx, &e->b->loc, "%s", err);
		sb_puts(sb, "0LL");
		return;
	}
	sb_printf(sb, "(%sstp_regex_match(c, %s, %d, ", e->op == OP_NMATCH ? "!" : "",
		  name, n);
	tx_expr(tx, sb, e->a);
	sb_puts(sb, "))");
}

static void binary(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct operands o;
	bool str = e->a->type == TY_STRING;

	if (e->op == OP_LAND || e->op == OP_LOR) {
		sb_puts(sb, "(");
		tx_expr(tx, sb, e->a);
		sb_printf(sb, " %s ", ast_op_text(e->op));
		tx_expr(tx, sb, e->b);
		sb_puts(sb, ")");
		return;
	}
	if (e->op == OP_MATCH || e->op == OP_NMATCH) {
		regex(tx, sb, e);
		return;
	}
	operands(tx, e->a, e->b, &o, false);
	if (o.wrapped)
		sb_printf(sb, "({ %s", sb_str(&o.pre));
	switch (e->op) {
	case OP_DIV:
	case OP_MOD: {
		char v[16];

		if (!o.wrapped)
			sb_puts(sb, "({ ");
		sb_printf(sb, "int64_t %s = stp_%s(c, %s, %s, ",
			  newvar(tx, v, sizeof(v)), e->op == OP_DIV ? "div" : "mod",
			  sb_str(&o.a), sb_str(&o.b));
		near_op(tx, sb, e);
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", v);
		operands_free(&o);
		return;
	}
	case OP_SHL:
	case OP_SHR:
		sb_printf(sb, "stp_%s(%s, %s)", e->op == OP_SHL ? "shl" : "shr",
			  sb_str(&o.a), sb_str(&o.b));
		break;
	case OP_CONCAT:
		sb_printf(sb, "stp_concat(l->_t[%d], %s, %s)", tx_tmp(tx),
			  sb_str(&o.a), sb_str(&o.b));
		break;
	case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
		if (str)
			sb_printf(sb, "(strcmp(%s, %s) %s 0)", sb_str(&o.a),
				  sb_str(&o.b), ast_op_text(e->op));
		else
			sb_printf(sb, "(%s %s %s)", sb_str(&o.a), ast_op_text(e->op),
				  sb_str(&o.b));
		break;
	default:
		sb_printf(sb, "(%s %s %s)", sb_str(&o.a), ast_op_text(e->op), sb_str(&o.b));
		break;
	}
	if (o.wrapped)
		sb_puts(sb, "; })");
	operands_free(&o);
}

static void unary(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	switch (e->op) {
	case OP_NEG:
		sb_puts(sb, "(-");
		break;
	case OP_NOT:
		sb_puts(sb, "(int64_t)(!");
		break;
	case OP_BNOT:
		sb_puts(sb, "(~");
		break;
	default:
		sb_puts(sb, "(");
		break;
	}
	sb_puts(sb, "(");
	tx_expr(tx, sb, e->a);
	sb_puts(sb, "))");
}

/* the lvalue of an assignment target */
static bool lvalue(struct tx *tx, struct strbuf *sb, struct expr *t)
{
	if (t->kind == E_IDENT && t->var && t->var->arity <= 0) {
		tx_var(tx, sb, t->var);
		return true;
	}
	tx_error(tx, &t->loc, "this assignment target cannot be translated yet");
	sb_puts(sb, "_bad");
	return false;
}

static void assign(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct strbuf lv = { 0 };
	char v[16], r[16];

	if (tx_data_assign(tx, sb, e))
		return;
	if (e->op == OP_STATS_ADD) {
		tx_error(tx, &e->loc, "<<< needs a statistic");
		sb_puts(sb, "0");
		return;
	}
	if (!lvalue(tx, &lv, e->a)) {
		sb_free(&lv);
		return;
	}
	if (e->a->type == TY_STRING) {
		sb_printf(sb, "stp_%s(%s, ", e->op == OP_CONCAT ? "strcat" : "strcpy",
			  sb_str(&lv));
		tx_expr(tx, sb, e->b);
		sb_puts(sb, ")");
		sb_free(&lv);
		return;
	}
	if (e->op == OP_ASSIGN) {
		sb_printf(sb, "(%s = ", sb_str(&lv));
		tx_expr(tx, sb, e->b);
		sb_puts(sb, ")");
		sb_free(&lv);
		return;
	}
	if (tx_pure(e->b) && e->op != OP_DIV && e->op != OP_MOD &&
	    e->op != OP_SHL && e->op != OP_SHR) {
		sb_printf(sb, "(%s %s= ", sb_str(&lv), ast_op_text(e->op));
		tx_expr(tx, sb, e->b);
		sb_puts(sb, ")");
		sb_free(&lv);
		return;
	}
	sb_printf(sb, "({ int64_t %s = ", newvar(tx, v, sizeof(v)));
	tx_expr(tx, sb, e->b);
	sb_puts(sb, "; ");
	switch (e->op) {
	case OP_DIV:
	case OP_MOD:
		sb_printf(sb, "int64_t %s = stp_%s(c, %s, %s, ", newvar(tx, r, sizeof(r)),
			  e->op == OP_DIV ? "div" : "mod", sb_str(&lv), v);
		tx_near_rhs(tx, sb, e);
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "%s = %s; })", sb_str(&lv), r);
		break;
	case OP_SHL:
	case OP_SHR:
		sb_printf(sb, "%s = stp_%s(%s, %s); })", sb_str(&lv),
			  e->op == OP_SHL ? "shl" : "shr", sb_str(&lv), v);
		break;
	default:
		sb_printf(sb, "%s %s= %s; })", sb_str(&lv), ast_op_text(e->op), v);
		break;
	}
	sb_free(&lv);
}

static void incdec(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct strbuf lv = { 0 };
	const char *op = e->op == OP_DEC ? "--" : "++";

	if (tx_data_incdec(tx, sb, e))
		return;
	if (lvalue(tx, &lv, e->a)) {
		if (e->postfix)
			sb_printf(sb, "(%s%s)", sb_str(&lv), op);
		else
			sb_printf(sb, "(%s%s)", op, sb_str(&lv));
	}
	sb_free(&lv);
}

static void unsupported(struct tx *tx, struct strbuf *sb, struct expr *e,
			const char *what)
{
	tx_error(tx, &e->loc, "%s cannot be translated yet", what);
	sb_puts(sb, e->type == TY_STRING ? "\"\"" : "0LL");
}

void tx_expr(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	int64_t v;

	if ((e->kind == E_UNARY || e->kind == E_BINARY) && constant(e, &v)) {
		num(sb, v);
		return;
	}
	switch (e->kind) {
	case E_NUM:
		num(sb, e->num);
		break;
	case E_STR:
		tx_cstr(sb, e->str);
		break;
	case E_IDENT:
		if (!e->var || e->var->arity > 0) {
			unsupported(tx, sb, e, "an array used as a value");
			break;
		}
		tx_var(tx, sb, e->var);
		break;
	case E_UNARY:
		unary(tx, sb, e);
		break;
	case E_BINARY:
		binary(tx, sb, e);
		break;
	case E_TERNARY:
		sb_puts(sb, "(");
		tx_expr(tx, sb, e->a);
		sb_puts(sb, " ? ");
		tx_expr(tx, sb, e->b);
		sb_puts(sb, " : ");
		tx_expr(tx, sb, e->c);
		sb_puts(sb, ")");
		break;
	case E_ASSIGN:
		assign(tx, sb, e);
		break;
	case E_INCDEC:
		incdec(tx, sb, e);
		break;
	case E_CALL:
		tx_call(tx, sb, e);
		break;
	case E_EMBEDDED:
	case E_CONST:	/* @const("C expression"), guru mode */
		sb_printf(sb, "((%s)(%s))", tx_type_c(e->type), e->str);
		break;
	case E_INDEX:
	case E_IN:
	case E_STAT:
	case E_HIST:
		tx_data_expr(tx, sb, e);
		break;
	case E_TARGET:
	case E_TARGET_SYM:
	case E_CAST:
	case E_ATVAR:
	case E_ENTRY:
	case E_PERF:
		if (e->prov) {	/* resolved by a provider (probes/provider.h) */
			((const struct target_ref *)e->prov)->emit(tx, sb, e);
			break;
		}
		unsupported(tx, sb, e, "a target variable");
		break;
	default:
		unsupported(tx, sb, e, "this expression");
		break;
	}
}
