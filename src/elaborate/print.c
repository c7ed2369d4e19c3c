/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * print.c - the -p2 listing: "# globals", "# functions", "# probes" with
 * inferred types; handler and function bodies with -v.
 */
#include <stdlib.h>
#include <string.h>

#include "elaborate/builtins.h"
#include "elaborate/elab_int.h"
#include "session.h"

/* stap's mangled names for globals and functions in -v bodies */
static void put_mangled(struct strbuf *sb, const char *name, bool priv,
			const struct src_file *file)
{
	if (!priv) {
		sb_printf(sb, "__global_%s", name);
		return;
	}
	sb_puts(sb, "__private_");
	for (const char *p = file && file->name ? file->name : ""; *p; p++)
		sb_putc(sb, ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9')) ? *p : '_');
	sb_printf(sb, "_%s", name);
}

static void put_str(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; s && *s; s++) {
		switch (*s) {
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		default: sb_putc(sb, *s);
		}
	}
	sb_putc(sb, '"');
}

static void put_args(struct strbuf *sb, const struct vec *args)
{
	vec_each(args, i) {
		if (i)
			sb_puts(sb, ", ");
		print_expr(sb, vec_get(args, i));
	}
}

/* stap shows a format string with its escapes escaped once more */
static void put_format(struct strbuf *sb, const struct vec *args)
{
	struct strbuf t = { 0 };
	const struct expr *f = vec_get(args, 0);

	put_str(&t, f->str);
	sb_putc(sb, '"');
	for (size_t i = 1; i + 1 < t.len; i++) {
		if (t.s[i] == '\\' && t.s[i + 1] != '"')
			sb_putc(sb, '\\');
		sb_putc(sb, t.s[i]);
		if (t.s[i] == '\\')
			sb_putc(sb, t.s[++i]);
	}
	sb_putc(sb, '"');
	sb_free(&t);
	for (int i = 1; i < args->n; i++) {
		sb_puts(sb, ", ");
		print_expr(sb, vec_get(args, i));
	}
}

static void put_comps(struct strbuf *sb, const struct vec *comps)
{
	vec_each(comps, i) {
		const struct target_comp *c = vec_get(comps, i);

		if (c->kind == COMP_FIELD) {
			sb_puts(sb, "->");
			sb_puts(sb, c->name);
		} else {
			sb_putc(sb, '[');
			print_expr(sb, c->index);
			sb_putc(sb, ']');
		}
	}
}

static void paren(struct strbuf *sb, const struct expr *e)
{
	sb_putc(sb, '(');
	print_expr(sb, e);
	sb_putc(sb, ')');
}

