/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_body.c - probe handlers and functions: frames, statements, labels.
 *
 * Every generated body has an `out:` label: errors, `next` and `return`
 * jump there.  Inside `try` errors jump to the catch label instead, which
 * passes on what it must not catch (`next`, limit errors) to the enclosing
 * label.  Each block charges its statements to MAXACTION on entry, each
 * loop iteration one more.
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "translate/tx_data.h"
#include "translate/tx_int.h"

void tx_var(struct tx *tx, struct strbuf *sb, const struct ast_vardecl *v)
{
	(void)tx;
	if (v->global)
		sb_puts(sb, v->tx ? (const char *)v->tx : v->name);
	else
		sb_printf(sb, "l->v_%s", v->name);
}

int tx_tmp(struct tx *tx)
{
	int k = tx->sc->ntmp++;

	if (tx->sc->ntmp > tx->sc->maxtmp)
		tx->sc->maxtmp = tx->sc->ntmp;
	return k;
}

static void stmt(struct tx *tx, struct stmt *st);

/* MAXACTION: charge n statements */
static void act(struct tx *tx, int n, const struct src_loc *loc)
{
	struct strbuf sb = { 0 };

	tx_near(tx, &sb, "keyword", loc);
	tx_line(tx, "STP_ACT(%d, %s);", n, sb_str(&sb));
	sb_free(&sb);
}

/* an expression statement or condition: temporaries start afresh */
static void expr_text(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	tx->sc->ntmp = 0;
	tx_expr(tx, sb, e);
}

static void block(struct tx *tx, struct vec *body, const struct src_loc *loc)
{
	int n = 0;

	vec_each(body, i) {
		struct stmt *s = vec_get(body, i);

		if (s->kind != S_NULL && s->kind != S_BLOCK)
			n++;
	}
	if (n)
		act(tx, n, loc);
	vec_each(body, i)
		stmt(tx, vec_get(body, i));
}

/* the token stap names in a loop's MAXACTION error: the body's only
 * statement (its first token), '{' of a longer block, else the loop's */
static void loop_near(struct tx *tx, struct strbuf *sb, const struct stmt *st)
{
	const struct expr *e;
	char what[160];
	int n = 0;

	if (st->kind == S_BLOCK) {
		const struct stmt *one = NULL;

		vec_each(&st->body, i) {
			const struct stmt *s = vec_get(&st->body, i);

			if (s->kind != S_NULL) {
				one = s;
				n++;
			}
		}
		if (n > 1) {
			tx_near(tx, sb, "operator '{'", &st->loc);
			return;
		}
		if (one) {
			loop_near(tx, sb, one);
			return;
		}
	}
	e = st->kind == S_EXPR ? st->e : NULL;
	while (e && (e->kind == E_BINARY || e->kind == E_ASSIGN ||
		     e->kind == E_TERNARY || e->kind == E_INDEX ||
		     (e->kind == E_INCDEC && e->postfix)) && e->a)
		e = e->a;
	if (e && (e->kind == E_IDENT || e->kind == E_CALL) && e->str) {
		snprintf(what, sizeof(what), "identifier '%s'", e->str);
		tx_near(tx, sb, what, &e->loc);
	} else {
		tx_near(tx, sb, "keyword", &st->loc);
	}
}

/* one loop iteration: 1 plus the body's own statements, charged at once */
static void loop_act(struct tx *tx, const struct stmt *st)
{
	struct strbuf sb = { 0 };
	int n = 1;

	if (st->kind == S_BLOCK) {
		vec_each(&st->body, i) {
			const struct stmt *s = vec_get(&st->body, i);

			if (s->kind != S_NULL && s->kind != S_BLOCK)
				n++;
		}
	} else if (st->kind != S_NULL) {
		n++;
	}
	loop_near(tx, &sb, st);
	tx_line(tx, "STP_ACT(%d, %s);", n, sb_str(&sb));
	sb_free(&sb);
}

