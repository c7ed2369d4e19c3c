/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_call.c - function calls: the builtins of src/elaborate/builtins.c
 * (print family, exit/error/warn/abort, string and time functions) and
 * calls of script or embedded-C functions.
 *
 * Arguments are evaluated left to right into C temporaries when any has
 * side effects.  A script function returning a string writes it into a
 * string temporary of the caller, passed as its second argument.
 */
#include <stdlib.h>
#include <string.h>

#include "elaborate/builtins.h"
#include "translate/tx_data.h"
#include "translate/tx_int.h"
#include "util/xalloc.h"

#include "../../runtime/stp_fmt.h"

/* evaluated arguments args[from..]: "pre" declarations and the list */
struct args {
	struct strbuf pre;	/* "T _v1 = ...; " or empty */
	struct strbuf list;	/* ", a, b" (each prefixed by ", ") */
	struct vec item;	/* "a", "b": each argument's C expression */
	bool wrapped;
};

static void eval_args(struct tx *tx, struct vec *args, int from, struct args *a,
		      bool casts)
{
	bool pure = true;

	memset(a, 0, sizeof(*a));
	for (int i = from; i < args->n; i++)
		pure = pure && tx_pure(vec_get(args, i));
	a->wrapped = !pure;
	for (int i = from; i < args->n; i++) {
		struct expr *e = vec_get(args, i);
		const char *cast = !casts ? "" :
			e->type == TY_STRING ? "(const char *)" : "(int64_t)";

		struct strbuf it = { 0 };

		if (pure) {
			sb_printf(&it, "%s(", cast);
			tx_expr(tx, &it, e);
			sb_puts(&it, ")");
		} else {
			int v = ++tx->nvar;

			sb_printf(&a->pre, "%s_v%d = ", tx_type_c(e->type), v);
			tx_expr(tx, &a->pre, e);
			sb_puts(&a->pre, "; ");
			sb_printf(&it, "_v%d", v);
		}
		sb_printf(&a->list, ", %s", sb_str(&it));
		vec_push(&a->item, it.s ? it.s : xstrdup(""));
	}
}

/* the list without its leading ", " */
static const char *args_bare(const struct args *a)
{
	return a->list.len >= 2 ? a->list.s + 2 : "";
}

static void args_free(struct args *a)
{
	sb_free(&a->pre);
	sb_free(&a->list);
	vec_each(&a->item, i)
		free(vec_get(&a->item, i));
	vec_free(&a->item);
}

static void near_call(struct tx *tx, struct strbuf *sb, const struct expr *e)
{
	char what[160];

	snprintf(what, sizeof(what), "identifier '%s'", e->str);
	tx_near(tx, sb, what, &e->loc);
}

/* check a literal format against its arguments; false after an error */
static bool check_format(struct tx *tx, struct expr *e, const char *fmt,
			 struct vec *args, int from, bool *memory)
{
	struct stp_fmt_spec sp;
	const char *p = fmt;
	int i = from;

	*memory = false;
	for (;;) {
		p = stp_fmt_parse(p, &sp);
		if (sp.kind == STP_FK_END)
			break;
		if (sp.kind == STP_FK_BAD) {
			tx_error(tx, &e->loc, "invalid or missing conversion specifier");
			return false;
		}
		if (sp.kind == STP_FK_MEMORY)
			*memory = true;
		for (int star = (sp.width == STP_FMT_STAR) + (sp.prec == STP_FMT_STAR);
		     star > 0; star--, i++) {
			struct expr *a = i < args->n ? vec_get(args, i) : NULL;

			if (a && a->type != TY_LONG) {
				tx_error(tx, &a->loc, "format '*' needs a long argument");
				return false;
			}
		}
		if (!stp_fmt_takes_value(sp.kind))
			continue;
		if (i >= args->n) {
			tx_error(tx, &e->loc, "too few arguments for the format string");
			return false;
		}
		{
			struct expr *a = vec_get(args, i);
			enum ast_type want = stp_fmt_takes_string(sp.kind) ?
				TY_STRING : TY_LONG;

			if (a->type != want) {
				tx_error(tx, &a->loc, "format directive %.*s needs a %s argument",
					 (int)sp.len, sp.text,
					 want == TY_STRING ? "string" : "long");
				return false;
			}
		}
		i++;
	}
	if (i < args->n) {
		tx_error(tx, &e->loc, "too many arguments for the format string");
		return false;
	}
	return true;
}

/* a literal string escaped for use inside a format */
static void fmt_lit(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			sb_putc(sb, '%');
		sb_putc(sb, *s);
	}
}

/* flush the literal run lit as one stp_print_mem() */
static void print_lit(struct strbuf *sb, struct strbuf *lit)
{
	if (!lit->len)
		return;
	sb_puts(sb, "stp_print_mem(c, ");
	tx_cstr(sb, sb_str(lit));
	sb_printf(sb, ", %zu); ", lit->len);
	lit->len = 0;
}