void print_expr(struct strbuf *sb, const struct expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_NUM:
		sb_printf(sb, "%lld", (long long)e->num);
		break;
	case E_STR:
		put_str(sb, e->str);
		break;
	case E_IDENT:
		if (e->var && e->var->global)
			put_mangled(sb, e->str, e->var->is_private, e->var->file);
		else
			sb_puts(sb, e->str);
		break;
	case E_INDEX:
		print_expr(sb, e->a);
		sb_putc(sb, '[');
		put_args(sb, &e->args);
		sb_putc(sb, ']');
		break;
	case E_CALL:
		if (e->func) {
			put_mangled(sb, e->str, e->func->is_private, e->func->file);
			sb_puts(sb, "__overload_0");
		} else {
			sb_puts(sb, e->str);
		}
		sb_putc(sb, '(');
		if (!e->func && e->args.n && builtin_find(e->str) &&
		    (builtin_find(e->str)->flags & BI_FORMAT) &&
		    ((struct expr *)vec_get(&e->args, 0))->kind == E_STR)
			put_format(sb, &e->args);
		else
			put_args(sb, &e->args);
		sb_putc(sb, ')');
		break;
	case E_UNARY:
		sb_puts(sb, ast_op_text(e->op));
		paren(sb, e->a);
		break;
	case E_BINARY:
		paren(sb, e->a);
		sb_printf(sb, " %s ", ast_op_text(e->op));
		paren(sb, e->b);
		break;
	case E_TERNARY:
		paren(sb, e->a);
		sb_puts(sb, " ? ");
		paren(sb, e->b);
		sb_puts(sb, " : ");
		paren(sb, e->c);
		break;
	case E_ASSIGN:
		paren(sb, e->a);
		if (e->op == OP_ASSIGN || e->op == OP_STATS_ADD)
			sb_printf(sb, " %s ", ast_op_text(e->op));
		else
			sb_printf(sb, " %s= ", ast_op_text(e->op));
		paren(sb, e->b);
		break;
	case E_INCDEC:
		if (!e->postfix)
			sb_puts(sb, ast_op_text(e->op));
		paren(sb, e->a);
		if (e->postfix)
			sb_puts(sb, ast_op_text(e->op));
		break;
	case E_IN:
		sb_putc(sb, '[');
		put_args(sb, &e->args);
		sb_puts(sb, "] in ");
		print_expr(sb, e->a);
		break;
	case E_STAR:
		sb_putc(sb, '*');
		break;
	case E_STAT:
		sb_printf(sb, "@%s(", e->str);
		print_expr(sb, e->a);
		if (e->b) {
			sb_puts(sb, ", ");
			print_expr(sb, e->b);
		}
		sb_putc(sb, ')');
		break;
	case E_HIST:
		sb_printf(sb, "@hist_%s(", e->str);
		print_expr(sb, e->a);
		vec_each(&e->args, i) {
			sb_puts(sb, ", ");
			print_expr(sb, vec_get(&e->args, i));
		}
		sb_putc(sb, ')');
		break;
	case E_TARGET:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_printf(sb, "$%s", e->str);
		put_comps(sb, &e->comps);
		if (e->pretty)
			sb_puts(sb, e->pretty == 2 ? "$$" : "$");
		break;
	case E_TARGET_SYM:
		sb_printf(sb, "$$%s", e->str);
		if (e->pretty)
			sb_puts(sb, e->pretty == 2 ? "$$" : "$");
		break;
	case E_CAST:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_puts(sb, "@cast(");
		print_expr(sb, e->a);
		sb_puts(sb, ", ");
		put_str(sb, e->str);
		if (e->module) {
			sb_puts(sb, ", ");
			put_str(sb, e->module);
		}
		sb_putc(sb, ')');
		put_comps(sb, &e->comps);
		break;
	case E_ATVAR:
		if (e->addr_of)
			sb_putc(sb, '&');
		sb_puts(sb, "@var(");
		put_str(sb, e->str);
		if (e->module) {
			sb_puts(sb, ", ");
			put_str(sb, e->module);
		}
		sb_putc(sb, ')');
		put_comps(sb, &e->comps);
		break;
	case E_DEFINED:
		sb_puts(sb, "@defined(");
		print_expr(sb, e->a);
		sb_putc(sb, ')');
		break;
	case E_ENTRY:
		sb_puts(sb, "@entry(");
		print_expr(sb, e->a);
		sb_putc(sb, ')');
		break;
	case E_CHOOSE:
		sb_puts(sb, "@choose_defined(");
		print_expr(sb, e->a);
		sb_puts(sb, ", ");
		print_expr(sb, e->b);
		sb_putc(sb, ')');
		break;
	case E_PERF:
		sb_puts(sb, "@perf(");
		put_str(sb, e->str);
		sb_putc(sb, ')');
		break;
	case E_CONST:
		sb_puts(sb, "@const(");
		put_str(sb, e->str);
		sb_putc(sb, ')');
		break;
	case E_ARG:
		if (e->num < 0)
			sb_puts(sb, e->str_arg ? "@#" : "$#");
		else
			sb_printf(sb, "%c%lld", e->str_arg ? '@' : '$', (long long)e->num);
		break;
	case E_REGEX_MATCH:
		paren(sb, e->a);
		sb_puts(sb, " =~ ");
		paren(sb, e->b);
		break;
	case E_EMBEDDED:
		sb_printf(sb, "%%{%s%%}", e->str ? e->str : "");
		break;
	case E_AUTOCAST:
		paren(sb, e->a);
		put_comps(sb, &e->comps);
		if (e->pretty)
			sb_puts(sb, e->pretty == 2 ? "$$" : "$");
		break;
	case E_PROBEWRITE:
		sb_puts(sb, "@probewrite(");
		print_expr(sb, e->a);
		sb_putc(sb, ')');
		break;
	}
}

/* stap's -p2 -v statement shape: no indentation, one-statement blocks
 * collapsed, "{\n" stmt ";\n" ... "}" otherwise */