/* a statement as the body of if/while/for: always braced */
static void sub(struct tx *tx, struct stmt *st, bool loop)
{
	tx_line(tx, "{");
	tx->indent++;
	if (loop) {
		loop_act(tx, st);
		if (st->kind == S_BLOCK) {
			vec_each(&st->body, i)
				stmt(tx, vec_get(&st->body, i));
		} else {
			stmt(tx, st);
		}
	} else if (st->kind == S_BLOCK) {
		block(tx, &st->body, &st->loc);
	} else {
		if (st->kind != S_NULL)
			act(tx, 1, &st->loc);
		stmt(tx, st);
	}
	tx->indent--;
	tx_line(tx, "}");
}

void tx_loop_body(struct tx *tx, struct stmt *st)
{
	tx->sc->depth++;
	sub(tx, st, true);
	tx->sc->depth--;
}

static void cond_text(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	if (!e) {
		sb_puts(sb, "1");
		return;
	}
	expr_text(tx, sb, e);
}

static void s_if(struct tx *tx, struct stmt *st)
{
	struct strbuf c = { 0 };

	cond_text(tx, &c, st->e);
	tx_line(tx, "if (%s)", sb_str(&c));
	sub(tx, st->then, false);
	if (st->els) {
		tx_line(tx, "else");
		sub(tx, st->els, false);
	}
	sb_free(&c);
}

static void s_while(struct tx *tx, struct stmt *st)
{
	struct strbuf c = { 0 };

	cond_text(tx, &c, st->e);
	tx_line(tx, "while (%s)", sb_str(&c));
	tx->sc->depth++;
	sub(tx, st->then, true);
	tx->sc->depth--;
	sb_free(&c);
}

static void s_for(struct tx *tx, struct stmt *st)
{
	struct strbuf i = { 0 }, c = { 0 }, n = { 0 };

	if (st->init && st->init->kind == S_EXPR) {
		sb_puts(&i, "(void)");
		expr_text(tx, &i, st->init->e);
	}
	cond_text(tx, &c, st->e);
	if (st->incr && st->incr->kind == S_EXPR) {
		sb_puts(&n, "(void)");
		expr_text(tx, &n, st->incr->e);
	}
	tx_line(tx, "for (%s; %s; %s)", sb_str(&i), sb_str(&c), sb_str(&n));
	tx->sc->depth++;
	sub(tx, st->then, true);
	tx->sc->depth--;
	sb_free(&i);
	sb_free(&c);
	sb_free(&n);
}

static void s_return(struct tx *tx, struct stmt *st)
{
	struct strbuf sb = { 0 };
	struct ast_func *f = tx->sc->func;

	if (st->e) {
		expr_text(tx, &sb, st->e);
		if (f && st->e->type == TY_STRING)
			tx_line(tx, "stp_strcpy(rv, %s);", sb_str(&sb));
		else if (f)
			tx_line(tx, "rv = %s;", sb_str(&sb));
		else
			tx_line(tx, "(void)%s;", sb_str(&sb));
	}
	tx_line(tx, "goto out;");
	sb_free(&sb);
}

static void s_delete(struct tx *tx, struct stmt *st)
{
	struct expr *e = st->e;
	struct strbuf sb = { 0 };

	if (e->kind == E_IDENT && e->var && e->var->arity <= 0 &&
	    e->var->type != TY_STATS) {
		tx_var(tx, &sb, e->var);
		if (e->var->type == TY_STRING)
			tx_line(tx, "%s[0] = '\\0';", sb_str(&sb));
		else
			tx_line(tx, "%s = 0;", sb_str(&sb));
	} else {
		tx_data_delete(tx, st);
	}
	sb_free(&sb);
}

static void s_try(struct tx *tx, struct stmt *st)
{
	const char *outer = tx->sc->errlabel;
	char *catch = xasprintf("catch%d", ++tx->nlabel);
	int n = tx->nlabel;

	tx_line(tx, "{");
	tx->indent++;
	tx->sc->errlabel = catch;
	if (st->then->kind == S_BLOCK)
		block(tx, &st->then->body, &st->then->loc);
	else
		stmt(tx, st->then);
	tx->sc->errlabel = outer;
	tx->indent--;
	tx_line(tx, "}");
	tx_line(tx, "goto end%d;", n);
	tx->indent--;
	tx_line(tx, "%s:", catch);
	tx->indent++;
	tx_line(tx, "if (!c->last_error || c->fatal)");
	tx_line(tx, "\tgoto %s;", outer);
	if (st->catch_var && st->catch_var->var) {
		struct strbuf v = { 0 };

		tx_var(tx, &v, st->catch_var->var);
		tx_line(tx, "stp_strcpy(%s, c->last_error);", sb_str(&v));
		sb_free(&v);
	}
	tx_line(tx, "stp_error_clear(c);");
	if (st->els)
		sub(tx, st->els, false);
	tx->indent--;
	tx_line(tx, "end%d: ;", n);
	tx->indent++;
	free(catch);
}

