/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_guard.c - finding a handler's leading `if (KEY != NUM ...) next` and
 * writing KEY for a dispatcher (tx_guard.h).
 */
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "elaborate/elab.h"
#include "translate/tx_guard.h"
#include "translate/tx_int.h"

/* cheap, side-effect free and unable to fail except by a context error */
static bool keyable(const struct expr *e)
{
	if (!e || e->type != TY_LONG)
		return false;
	switch (e->kind) {
	case E_NUM:
		return true;
	case E_TARGET:
		return !e->comps.n && !e->addr_of && !e->pretty && e->prov;
	case E_UNARY:
		return e->op != OP_ADDR && keyable(e->a);
	case E_BINARY:
		switch (e->op) {
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_SHL:
		case OP_SHR: case OP_AND: case OP_OR: case OP_XOR:
		case OP_EQ: case OP_NE: case OP_LT: case OP_LE:
		case OP_GT: case OP_GE:
			return keyable(e->a) && keyable(e->b);
		default:
			return false;
		}
	case E_CALL:
		if (!e->func || !e->func->body ||
		    e->func->body->kind != S_EMBEDDED ||
		    !e->func->body->code ||
		    !strstr(e->func->body->code, "/* pure */"))
			return false;
		vec_each(&e->args, i)
			if (!keyable(vec_get(&e->args, i)))
				return false;
		return true;
	default:
		return false;
	}
}

static bool is_next(const struct stmt *st)
{
	while (st && st->kind == S_BLOCK && st->body.n == 1)
		st = vec_get(&st->body, 0);
	return st && st->kind == S_NEXT;
}

bool tx_guard_find(const struct elab_probe *p, struct tx_guard *g)
{
	const struct stmt *st = p->body;
	const struct expr *e;

	g->key = NULL;
	while (st && st->kind == S_BLOCK && st->body.n)
		st = vec_get(&st->body, 0);
	if (!st || st->kind != S_IF || st->els || !is_next(st->then))
		return false;
	/* a || b || c is (a || b) || c: the first test is leftmost */
	for (e = st->e; e->kind == E_BINARY && e->op == OP_LOR; e = e->a)
		;
	if (e->kind != E_BINARY || e->op != OP_NE)
		return false;
	if (e->b->kind == E_NUM && keyable(e->a)) {
		g->key = e->a;
		g->val = e->b->num;
	} else if (e->a->kind == E_NUM && keyable(e->b)) {
		g->key = e->b;
		g->val = e->a->num;
	}
	return g->key != NULL;
}

bool tx_guard_same_key(const struct expr *a, const struct expr *b)
{
	if (a->kind != b->kind || a->op != b->op)
		return false;
	switch (a->kind) {
	case E_NUM:
		return a->num == b->num;
	case E_TARGET:
		return !strcmp(a->str, b->str);
	case E_UNARY:
		return tx_guard_same_key(a->a, b->a);
	case E_BINARY:
		return tx_guard_same_key(a->a, b->a) &&
		       tx_guard_same_key(a->b, b->b);
	case E_CALL:
		if (a->func != b->func || a->args.n != b->args.n)
			return false;
		vec_each(&a->args, i)
			if (!tx_guard_same_key(vec_get(&a->args, i),
					       vec_get(&b->args, i)))
				return false;
		return true;
	default:
		return false;
	}
}

bool tx_guard_emit_key(struct tx *tx, struct elab_probe *p,
		       struct expr *key, struct strbuf *sb)
{
	struct tx_scope sc, *osc = tx->sc;
	struct strbuf *oout = tx->out, body = { 0 };
	char tag[32];
	bool ok;

	tx_probe_scope(&sc, tag, sizeof(tag), p);
	tx->sc = &sc;
	tx->out = &body;
	tx_expr(tx, sb, key);
	ok = !sc.maxtmp && !body.len;
	tx->sc = osc;
	tx->out = oout;
	sb_free(&body);
	return ok;
}

void tx_guard_frame(struct tx *tx, struct elab_probe *p, struct strbuf *sb)
{
	sb_printf(sb, "\tstruct stp_fr_p%d *l __maybe_unused = "
		  "&((union stp_frame *)c->frames)[0].p%d;\n", p->index,
		  p->index);
}