/*
 * A format of literal text, %% and plain %d/%i/%s (no flag, width or
 * precision) needs no printf engine: the literal runs and the values go
 * out directly, in order, the values having been evaluated before (the
 * arguments are pure, or temporaries in a->pre); literal strings among
 * the values join the text.  False when fmt has any other directive.
 */
static bool print_direct(struct strbuf *sb, const char *fmt,
			 const struct vec *vals, const struct args *a)
{
	struct strbuf lit = { 0 }, out = { 0 };
	struct stp_fmt_spec sp;
	const char *p = fmt;
	bool ok = true;
	int i = 0;

	while (p = stp_fmt_parse(p, &sp), sp.kind != STP_FK_END) {
		const struct expr *v;

		if (sp.kind == STP_FK_TEXT) {
			sb_add(&lit, sp.text, sp.len);
			continue;
		}
		if (sp.kind == STP_FK_PERCENT) {
			sb_putc(&lit, '%');
			continue;
		}
		ok = (sp.kind == STP_FK_SIGNED || sp.kind == STP_FK_STRING) &&
		     !sp.flags && sp.width == STP_FMT_NONE &&
		     sp.prec == STP_FMT_NONE;
		if (!ok)
			break;
		v = vec_get(vals, i);
		if (!a->wrapped && v->kind == E_STR) {
			sb_puts(&lit, v->str);
			i++;
			continue;
		}
		print_lit(&out, &lit);
		sb_printf(&out, "%s(c, %s); ", sp.kind == STP_FK_STRING ?
			  "stp_print_str" : "stp_print_s64",
			  (const char *)vec_get(&a->item, i++));
	}
	if (ok) {
		print_lit(&out, &lit);
		sb_puts(sb, sb_str(&out));
	}
	sb_free(&lit);
	sb_free(&out);
	return ok;
}

/*
 * The print family, lowered to one printf/sprintf: print(a, b) is
 * printf("%d%s", a, b); printd(",", a, b) printf("%d,%s", a, b);
 * the ...ln variants add "\n".
 */
static void print_family(struct tx *tx, struct strbuf *sb, struct expr *e,
			 const struct builtin *bi)
{
	struct strbuf fmt = { 0 }, f = { 0 };
	struct args a;
	bool ln = bi->id == BI_PRINTLN || bi->id == BI_SPRINTLN ||
		bi->id == BI_PRINTDLN || bi->id == BI_SPRINTDLN;
	bool to_str = bi->ret == TY_STRING;
	bool memory = false;
	int from = 0, tmp = -1;
	struct expr *delim = NULL;
	struct vec vals = { 0 };	/* the values, in the format's order */

	if (bi->flags & BI_FORMAT) {
		struct expr *fe = e->args.n ? vec_get(&e->args, 0) : NULL;

		if (!fe || fe->kind != E_STR) {
			tx_error(tx, &e->loc, "the format of %s must be a literal string",
				 e->str);
			sb_puts(sb, to_str ? "\"\"" : "(void)0");
			return;
		}
		if (!check_format(tx, e, fe->str, &e->args, 1, &memory)) {
			sb_puts(sb, to_str ? "\"\"" : "(void)0");
			return;
		}
		sb_puts(&fmt, fe->str);
		from = 1;
	} else if (!(bi->flags & BI_DELIM) && e->args.n == 1 &&
		   ((struct expr *)vec_get(&e->args, 0))->kind == E_HIST) {
		tx_data_print_hist(tx, sb, e, vec_get(&e->args, 0), to_str);
		return;
	} else {
		if (bi->flags & BI_DELIM) {
			delim = vec_get(&e->args, 0);
			from = 1;
		}
		for (int i = from; i < e->args.n; i++) {
			struct expr *x = vec_get(&e->args, i);

			if (x->type != TY_LONG && x->type != TY_STRING) {
				tx_error(tx, &x->loc, "statistics cannot be printed yet");
				sb_puts(sb, to_str ? "\"\"" : "(void)0");
				sb_free(&fmt);
				return;
			}
			if (i > from && delim) {
				if (delim->kind == E_STR)
					fmt_lit(&fmt, delim->str);
				else
					sb_puts(&fmt, "%s");
			}
			sb_puts(&fmt, x->type == TY_STRING ? "%s" : "%d");
		}
		if (ln)
			sb_puts(&fmt, "\n");
	}
	if (delim && delim->kind != E_STR) {
		/* the delimiter is an expression: pass it before each value */
		for (int i = from; i < e->args.n; i++) {
			if (i > from)
				vec_push(&vals, delim);
			vec_push(&vals, vec_get(&e->args, i));
		}
	} else {
		for (int i = from; i < e->args.n; i++)
			vec_push(&vals, vec_get(&e->args, i));
	}
	eval_args(tx, &vals, 0, &a, true);
	tx_cstr(&f, sb_str(&fmt));
	if (to_str)
		tmp = tx_tmp(tx);
	sb_printf(sb, "({ %s", sb_str(&a.pre));
	if (to_str) {
		sb_printf(sb, "stp_sprintf(c, l->_t[%d], ", tmp);
		near_call(tx, sb, e);
		sb_printf(sb, ", %s%s); ", sb_str(&f), sb_str(&a.list));
	} else if (memory || !print_direct(sb, sb_str(&fmt), &vals, &a)) {
		sb_puts(sb, "stp_printf(c, ");
		near_call(tx, sb, e);
		sb_printf(sb, ", %s%s); ", sb_str(&f), sb_str(&a.list));
	}
	if (memory)
		tx_check(tx, sb);
	if (to_str)
		sb_printf(sb, "(const char *)l->_t[%d]; })", tmp);
	else
		sb_puts(sb, "(void)0; })");
	args_free(&a);
	vec_free(&vals);
	sb_free(&fmt);
	sb_free(&f);
}