static void stmt(struct tx *tx, struct stmt *st)
{
	struct strbuf sb = { 0 };

	switch (st->kind) {
	case S_BLOCK:
		tx_line(tx, "{");
		tx->indent++;
		block(tx, &st->body, &st->loc);
		tx->indent--;
		tx_line(tx, "}");
		break;
	case S_EXPR:
		expr_text(tx, &sb, st->e);
		tx_line(tx, "(void)%s;", sb_str(&sb));
		break;
	case S_IF:
		s_if(tx, st);
		break;
	case S_WHILE:
		s_while(tx, st);
		break;
	case S_FOR:
		s_for(tx, st);
		break;
	case S_BREAK:
		tx_line(tx, "break;");
		break;
	case S_CONTINUE:
		tx_line(tx, "continue;");
		break;
	case S_NEXT:
		if (tx->sc->func)
			tx_line(tx, "c->unwind = 1;");
		tx_line(tx, "goto out;");
		break;
	case S_RETURN:
		s_return(tx, st);
		break;
	case S_DELETE:
		s_delete(tx, st);
		break;
	case S_TRY:
		s_try(tx, st);
		break;
	case S_NULL:
		break;
	case S_FOREACH:
		tx_data_foreach(tx, st);
		break;
	case S_EMBEDDED:
		tx_line(tx, "{");
		sb_printf(tx->out, "%s\n", st->code);
		tx_line(tx, "}");
		break;
	}
	sb_free(&sb);
}

/* ---- frames ---------------------------------------------------------------- */

static void field(struct strbuf *sb, enum ast_type t, const char *prefix,
		  const char *name)
{
	if (t == TY_STRING)
		sb_printf(sb, "\tchar %s%s[MAXSTRINGLEN];\n", prefix, name);
	else
		sb_printf(sb, "\tint64_t %s%s;\n", prefix, name);
}

void tx_frame_struct(struct tx *tx, const char *tag, struct vec *locals,
		     int ntmp, const struct ast_func *f)
{
	bool embedded = f && f->body && f->body->kind == S_EMBEDDED;
	int n = 0;

	sb_printf(&tx->frames, "struct %s {\n", tag);
	vec_each(locals, i) {
		struct ast_vardecl *v = vec_get(locals, i);

		field(&tx->frames, v->type, embedded ? "" : "v_", v->name);
		n++;
	}
	if (embedded && f->ret != TY_VOID) {
		field(&tx->frames, f->ret, "", "__retvalue");
		n++;
	}
	if (ntmp)
		sb_printf(&tx->frames, "\tchar _t[%d][MAXSTRINGLEN];\n", ntmp);
	else if (!n)
		sb_puts(&tx->frames, "\tchar _unused;\n");
	sb_puts(&tx->frames, "};\n");
}

static void init_locals(struct tx *tx, struct vec *locals, int skip,
			bool embedded)
{
	for (int i = skip; i < locals->n; i++) {
		struct ast_vardecl *v = vec_get(locals, i);
		const char *p = embedded ? "" : "v_";

		if (v->type == TY_STRING)
			tx_line(tx, "l->%s%s[0] = '\\0';", p, v->name);
		else
			tx_line(tx, "l->%s%s = 0;", p, v->name);
	}
}

/* ---- probe handlers ------------------------------------------------------- */

void tx_probe_scope(struct tx_scope *sc, char *tag, size_t n,
		    struct elab_probe *p)
{
	snprintf(tag, n, "stp_fr_p%d", p->index);
	*sc = (struct tx_scope){ .probe = p, .frame = tag, .errlabel = "out" };
}