void print_stmt(struct strbuf *sb, const struct stmt *st, int indent)
{
	(void)indent;
	if (!st)
		return;
	switch (st->kind) {
	case S_BLOCK:
		if (st->body.n == 1) {
			print_stmt(sb, vec_get(&st->body, 0), 0);
			break;
		}
		sb_puts(sb, "{\n");
		vec_each(&st->body, i) {
			print_stmt(sb, vec_get(&st->body, i), 0);
			sb_puts(sb, ";\n");
		}
		sb_putc(sb, '}');
		break;
	case S_EXPR:
		print_expr(sb, st->e);
		break;
	case S_IF:
		sb_puts(sb, "if (");
		print_expr(sb, st->e);
		sb_puts(sb, ") ");
		print_stmt(sb, st->then, 0);
		if (st->els) {
			sb_puts(sb, "\nelse ");
			print_stmt(sb, st->els, 0);
			sb_putc(sb, '\n');
		}
		break;
	case S_WHILE:
		sb_puts(sb, "for (; ");
		print_expr(sb, st->e);
		sb_puts(sb, "; ) ");
		print_stmt(sb, st->then, 0);
		break;
	case S_FOR:
		sb_puts(sb, "for (");
		if (st->init)
			print_expr(sb, st->init->e);
		sb_puts(sb, "; ");
		print_expr(sb, st->e);
		sb_puts(sb, "; ");
		if (st->incr)
			print_expr(sb, st->incr->e);
		sb_puts(sb, ") ");
		print_stmt(sb, st->then, 0);
		break;
	case S_FOREACH: {
		const struct foreach_info *fe = st->fe;

		sb_puts(sb, "foreach (");
		if (fe->value) {
			print_expr(sb, fe->value);
			sb_puts(sb, " = ");
		}
		sb_putc(sb, '[');
		vec_each(&fe->keys, i) {
			if (i)
				sb_puts(sb, ", ");
			print_expr(sb, vec_get(&fe->keys, i));
			if (fe->sort_column == i + 1)
				sb_putc(sb, fe->sort_dir < 0 ? '-' : '+');
		}
		sb_puts(sb, "] in ");
		print_expr(sb, fe->array);
		if (fe->sort_column == -1)
			sb_putc(sb, fe->sort_dir < 0 ? '-' : '+');
		if (fe->limit) {
			sb_puts(sb, " limit ");
			print_expr(sb, fe->limit);
		}
		sb_puts(sb, ") ");
		print_stmt(sb, st->then, 0);
		break;
	}
	case S_BREAK:
		sb_puts(sb, "break");
		break;
	case S_CONTINUE:
		sb_puts(sb, "continue");
		break;
	case S_NEXT:
		sb_puts(sb, "next");
		break;
	case S_RETURN:
		sb_puts(sb, "return");
		if (st->e) {
			sb_putc(sb, ' ');
			print_expr(sb, st->e);
		}
		break;
	case S_DELETE:
		sb_puts(sb, "delete ");
		print_expr(sb, st->e);
		break;
	case S_TRY:
		sb_puts(sb, "try {\n");
		print_stmt(sb, st->then, 0);
		sb_puts(sb, "\n} catch");
		if (st->catch_var) {
			sb_puts(sb, " (");
			print_expr(sb, st->catch_var);
			sb_putc(sb, ')');
		}
		sb_puts(sb, " {\n");
		print_stmt(sb, st->els, 0);
		sb_puts(sb, "\n}\n");
		break;
	case S_NULL:
		break;
	case S_EMBEDDED:
		sb_printf(sb, "%%{%s%%}", st->code ? st->code : "");
		break;
	}
}

/* a body as stap shows it: "{ " stmt " }" */
static void put_body(struct strbuf *sb, const struct stmt *st)
{
	sb_puts(sb, "{ ");
	print_stmt(sb, st, 0);
	sb_puts(sb, " }\n");
}


static void put_var(struct strbuf *sb, const struct ast_vardecl *v)
{
	sb_puts(sb, v->name);
	if (v->size)
		sb_printf(sb, "[%lld]", (long long)v->size);
	sb_printf(sb, ":%s", elab_type_name(v->type));
	if (v->arity > 0) {
		sb_puts(sb, " [");
		for (int i = 0; i < v->arity; i++)
			sb_printf(sb, "%s%s", i ? ", " : "",
				  elab_type_name(v->key_types ? v->key_types[i] : TY_UNKNOWN));
		sb_putc(sb, ']');
	}
}