static void builtin(struct tx *tx, struct strbuf *sb, struct expr *e,
		    const struct builtin *bi)
{
	struct args a;

	switch (bi->id) {
	case BI_PRINT: case BI_PRINTLN: case BI_SPRINT: case BI_SPRINTLN:
	case BI_PRINTF: case BI_SPRINTF:
	case BI_PRINTD: case BI_PRINTDLN: case BI_SPRINTD: case BI_SPRINTDLN:
		print_family(tx, sb, e, bi);
		return;
	case BI_EXIT:
		sb_puts(sb, "stp_request_exit()");
		return;
	case BI_ABORT:
		sb_puts(sb, "({ stp_abort(c); goto out; (void)0; })");
		return;
	default:
		break;
	}
	eval_args(tx, &e->args, 0, &a, false);
	sb_printf(sb, "({ %s", sb_str(&a.pre));
	switch (bi->id) {
	case BI_ERROR:
		/* stap 4.8 prints error()'s message alone, with no place */
		sb_printf(sb, "stp_error_str(c%s, NULL); goto %s; (void)0; })",
			  sb_str(&a.list), tx->sc->errlabel);
		break;
	case BI_WARN:
		sb_printf(sb, "stp_transport_warn(%s); (void)0; })", args_bare(&a));
		break;
	case BI_STRLEN:
		sb_printf(sb, "(int64_t)strlen(%s); })", args_bare(&a));
		break;
	case BI_SUBSTR:
		sb_printf(sb, "(const char *)stp_substr(l->_t[%d]%s); })",
			  tx_tmp(tx), sb_str(&a.list));
		break;
	case BI_ISINSTR:
		sb_printf(sb, "stp_isinstr(%s); })", args_bare(&a));
		break;
	case BI_STRINGAT: {
		int v = ++tx->nvar;

		sb_printf(sb, "int64_t _v%d = stp_stringat(c%s, ", v, sb_str(&a.list));
		near_call(tx, sb, e);
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "_v%d; })", v);
		break;
	}
	case BI_GETTIMEOFDAY_S:
		sb_puts(sb, "stp_gettimeofday_s(); })");
		break;
	case BI_GETTIMEOFDAY_MS:
		sb_puts(sb, "stp_gettimeofday_ms(); })");
		break;
	case BI_GETTIMEOFDAY_US:
		sb_puts(sb, "stp_gettimeofday_us(); })");
		break;
	case BI_GETTIMEOFDAY_NS:
		sb_puts(sb, "stp_gettimeofday_ns(); })");
		break;
	default:
		tx_error(tx, &e->loc, "builtin '%s' cannot be translated yet", e->str);
		sb_puts(sb, "0; })");
		break;
	}
	args_free(&a);
}

/* a call of a script or embedded-C function */
static void user_call(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct ast_func *f = e->func;
	const char *name = tx_fname(tx, f);
	struct args a;
	int v = ++tx->nvar;

	eval_args(tx, &e->args, 0, &a, false);
	sb_printf(sb, "({ %s", sb_str(&a.pre));
	switch (e->type) {
	case TY_STRING: {
		int t = tx_tmp(tx);

		sb_printf(sb, "stp_f_%s(c, l->_t[%d]%s); ", name,
			  t, sb_str(&a.list));
		tx_check(tx, sb);
		sb_printf(sb, "(const char *)l->_t[%d]; })", t);
		break;
	}
	case TY_LONG:
		sb_printf(sb, "int64_t _v%d = stp_f_%s(c%s); ", v,
			  name, sb_str(&a.list));
		tx_check(tx, sb);
		sb_printf(sb, "_v%d; })", v);
		break;
	default:
		sb_printf(sb, "stp_f_%s(c%s); ", name, sb_str(&a.list));
		tx_check(tx, sb);
		sb_puts(sb, "(void)0; })");
		break;
	}
	args_free(&a);
}

void tx_call(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	const struct builtin *bi;

	if (e->func) {
		user_call(tx, sb, e);
		return;
	}
	bi = builtin_find(e->str);
	if (!bi) {
		tx_error(tx, &e->loc, "unresolved function '%s'", e->str);
		sb_puts(sb, "0");
		return;
	}
	builtin(tx, sb, e, bi);
}