void tx_probe_handler(struct tx *tx, struct elab_probe *p)
{
	struct tx_scope sc;
	struct strbuf body = { 0 };
	char tag[32];

	tx_probe_scope(&sc, tag, sizeof(tag), p);
	tx->sc = &sc;
	tx->out = &body;
	tx->indent = 1;

	init_locals(tx, &p->locals, 0, false);
	if (p->cond) {
		struct strbuf c = { 0 };

		expr_text(tx, &c, p->cond);
		tx_line(tx, "if (!(%s))", sb_str(&c));
		tx_line(tx, "\tgoto out;");
		sb_free(&c);
	}
	if (p->body) {
		if (p->body->kind == S_BLOCK)
			block(tx, &p->body->body, &p->body->loc);
		else
			stmt(tx, p->body);
	}

	tx_frame_struct(tx, tag, &p->locals, sc.maxtmp, NULL);
	/* the point as a C comment: no comment delimiter out of it */
	sb_puts(&tx->code, "/* probe ");
	for (const char *q = p->pp ? p->pp : ""; *q; q++) {
		sb_putc(&tx->code, *q);
		if ((q[0] == '/' && q[1] == '*') || (q[0] == '*' && q[1] == '/'))
			sb_putc(&tx->code, ' ');
	}
	sb_puts(&tx->code, " */\n");
	sb_printf(&tx->code, "static void __maybe_unused stp_p%d(struct stp_context *c)\n{\n",
		  p->index);
	sb_printf(&tx->code, "\tstruct %s *l __maybe_unused = "
		  "&((union stp_frame *)c->frames)[0].p%d;\n\n", tag, p->index);
	sb_puts(&tx->code, sb_str(&body));
	sb_puts(&tx->code, "out: __maybe_unused;\n}\n\n");
	sb_free(&body);
	tx->sc = NULL;
	tx->out = NULL;
}

/* ---- functions ------------------------------------------------------------- */

void tx_function_proto(struct tx *tx, struct strbuf *sb, struct ast_func *f)
{
	enum ast_type rt = f->ret;

	if (rt == TY_STRING)
		sb_printf(sb, "static void stp_f_%s(struct stp_context *c, char *rv",
			  tx_fname(tx, f));
	else if (rt == TY_LONG)
		sb_printf(sb, "static int64_t stp_f_%s(struct stp_context *c",
			  tx_fname(tx, f));
	else
		sb_printf(sb, "static void stp_f_%s(struct stp_context *c",
			  tx_fname(tx, f));
	vec_each(&f->params, i) {
		struct ast_param *p = vec_get(&f->params, i);
		struct ast_vardecl *v = i < f->locals.n ? vec_get(&f->locals, i) : NULL;
		enum ast_type t = v ? v->type : p->type;

		sb_printf(sb, ", %sa_%s", t == TY_STRING ? "const char *" : "int64_t ",
			  p->name);
	}
	sb_puts(sb, ")");
}

static void embedded_body(struct tx *tx, struct ast_func *f, const char *near)
{
	tx_line(tx, "#define STAP_NEAR %s", near);
	tx_line(tx, "c->fn_near = STAP_NEAR;");
	vec_each(&f->params, i) {
		struct ast_param *p = vec_get(&f->params, i);

		tx_line(tx, "#define STAP_ARG_%s (l->%s)", p->name, p->name);
	}
	if (f->ret != TY_VOID)
		tx_line(tx, "#define STAP_RETVALUE (l->__retvalue)");
	tx_line(tx, "{");
	sb_printf(tx->out, "%s\n", f->body->code);
	tx_line(tx, "}");
	vec_each(&f->params, i) {
		struct ast_param *p = vec_get(&f->params, i);

		tx_line(tx, "#undef STAP_ARG_%s", p->name);
	}
	if (f->ret != TY_VOID)
		tx_line(tx, "#undef STAP_RETVALUE");
	tx_line(tx, "#undef STAP_NEAR");
}

/* where f's name is (stap reports errors in a function there), given the
 * location of its "function" keyword */
static struct src_loc fn_name_loc(const struct ast_func *f)
{
	struct src_loc at = f->loc;
	const char *p = at.file ? at.file->text : NULL;
	int line = 1;