static int cmp_func(const void *a, const void *b)
{
	const struct ast_func *x = *(struct ast_func *const *)a;
	const struct ast_func *y = *(struct ast_func *const *)b;
	int c;

	/* stap's order: by mangled name, __global_NAME before
	 * __private_FILE_NAME */
	if (x->is_private != y->is_private)
		return x->is_private - y->is_private;
	if (x->is_private && x->file && y->file &&
	    (c = strcmp(x->file->name, y->file->name)))
		return c;
	c = strcmp(x->name, y->name);

	return c ? c : x->params.n - y->params.n;
}

/* "name:type (p:type, ...)" as in -p2 and --dump-functions */
void elab_func_sig(struct strbuf *sb, const struct ast_func *f)
{
	sb_printf(sb, "%s:%s (", f->name, elab_type_name(f->ret));
	vec_each(&f->params, i) {
		const struct ast_param *p = vec_get(&f->params, i);
		enum ast_type t = p->type;

		if (i < f->locals.n)
			t = ((struct ast_vardecl *)vec_get(&f->locals, i))->type;
		sb_printf(sb, "%s%s:%s", i ? ", " : "", p->name, elab_type_name(t));
	}
	sb_putc(sb, ')');
}

void elab_print(struct session *s, FILE *out)
{
	struct elab_program *P = s->elab;
	struct strbuf sb = { 0 };
	bool verbose = s->verbose[1] > 0 || s->verbose[0] > 0;

	if (!P)
		return;
	if (P->embeds.n) {
		sb_puts(&sb, "# global embedded code\n");
		vec_each(&P->embeds, i) {
			const struct ast_embed *em = vec_get(&P->embeds, i);

			sb_printf(&sb, "%%{%s%%}\n", em->code ? em->code : "");
		}
	}
	if (P->globals.n) {
		sb_puts(&sb, "# globals\n");
		vec_each(&P->globals, i) {
			put_var(&sb, vec_get(&P->globals, i));
			sb_putc(&sb, '\n');
		}
	}
	if (P->funcs.n) {
		struct ast_func **fs = malloc(P->funcs.n * sizeof(*fs));

		memcpy(fs, P->funcs.v, P->funcs.n * sizeof(*fs));
		qsort(fs, P->funcs.n, sizeof(*fs), cmp_func);
		sb_puts(&sb, "# functions\n");
		for (int i = 0; i < P->funcs.n; i++) {
			elab_func_sig(&sb, fs[i]);
			sb_putc(&sb, '\n');
			if (fs[i]->locals.n > fs[i]->params.n)
				sb_puts(&sb, "  # locals\n");
			for (int k = fs[i]->params.n; k < fs[i]->locals.n; k++) {
				sb_puts(&sb, "  ");
				put_var(&sb, vec_get(&fs[i]->locals, k));
				sb_putc(&sb, '\n');
			}
			if (verbose && fs[i]->body)
				put_body(&sb, fs[i]->body);
		}
		free(fs);
	}
	if (P->probes.n) {
		sb_puts(&sb, "# probes\n");
		vec_each(&P->probes, i) {
			struct elab_probe *ep = vec_get(&P->probes, i);

			vec_each(&ep->derived, k) {
				struct derived_probe *dp = vec_get(&ep->derived, k);

				const struct probe_point *q = dp->point;

				sb_puts(&sb, dp->pp);
				if (q && q->sufficient)
					sb_putc(&sb, '!');
				else if (q && q->optional)
					sb_putc(&sb, '?');
				sb_printf(&sb, " /* <- %s */\n",
					  dp->origin ? dp->origin : ep->pp);
				if (ep->locals.n) {
					sb_puts(&sb, "  # locals\n");
					vec_each(&ep->locals, j) {
						sb_puts(&sb, "  ");
						put_var(&sb, vec_get(&ep->locals, j));
						sb_putc(&sb, '\n');
					}
				}
				if (verbose)
					put_body(&sb, ep->body);
			}
		}
	}
	fputs(sb_str(&sb), out);
	sb_free(&sb);
}