	if (!p || at.line < 1)
		return at;
	for (; *p && line < at.line; p++)
		line += *p == '\n';
	for (int col = 1; *p && *p != '\n' && col < at.col; col++)
		p++;
	if (strncmp(p, "function", 8))
		return at;
	p += 8;
	at.col += 8;
	while (*p == ' ' || *p == '\t' || *p == '\n') {
		if (*p == '\n') {
			at.line++;
			at.col = 0;
		}
		at.col++;
		p++;
	}
	if (strncmp(p, f->name, strlen(f->name)))
		return f->loc;
	return at;
}

void tx_function(struct tx *tx, struct ast_func *f)
{
	struct tx_scope sc = { 0 };
	struct strbuf body = { 0 }, near = { 0 }, tag = { 0 };
	bool embedded = f->body && f->body->kind == S_EMBEDDED;
	const char *name = tx_fname(tx, f);
	const char *p = embedded ? "" : "v_";
	char what[160];

	sb_printf(&tag, "stp_fr_f_%s", name);
	sc.func = f;
	sc.frame = sb_str(&tag);
	sc.errlabel = "out";
	tx->sc = &sc;
	tx->out = &body;
	tx->indent = 1;

	/* parameters, then the other locals */
	vec_each(&f->params, i) {
		struct ast_param *pa = vec_get(&f->params, i);
		struct ast_vardecl *v = i < f->locals.n ? vec_get(&f->locals, i) : NULL;

		if (v && v->type == TY_STRING)
			tx_line(tx, "stp_strcpy(l->%s%s, a_%s);", p, pa->name, pa->name);
		else
			tx_line(tx, "l->%s%s = a_%s;", p, pa->name, pa->name);
	}
	init_locals(tx, &f->locals, f->params.n, embedded);
	if (embedded && f->ret == TY_STRING)
		tx_line(tx, "l->__retvalue[0] = '\\0';");
	else if (embedded && f->ret == TY_LONG)
		tx_line(tx, "l->__retvalue = 0;");
	snprintf(what, sizeof(what), "identifier '%s'", f->name);
	{
		struct src_loc at = fn_name_loc(f);

		tx_near(tx, &near, what, &at);
	}
	if (embedded)
		embedded_body(tx, f, sb_str(&near));
	else if (f->body && f->body->kind == S_BLOCK)
		block(tx, &f->body->body, &f->body->loc);
	else if (f->body)
		stmt(tx, f->body);

	tx_frame_struct(tx, sb_str(&tag), &f->locals, sc.maxtmp, f);
	tx_function_proto(tx, &tx->code, f);
	sb_puts(&tx->code, "\n{\n");
	sb_printf(&tx->code, "\tstruct %s *l;\n", sb_str(&tag));
	if (f->ret == TY_LONG)
		sb_puts(&tx->code, "\tint64_t rv = 0;\n");
	sb_printf(&tx->code, "\n\tif (unlikely(c->nesting >= MAXNESTING)) {\n"
		  "\t\tstp_error_fatal(c, \"MAXNESTING exceeded\", %s);\n"
		  "\t\treturn%s;\n\t}\n", sb_str(&near),
		  f->ret == TY_LONG ? " 0" : "");
	sb_printf(&tx->code, "\tl = &((union stp_frame *)c->frames)[++c->nesting].f_%s;\n",
		  name);
	if (f->ret == TY_STRING)
		sb_puts(&tx->code, "\trv[0] = '\\0';\n");
	sb_puts(&tx->code, sb_str(&body));
	sb_puts(&tx->code, "out: __maybe_unused;\n");
	if (embedded)
		sb_puts(&tx->code, "\tc->fn_near = NULL;\n");
	if (embedded && f->ret == TY_STRING)
		sb_puts(&tx->code, "\tstp_strcpy(rv, l->__retvalue);\n");
	else if (embedded && f->ret == TY_LONG)
		sb_puts(&tx->code, "\trv = l->__retvalue;\n");
	sb_puts(&tx->code, "\tc->nesting--;\n");
	if (f->ret == TY_LONG)
		sb_puts(&tx->code, "\treturn rv;\n");
	sb_puts(&tx->code, "}\n\n");
	sb_free(&body);
	sb_free(&near);
	sb_free(&tag);
	tx->sc = NULL;
	tx->out = NULL;
}
