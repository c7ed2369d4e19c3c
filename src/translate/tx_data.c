/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx_data.c - pass 3 for arrays, statistics and histograms.  The generated
 * code only calls runtime/data/ (stp_map_*, stp_pmap_*, stp_pstat_* and the
 * stp_d_* wrappers that raise errors in the context); it never contains a
 * copy of the map logic.
 *
 * A global array `a` becomes `static struct stp_map stp_g_a` (a statistics
 * array `struct stp_pmap`, a statistic `struct stp_pstat`) described by
 * `stp_g_a_md` (keys, value, size, wrap) and `stp_g_a_sd` (histogram,
 * variance shift: what the program asks of the statistic, found by
 * scanning it).  Keys are passed as a compound literal of union stp_kv;
 * keys with side effects go through C temporaries first, left to right.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#include "translate/tx_data.h"
#include "translate/tx_int.h"

#define STP_MAXKEYS_TX 9

/* what the program asks of one statistics global */
struct txd_stat {
	struct ast_vardecl *v;
	int hist;			/* 0, 1 log, 2 linear */
	int64_t start, stop, step;
	int shift;
	bool variance;
};

/*
 * A foreach being emitted.  Inside it, a[k1, k2] with exactly the loop's
 * keys reads the current entry instead of looking it up again (for a
 * statistics array: the aggregate the loop built, as stap does), unless
 * the body may change the array or the keys.
 */
struct txd_loop {
	struct ast_vardecl *arr;
	struct foreach_info *fe;
	char *m, *e;			/* C names of the map and the entry */
	bool safe;
};

struct txd {
	struct vec stats;		/* struct txd_stat * */
	struct vec loops;		/* struct txd_loop *, innermost last */
	bool any;			/* any data global: include the runtime */
};

static struct txd_loop *loop_entry(struct tx *tx, struct expr *ix,
				   struct ast_vardecl *v);

static struct txd *txd(struct tx *tx)
{
	if (!tx->data)
		tx->data = xcalloc(1, sizeof(struct txd));
	return tx->data;
}

void tx_data_free(struct tx *tx)
{
	struct txd *d = tx->data;

	if (!d)
		return;
	vec_each(&d->stats, i)
		free(vec_get(&d->stats, i));
	vec_free(&d->stats);
	vec_free(&d->loops);
	free(d);
	tx->data = NULL;
}

bool tx_data_is_data(const struct ast_vardecl *v)
{
	return v->arity > 0 || v->type == TY_STATS;
}

static const char *gname(const struct ast_vardecl *v)
{
	return v->tx ? (const char *)v->tx : v->name;
}

static char *tmpname(struct tx *tx, const char *p)
{
	return xasprintf("_%s%d", p, ++tx->nvar);
}

/* ---- scanning the program for what each statistic needs ------------------ */

typedef void (*scan_fn)(struct tx *tx, struct expr *e);

static void scan_expr(struct tx *tx, struct expr *e, scan_fn fn)
{
	if (!e)
		return;
	fn(tx, e);
	scan_expr(tx, e->a, fn);
	scan_expr(tx, e->b, fn);
	scan_expr(tx, e->c, fn);
	vec_each(&e->args, i)
		scan_expr(tx, vec_get(&e->args, i), fn);
	vec_each(&e->comps, i) {
		struct target_comp *tc = vec_get(&e->comps, i);

		if (tc->kind == COMP_INDEX)
			scan_expr(tx, tc->index, fn);
	}
}

static void scan_stmt(struct tx *tx, struct stmt *s, scan_fn fn)
{
	if (!s)
		return;
	scan_expr(tx, s->e, fn);
	scan_stmt(tx, s->then, fn);
	scan_stmt(tx, s->els, fn);
	scan_stmt(tx, s->init, fn);
	scan_stmt(tx, s->incr, fn);
	vec_each(&s->body, i)
		scan_stmt(tx, vec_get(&s->body, i), fn);
	if (s->fe) {
		scan_expr(tx, s->fe->array, fn);
		scan_expr(tx, s->fe->limit, fn);
		vec_each(&s->fe->slice, i)
			scan_expr(tx, vec_get(&s->fe->slice, i), fn);
	}
}

/* the statistics global an operand of @count/@hist_* names */
static struct ast_vardecl *stat_var(struct expr *a)
{
	if (a && (a->kind == E_IDENT || a->kind == E_INDEX) && a->var &&
	    a->var->global)
		return a->var;
	return NULL;
}

static struct txd_stat *stat_info(struct tx *tx, struct ast_vardecl *v)
{
	struct txd *d = txd(tx);
	struct txd_stat *s;

	vec_each(&d->stats, i) {
		s = vec_get(&d->stats, i);
		if (s->v == v)
			return s;
	}
	s = xcalloc(1, sizeof(*s));
	s->v = v;
	vec_push(&d->stats, s);
	return s;
}

static bool lit(struct expr *e, int64_t *out)
{
	if (e && e->kind == E_NUM) {
		*out = e->num;
		return true;
	}
	if (e && e->kind == E_UNARY && e->op == OP_NEG && e->a &&
	    e->a->kind == E_NUM) {
		*out = -e->a->num;
		return true;
	}
	return false;
}

static void scan_stat(struct tx *tx, struct expr *e)
{
	struct ast_vardecl *v;
	struct txd_stat *s;

	if (e->kind != E_HIST && e->kind != E_STAT)
		return;
	v = stat_var(e->a);
	if (!v)
		return;
	s = stat_info(tx, v);
	if (e->kind == E_STAT) {
		int64_t sh = 0;

		if (!e->str || strcmp(e->str, "variance"))
			return;
		s->variance = true;
		if (e->b && !lit(e->b, &sh))
			tx_error(tx, &e->b->loc, "the bit shift of @variance must be a literal number");
		if (sh < 0 || sh > 62)
			tx_error(tx, &e->loc, "bit shift (%" PRId64 ") out of range <0..62>", sh);
		else if (e->b && s->shift && s->shift != sh)
			tx_error(tx, &e->loc, "conflicting variance bit shifts declared on '%s'",
				 v->name);
		else if (e->b)
			s->shift = (int)sh;
		return;
	}
	if (e->str && !strcmp(e->str, "linear")) {
		int64_t a[3] = { 0, 0, 0 };
		bool ok = e->args.n == 3;

		for (int i = 0; ok && i < 3; i++)
			ok = lit(vec_get(&e->args, i), &a[i]);
		if (!ok) {
			tx_error(tx, &e->loc, "@hist_linear needs three literal numbers");
			return;
		}
		if (a[2] <= 0 || a[1] <= a[0]) {
			tx_error(tx, &e->loc, "invalid @hist_linear range (%" PRId64 ", %"
				 PRId64 ", %" PRId64 ")", a[0], a[1], a[2]);
			return;
		}
		if ((a[1] - a[0]) / a[2] + 1 > 128) {
			tx_error(tx, &e->loc, "@hist_linear has more than 128 buckets");
			return;
		}
		if (s->hist && (s->hist != 2 || s->start != a[0] ||
				s->stop != a[1] || s->step != a[2])) {
			tx_error(tx, &e->loc, "multiple histogram types declared on '%s'",
				 v->name);
			return;
		}
		s->hist = 2;
		s->start = a[0];
		s->stop = a[1];
		s->step = a[2];
	} else {
		if (s->hist && s->hist != 1) {
			tx_error(tx, &e->loc, "multiple histogram types declared on '%s'",
				 v->name);
			return;
		}
		s->hist = 1;
	}
}

static void scan_program(struct tx *tx)
{
	vec_each(&tx->prog->probes, i) {
		struct elab_probe *p = vec_get(&tx->prog->probes, i);

		scan_stmt(tx, p->body, scan_stat);
		scan_expr(tx, p->cond, scan_stat);
	}
	vec_each(&tx->prog->funcs, i) {
		struct ast_func *f = vec_get(&tx->prog->funcs, i);

		if (f->body && f->body->kind != S_EMBEDDED)
			scan_stmt(tx, f->body, scan_stat);
	}
}

/* ---- globals ------------------------------------------------------------ */

static void stat_desc(struct tx *tx, struct strbuf *sb, struct ast_vardecl *v)
{
	struct txd_stat *s = stat_info(tx, v);

	sb_printf(sb, "static const struct stp_stat_desc %s_sd = ", gname(v));
	if (s->hist == 2)
		sb_printf(sb, "STP_STAT_DESC_LINEAR(%d, %d, %" PRId64 "LL, %" PRId64
			  "LL, %" PRId64 "LL);\n", s->variance, s->shift,
			  s->start, s->stop, s->step);
	else
		sb_printf(sb, "STP_STAT_DESC%s(%d, %d);\n", s->hist == 1 ? "_LOG" : "",
			  s->variance, s->shift);
}

void tx_data_global(struct tx *tx, struct strbuf *sb, struct ast_vardecl *v)
{
	struct txd *d = txd(tx);
	const char *n = gname(v);

	if (!d->any) {
		d->any = true;
		scan_program(tx);
		sb_puts(sb, "#include \"data/stp_data.h\"\n\n");
	}
	sb_printf(sb, "/* global %s%s */\n", v->name, v->arity > 0 ? "[]" : "");
	if (v->arity > STP_MAXKEYS_TX) {
		tx_error(tx, &v->loc, "array '%s' has more than %d keys", v->name,
			 STP_MAXKEYS_TX);
		return;
	}
	if (v->type == TY_STATS)
		stat_desc(tx, sb, v);
	if (v->arity > 0) {
		sb_printf(sb, "static const struct stp_map_desc %s_md = {\n"
			  "\t.name = ", n);
		tx_cstr(sb, v->name);
		sb_printf(sb, ", .nkeys = %d, .ktype = {", v->arity);
		for (int i = 0; i < v->arity; i++)
			sb_printf(sb, " %s,", v->key_types && v->key_types[i] == TY_STRING ?
				  "STP_T_STR" : "STP_T_LONG");
		sb_printf(sb, " },\n\t.vtype = %s, .wrap = %d, .size = %" PRId64,
			  v->type == TY_STATS ? "STP_T_STAT" :
			  v->type == TY_STRING ? "STP_T_STR" : "STP_T_LONG",
			  v->wrap ? 1 : 0, v->size > 0 ? v->size : (int64_t)0);
		if (v->type == TY_STATS)
			sb_printf(sb, ", .stat = &%s_sd", n);
		sb_puts(sb, ",\n};\n");
		sb_printf(sb, "static struct %s %s;\n",
			  v->type == TY_STATS ? "stp_pmap" : "stp_map", n);
	} else {
		sb_printf(sb, "static struct stp_pstat %s;\n", n);
	}
	sb_printf(sb, "static DEFINE_RWLOCK(%s_lock);\n"
		  "static atomic_t %s_contended __maybe_unused;\n\n", n, n);
}

static const char *kind_of(const struct ast_vardecl *v)
{
	if (v->arity > 0)
		return v->type == TY_STATS ? "pmap" : "map";
	return "pstat";
}

void tx_data_fns(struct tx *tx, struct strbuf *sb)
{
	struct strbuf init = { 0 }, fr = { 0 };
	int n = 0;

	vec_each(&tx->prog->globals, i) {
		struct ast_vardecl *v = vec_get(&tx->prog->globals, i);
		const char *k;

		if (!tx_data_is_data(v))
			continue;
		k = kind_of(v);
		sb_printf(&init, "\tif (stp_%s_init(&%s, &%s_%s))\n\t\tgoto fail;\n"
			  "\tstp_rt.mem_alloc += stp_%s_memsize(&%s);\n",
			  k, gname(v), gname(v), v->arity > 0 ? "md" : "sd",
			  k, gname(v));
		sb_printf(&fr, "\tstp_%s_free(&%s);\n", k, gname(v));
		n++;
	}
	sb_puts(sb, "/* arrays and statistics: allocated before any probe runs */\n");
	sb_printf(sb, "static void stp_data_free(void)\n{\n%s}\n\n", sb_str(&fr));
	sb_puts(sb, "static int stp_data_init(void)\n{\n\tstp_rt.mem_alloc = 0;\n");
	if (n)
		sb_printf(sb, "%s\treturn 0;\nfail:\n\tstp_data_free();\n"
			  "\treturn -ENOMEM;\n", sb_str(&init));
	else
		sb_puts(sb, "\treturn 0;\n");
	sb_puts(sb, "}\n\n");
	sb_free(&init);
	sb_free(&fr);
}

/* ---- keys --------------------------------------------------------------- */

/*
 * The keys of an index as a union stp_kv compound literal in `lit`;
 * impure keys are evaluated into temporaries in `pre` first.  Returns the
 * mask of '*' positions.
 */
static unsigned keys(struct tx *tx, struct vec *args, struct strbuf *pre,
		     struct strbuf *lit)
{
	bool pure = true;
	unsigned star = 0;

	vec_each(args, i)
		pure = pure && tx_pure(vec_get(args, i));
	sb_puts(lit, "(union stp_kv[]){ ");
	vec_each(args, i) {
		struct expr *k = vec_get(args, i);
		char m = k->type == TY_STRING ? 's' : 'n';

		if (k->kind == E_STAR) {
			star |= 1u << i;
			sb_puts(lit, "{ .n = 0 }, ");
		} else if (pure) {
			sb_printf(lit, "{ .%c = ", m);
			tx_expr(tx, lit, k);
			sb_puts(lit, " }, ");
		} else {
			char *t = tmpname(tx, "k");

			sb_printf(pre, "%s%s = ", tx_type_c(k->type), t);
			tx_expr(tx, pre, k);
			sb_puts(pre, "; ");
			sb_printf(lit, "{ .%c = %s }, ", m, t);
			free(t);
		}
	}
	sb_puts(lit, "}");
	return star;
}

static void near_ident(struct tx *tx, struct strbuf *sb, struct expr *e,
		       const char *name)
{
	char what[160];

	snprintf(what, sizeof(what), "identifier '%s'", name);
	tx_near(tx, sb, what, &e->loc);
}

static void near_op(struct tx *tx, struct strbuf *sb, struct expr *e,
		    const char *prefix)
{
	char what[160];

	snprintf(what, sizeof(what), "operator '@%s%s'", prefix, e->str ? e->str : "");
	tx_near(tx, sb, what, &e->loc);
}

/* the array variable an E_INDEX/E_IN/E_IDENT names, or NULL */
static struct ast_vardecl *arr_var(struct expr *e)
{
	if (e->var && e->var->arity > 0)
		return e->var;
	if (e->a && e->a->kind == E_IDENT && e->a->var && e->a->var->arity > 0)
		return e->a->var;
	return NULL;
}

/*
 * The aggregated statistic an @-operator's operand names, as a
 * `const struct stp_stat *` expression; pre gets what must run first.
 */
static bool stat_expr(struct tx *tx, struct expr *a, struct strbuf *pre,
		      struct strbuf *out, struct ast_vardecl **vp)
{
	struct ast_vardecl *v = stat_var(a);

	*vp = v;
	if (!v || v->type != TY_STATS) {
		tx_error(tx, &a->loc, "a statistic (a global accumulated with <<<) was expected");
		return false;
	}
	if (a->kind == E_IDENT && v->arity <= 0) {
		sb_printf(out, "stp_pstat_get(&%s)", gname(v));
		return true;
	}
	if (a->kind == E_INDEX && v->arity > 0) {
		struct strbuf lit = { 0 };
		struct txd_loop *lp = loop_entry(tx, a, v);

		if (lp) {
			sb_printf(out, "((const struct stp_stat *)stp_mec_val(&%s_md, %s))",
				  gname(v), lp->e);
			return true;
		}

		if (keys(tx, &a->args, pre, &lit))
			tx_error(tx, &a->loc, "a wildcard cannot name one statistic");
		sb_printf(out, "stp_pmap_get(&%s, %s)", gname(v), sb_str(&lit));
		sb_free(&lit);
		return true;
	}
	tx_error(tx, &a->loc, "'%s' is a statistics array: index it", v->name);
	return false;
}

/* ---- reading the current foreach entry ------------------------------------ */

struct txd_scan {
	struct ast_vardecl *arr;
	struct foreach_info *fe;
	bool unsafe;
};

static bool is_key_var(struct foreach_info *fe, struct ast_vardecl *v)
{
	vec_each(&fe->keys, i)
		if (((struct expr *)vec_get(&fe->keys, i))->var == v)
			return true;
	return false;
}

static void scan_target(struct txd_scan *sc, struct expr *t)
{
	if (!t)
		return;
	if (t->kind == E_IDENT && t->var && (t->var == sc->arr ||
					     is_key_var(sc->fe, t->var)))
		sc->unsafe = true;
	if (t->kind == E_INDEX && arr_var(t) == sc->arr)
		sc->unsafe = true;
}

static void scan_loop_expr(struct txd_scan *sc, struct expr *e)
{
	if (!e || sc->unsafe)
		return;
	if (e->kind == E_ASSIGN && e->op != OP_STATS_ADD)
		scan_target(sc, e->a);
	if (e->kind == E_INCDEC)
		scan_target(sc, e->a);
	/* a script function of the user's may change anything */
	if (e->kind == E_CALL && e->func && e->func->body &&
	    e->func->body->kind != S_EMBEDDED &&
	    !(e->func->file && e->func->file->is_tapset))
		sc->unsafe = true;
	scan_loop_expr(sc, e->a);
	scan_loop_expr(sc, e->b);
	scan_loop_expr(sc, e->c);
	vec_each(&e->args, i)
		scan_loop_expr(sc, vec_get(&e->args, i));
}

static void scan_loop_stmt(struct txd_scan *sc, struct stmt *s)
{
	if (!s || sc->unsafe)
		return;
	if (s->kind == S_DELETE)
		scan_target(sc, s->e);
	scan_loop_expr(sc, s->e);
	scan_loop_stmt(sc, s->then);
	scan_loop_stmt(sc, s->els);
	scan_loop_stmt(sc, s->init);
	scan_loop_stmt(sc, s->incr);
	vec_each(&s->body, i)
		scan_loop_stmt(sc, vec_get(&s->body, i));
	if (s->fe) {
		vec_each(&s->fe->keys, i)
			scan_target(sc, vec_get(&s->fe->keys, i));
		scan_target(sc, s->fe->value);
		scan_loop_expr(sc, s->fe->limit);
	}
	if (s->catch_var)
		scan_target(sc, s->catch_var);
}

/* the loop whose current entry is ix (an E_INDEX of v), or NULL */
static struct txd_loop *loop_entry(struct tx *tx, struct expr *ix,
				   struct ast_vardecl *v)
{
	struct txd *d = txd(tx);

	for (int i = d->loops.n - 1; i >= 0; i--) {
		struct txd_loop *l = vec_get(&d->loops, i);

		if (l->arr != v)
			continue;
		if (!l->safe || ix->args.n != l->fe->keys.n)
			return NULL;
		vec_each(&ix->args, k) {
			struct expr *a = vec_get(&ix->args, k);
			struct expr *key = vec_get(&l->fe->keys, k);

			if (a->kind != E_IDENT || !a->var || a->var != key->var)
				return NULL;
		}
		return l;
	}
	return NULL;
}

/* ---- expressions -------------------------------------------------------- */

static const char *const stat_ops[] = {
	"count", "sum", "min", "max", "avg", "variance",
};

static int stat_op(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (name && !strcmp(name, stat_ops[i]))
			return i;
	return -1;
}

/*
 * @op(a[k]) for a statistics array, not the current foreach entry: folded
 * from the CPUs' entries without building the aggregate (stp_pmapc_stat)
 */
static bool e_stat_elem(struct tx *tx, struct strbuf *sb, struct expr *e,
			int op)
{
	struct ast_vardecl *v = stat_var(e->a);
	struct strbuf pre = { 0 }, lit = { 0 };
	char *t;

	if (!v || v->type != TY_STATS)
		return false;
	if (e->a->kind == E_IDENT && v->arity <= 0) {
		/* a scalar: folded from the CPUs' copies likewise */
		t = tmpname(tx, "v");
		sb_printf(sb, "({ int64_t %s = stp_d_pstat_stat(c, &%s, &%s_sd, %d, ",
			  t, gname(v), gname(v), op);
		near_op(tx, sb, e, "");
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", t);
		free(t);
		return true;
	}
	if (e->a->kind != E_INDEX || v->arity <= 0 || loop_entry(tx, e->a, v))
		return false;
	if (keys(tx, &e->a->args, &pre, &lit))
		tx_error(tx, &e->a->loc, "a wildcard cannot name one statistic");
	t = tmpname(tx, "v");
	sb_printf(sb, "({ %sint64_t %s = stp_d_pmap_stat(c, &%s, &%s_md, %s, %d, ",
		  sb_str(&pre), t, gname(v), gname(v), sb_str(&lit), op);
	near_op(tx, sb, e, "");
	sb_puts(sb, "); ");
	tx_check(tx, sb);
	sb_printf(sb, "%s; })", t);
	free(t);
	sb_free(&pre);
	sb_free(&lit);
	return true;
}

/* @count(x) .. @variance(x) */
static void e_stat(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct strbuf pre = { 0 }, st = { 0 };
	struct ast_vardecl *v;
	int op = stat_op(e->str);
	char *t = tmpname(tx, "v");

	if (op < 0) {
		tx_error(tx, &e->loc, "unknown statistics operator '@%s'", e->str);
		sb_puts(sb, "0LL");
	} else if (e_stat_elem(tx, sb, e, op)) {
		/* done */
	} else if (stat_expr(tx, e->a, &pre, &st, &v)) {
		sb_printf(sb, "({ %sint64_t %s = stp_d_stat(c, %s, &%s_sd, %d, ",
			  sb_str(&pre), t, sb_str(&st), gname(v), op);
		near_op(tx, sb, e, "");
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", t);
	} else {
		sb_puts(sb, "0LL");
	}
	free(t);
	sb_free(&pre);
	sb_free(&st);
}

/* @hist_*(x)[i] */
static void e_bucket(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct strbuf pre = { 0 }, st = { 0 };
	struct expr *h = e->a, *ix = e->args.n == 1 ? vec_get(&e->args, 0) : NULL;
	struct ast_vardecl *v;
	char *t = tmpname(tx, "v"), *b = tmpname(tx, "b");

	if (!ix || ix->kind == E_STAR) {
		tx_error(tx, &e->loc, "a histogram takes one bucket index");
		sb_puts(sb, "0LL");
	} else if (stat_expr(tx, h->a, &pre, &st, &v)) {
		sb_printf(sb, "({ int64_t %s = ", b);
		tx_expr(tx, sb, ix);
		sb_printf(sb, "; %sint64_t %s = stp_d_bucket(c, %s, &%s_sd, %s, ",
			  sb_str(&pre), t, sb_str(&st), gname(v), b);
		near_op(tx, sb, h, "hist_");
		sb_puts(sb, "); ");
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", t);
	} else {
		sb_puts(sb, "0LL");
	}
	free(t);
	free(b);
	sb_free(&pre);
	sb_free(&st);
}

/* a[k] as a value */
static void e_index(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct ast_vardecl *v = arr_var(e);
	struct strbuf pre = { 0 }, lit = { 0 };

	if (!v || v->type == TY_STATS) {
		tx_error(tx, &e->loc, v ? "a statistics array element is read "
			 "with @count, @sum, ... or @hist_*" : "indexing needs an array");
		sb_puts(sb, e->type == TY_STRING ? "\"\"" : "0LL");
		return;
	}
	struct txd_loop *lp = loop_entry(tx, e, v);

	if (lp) {
		if (v->type == TY_STRING)
			sb_printf(sb, "((const char *)stp_mec_val(&%s_md, %s))",
				  gname(v), lp->e);
		else
			sb_printf(sb, "(*(int64_t *)stp_mec_val(&%s_md, %s))",
				  gname(v), lp->e);
		return;
	}
	if (keys(tx, &e->args, &pre, &lit))
		tx_error(tx, &e->loc, "a wildcard '*' is only allowed in 'in', "
			 "'delete' and foreach");
	if (pre.len)
		sb_printf(sb, "({ %s", sb_str(&pre));
	if (v->type == TY_STRING)
		sb_printf(sb, "(const char *)stp_map_get_str(&%s, %s, l->_t[%d])",
			  gname(v), sb_str(&lit), tx_tmp(tx));
	else
		sb_printf(sb, "stp_mapc_get_long(&%s, &%s_md, %s)", gname(v),
			  gname(v), sb_str(&lit));
	if (pre.len)
		sb_puts(sb, "; })");
	sb_free(&pre);
	sb_free(&lit);
}

/* [k] in a */
static void e_in(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct ast_vardecl *v = arr_var(e);
	struct strbuf pre = { 0 }, lit = { 0 };
	unsigned star;

	if (!v) {
		tx_error(tx, &e->loc, "'in' needs an array");
		sb_puts(sb, "0LL");
		return;
	}
	star = keys(tx, &e->args, &pre, &lit);
	if (v->type == TY_STATS)
		sb_printf(sb, "({ %s(int64_t)stp_pmap_has(&%s, %s, 0x%xu); })",
			  sb_str(&pre), gname(v), sb_str(&lit), star);
	else
		sb_printf(sb, "({ %s(int64_t)stp_mapc_has(&%s, &%s_md, %s, 0x%xu); })",
			  sb_str(&pre), gname(v), gname(v), sb_str(&lit), star);
	sb_free(&pre);
	sb_free(&lit);
}

bool tx_data_expr(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	switch (e->kind) {
	case E_INDEX:
		if (e->a && e->a->kind == E_HIST)
			e_bucket(tx, sb, e);
		else
			e_index(tx, sb, e);
		return true;
	case E_IN:
		e_in(tx, sb, e);
		return true;
	case E_STAT:
		e_stat(tx, sb, e);
		return true;
	case E_HIST:
		tx_error(tx, &e->loc, "a histogram can only be printed, indexed "
			 "or iterated");
		sb_puts(sb, "0LL");
		return true;
	default:
		return false;
	}
}

/* ---- assignments -------------------------------------------------------- */

static const char *cop(enum ast_op op)
{
	switch (op) {
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_AND: return "&";
	case OP_OR: return "|";
	case OP_XOR: return "^";
	default: return NULL;
	}
}

/* x <<< v on a scalar statistic */
static void stats_add_scalar(struct tx *tx, struct strbuf *sb, struct expr *e,
			     struct ast_vardecl *v)
{
	char *t = tmpname(tx, "v");

	sb_printf(sb, "({ int64_t %s = ", t);
	tx_expr(tx, sb, e->b);
	sb_printf(sb, "; stp_pstatc_add(&%s, &%s_sd, %s); %s; })", gname(v),
		  gname(v), t, t);
	free(t);
}

bool tx_data_assign(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct expr *t = e->a;
	struct ast_vardecl *v;
	struct strbuf pre = { 0 }, lit = { 0 }, near = { 0 };
	char *val, *p;

	if (e->op == OP_STATS_ADD && t->kind == E_IDENT && t->var &&
	    t->var->arity <= 0 && t->var->type == TY_STATS) {
		stats_add_scalar(tx, sb, e, t->var);
		return true;
	}
	if (t->kind != E_INDEX || !(v = arr_var(t)))
		return false;
	if (keys(tx, &t->args, &pre, &lit))
		tx_error(tx, &t->loc, "cannot assign to a wildcard slice");
	near_ident(tx, &near, t->a ? t->a : t, v->name);
	val = tmpname(tx, "v");
	p = tmpname(tx, "p");
	sb_printf(sb, "({ %s%s%s = ", sb_str(&pre),
		  e->b->type == TY_STRING ? "const char *" : "int64_t ", val);
	tx_expr(tx, sb, e->b);
	sb_puts(sb, "; ");
	if (v->type == TY_STATS) {
		if (e->op != OP_STATS_ADD)
			tx_error(tx, &e->loc, "a statistics array element only takes <<<");
		sb_printf(sb, "stp_d_pmap_add(c, &%s, &%s_md, %s, %s, %s); ",
			  gname(v), gname(v), sb_str(&lit), val, sb_str(&near));
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", val);
	} else if (e->op == OP_STATS_ADD) {
		tx_error(tx, &e->loc, "<<< needs a statistic");
		sb_printf(sb, "%s; })", val);
	} else if (v->type == TY_STRING) {
		if (e->op != OP_ASSIGN && e->op != OP_CONCAT)
			tx_error(tx, &e->loc, "invalid operator on a string element");
		sb_printf(sb, "const char *%s = stp_d_set_str(c, &%s, &%s_md, %s, %s, %s, %s); ",
			  p, gname(v), gname(v), sb_str(&lit), val,
			  e->op == OP_CONCAT ? "true" : "false", sb_str(&near));
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", p);
	} else if (e->op == OP_ASSIGN) {
		sb_printf(sb, "stp_d_set_long(c, &%s, &%s_md, %s, %s, %s); ",
			  gname(v), gname(v), sb_str(&lit), val, sb_str(&near));
		tx_check(tx, sb);
		sb_printf(sb, "%s; })", val);
	} else {
		sb_printf(sb, "int64_t *%s = stp_d_slot(c, &%s, &%s_md, %s, %s); ",
			  p, gname(v), gname(v), sb_str(&lit), sb_str(&near));
		tx_check(tx, sb);
		if (e->op == OP_DIV || e->op == OP_MOD) {
			sb_printf(sb, "*%s = stp_%s(c, *%s, %s, ", p,
				  e->op == OP_DIV ? "div" : "mod", p, val);
			tx_near_rhs(tx, sb, e);
			sb_puts(sb, "); ");
			tx_check(tx, sb);
		} else if (e->op == OP_SHL || e->op == OP_SHR) {
			sb_printf(sb, "*%s = stp_%s(*%s, %s); ", p,
				  e->op == OP_SHL ? "shl" : "shr", p, val);
		} else if (cop(e->op)) {
			sb_printf(sb, "*%s %s= %s; ", p, cop(e->op), val);
		} else {
			tx_error(tx, &e->loc, "invalid assignment operator on an array element");
		}
		sb_printf(sb, "*%s; })", p);
	}
	free(val);
	free(p);
	sb_free(&pre);
	sb_free(&lit);
	sb_free(&near);
	return true;
}

bool tx_data_incdec(struct tx *tx, struct strbuf *sb, struct expr *e)
{
	struct expr *t = e->a;
	struct ast_vardecl *v;
	struct strbuf pre = { 0 }, lit = { 0 }, near = { 0 };
	const char *op = e->op == OP_DEC ? "--" : "++";
	char *p;

	if (t->kind != E_INDEX || !(v = arr_var(t)))
		return false;
	if (v->type != TY_LONG)
		tx_error(tx, &e->loc, "%s needs a numeric array element", op);
	if (keys(tx, &t->args, &pre, &lit))
		tx_error(tx, &t->loc, "cannot assign to a wildcard slice");
	near_ident(tx, &near, t->a ? t->a : t, v->name);
	p = tmpname(tx, "p");
	sb_printf(sb, "({ %sint64_t *%s = stp_d_slot(c, &%s, &%s_md, %s, %s); ",
		  sb_str(&pre), p, gname(v), gname(v), sb_str(&lit), sb_str(&near));
	tx_check(tx, sb);
	if (e->postfix)
		sb_printf(sb, "(*%s)%s; })", p, op);
	else
		sb_printf(sb, "%s(*%s); })", op, p);
	free(p);
	sb_free(&pre);
	sb_free(&lit);
	sb_free(&near);
	return true;
}

/* ---- statements --------------------------------------------------------- */

void tx_data_delete(struct tx *tx, struct stmt *st)
{
	struct expr *e = st->e;
	struct ast_vardecl *v = e->var;
	struct strbuf pre = { 0 }, lit = { 0 };

	tx->sc->ntmp = 0;
	if (e->kind == E_IDENT && v && tx_data_is_data(v)) {
		tx_line(tx, "stp_%s_clear(&%s);", kind_of(v), gname(v));
		return;
	}
	v = e->kind == E_INDEX ? arr_var(e) : NULL;
	if (!v) {
		tx_error(tx, &st->loc, "delete needs a variable, an array or an "
			 "array element");
		return;
	}
	unsigned star = keys(tx, &e->args, &pre, &lit);

	tx_line(tx, "{ %s%s(&%s, %s, 0x%xu); }", sb_str(&pre),
		v->type == TY_STATS ? "stp_pmap_del" : "stp_map_del_slice",
		gname(v), sb_str(&lit), star);
	sb_free(&pre);
	sb_free(&lit);
}

/* store a key or value into the loop variable k */
static void assign_var(struct tx *tx, struct expr *k, const char *src, bool str)
{
	struct strbuf lv = { 0 };

	if (!k->var) {
		tx_error(tx, &k->loc, "foreach needs variables");
		return;
	}
	tx_var(tx, &lv, k->var);
	if (str)
		tx_line(tx, "stp_strcpy(%s, %s);", sb_str(&lv), src);
	else
		tx_line(tx, "%s = %s;", sb_str(&lv), src);
	sb_free(&lv);
}

static void foreach_hist(struct tx *tx, struct stmt *st, struct foreach_info *fe)
{
	struct strbuf pre = { 0 }, sx = { 0 };
	struct ast_vardecl *v;
	char *s = tmpname(tx, "s"), *b = tmpname(tx, "b"), *n = tmpname(tx, "n");

	tx->sc->ntmp = 0;
	if (!stat_expr(tx, fe->array->a, &pre, &sx, &v))
		goto done;
	tx_line(tx, "{");
	tx->indent++;
	if (fe->limit) {
		struct strbuf lim = { 0 };

		tx_expr(tx, &lim, fe->limit);
		tx_line(tx, "int64_t %s = %s;", n, sb_str(&lim));
		sb_free(&lim);
	}
	tx_line(tx, "%sconst struct stp_stat *%s = %s;", sb_str(&pre), s, sb_str(&sx));
	tx_line(tx, "int64_t %s;", b);
	tx_line(tx, "for (%s = 0; %s < %s_sd.buckets; %s++) {", b, b, gname(v), b);
	tx->indent++;
	if (fe->limit)
		tx_line(tx, "if (%s-- <= 0) break;", n);
	if (fe->keys.n)
		assign_var(tx, vec_get(&fe->keys, 0), b, false);
	if (fe->value) {
		char *src = xasprintf("(%s ? %s->hist[%s] : 0)", s, s, b);

		assign_var(tx, fe->value, src, false);
		free(src);
	}
	tx_loop_body(tx, st->then);
	tx->indent--;
	tx_line(tx, "}");
	tx->indent--;
	tx_line(tx, "}");
done:
	free(s);
	free(b);
	free(n);
	sb_free(&pre);
	sb_free(&sx);
}

void tx_data_foreach(struct tx *tx, struct stmt *st)
{
	struct foreach_info *fe = st->fe;
	struct ast_vardecl *v;
	struct strbuf near = { 0 };
	char *m, *e, *n, *k;
	int op = 0;

	if (fe->array && fe->array->kind == E_HIST) {
		foreach_hist(tx, st, fe);
		return;
	}
	v = fe->array ? fe->array->var : NULL;
	if (!v || v->arity <= 0) {
		tx_error(tx, &st->loc, "foreach needs an array");
		return;
	}
	if (fe->keys.n != v->arity) {
		tx_error(tx, &st->loc, "foreach over '%s' needs %d keys", v->name,
			 v->arity);
		return;
	}
	if (fe->sort_agg) {
		op = stat_op(fe->sort_agg);
		if (op < 0)
			op = 0;
	}
	tx->sc->ntmp = 0;
	m = tmpname(tx, "m");
	e = tmpname(tx, "e");
	n = tmpname(tx, "n");
	k = tmpname(tx, "k");
	tx_line(tx, "{");
	tx->indent++;
	if (fe->limit) {
		struct strbuf lim = { 0 };

		tx_expr(tx, &lim, fe->limit);
		tx_line(tx, "int64_t %s = %s;", n, sb_str(&lim));
		sb_free(&lim);
	}
	if (v->type == TY_STATS) {
		near_ident(tx, &near, fe->array, v->name);
		tx_line(tx, "struct stp_map *%s = stp_d_aggregate(c, &%s, %s);",
			m, gname(v), sb_str(&near));
		tx_line(tx, "struct stp_mentry *%s;", e);
		tx_line(tx, "if (unlikely(!%s)) goto %s;", m, tx->sc->errlabel);
	} else {
		tx_line(tx, "struct stp_map *%s = &%s;", m, gname(v));
		tx_line(tx, "struct stp_mentry *%s;", e);
	}
	unsigned star = 0;
	bool slice = fe->slice.n > 0;

	if (slice) {
		struct strbuf pre = { 0 }, lit = { 0 };

		if (fe->slice.n != v->arity)
			tx_error(tx, &st->loc, "the slice of '%s' needs %d keys",
				 v->name, v->arity);
		star = keys(tx, &fe->slice, &pre, &lit);
		tx_line(tx, "%sconst union stp_kv *%s = %s;", sb_str(&pre), k,
			sb_str(&lit));
		sb_free(&pre);
		sb_free(&lit);
	}
	if (fe->sort_dir && fe->sort_column)
		tx_line(tx, "stp_map_sort(%s, %d, %d, %d);", m,
			fe->sort_column < 0 ? 0 : fe->sort_column,
			fe->sort_dir < 0 ? -1 : 1, op);
	tx_line(tx, "for (%s = stp_map_first(%s); %s; %s = stp_map_next(%s)) {",
		e, m, e, e, e);
	tx->indent++;
	if (slice)
		tx_line(tx, "if (!stp_map_match(%s, %s, %s, 0x%xu)) continue;",
			m, e, k, star);
	if (fe->limit)
		tx_line(tx, "if (%s-- <= 0) break;", n);
	vec_each(&fe->keys, i) {
		struct expr *kx = vec_get(&fe->keys, i);
		bool str = v->key_types && v->key_types[i] == TY_STRING;
		char *src = xasprintf(str ? "(const char *)stp_mec_key(&%s_md, %s, %d)" :
				      "(*(int64_t *)stp_mec_key(&%s_md, %s, %d))",
				      gname(v), e, i);

		assign_var(tx, kx, src, str);
		free(src);
	}
	if (fe->value && v->type != TY_STATS) {
		bool str = v->type == TY_STRING;
		char *src = xasprintf(str ? "(const char *)stp_mec_val(&%s_md, %s)" :
				      "*(int64_t *)stp_mec_val(&%s_md, %s)",
				      gname(v), e);

		assign_var(tx, fe->value, src, str);
		free(src);
	} else if (fe->value) {
		tx_error(tx, &fe->value->loc, "foreach cannot take the value of a "
			 "statistics array; use @count(a[k]) ...");
	}
	{
		struct txd_scan sc = { .arr = v, .fe = fe };
		struct txd_loop lp = { .arr = v, .fe = fe, .m = m, .e = e };
		struct txd *d = txd(tx);

		scan_loop_stmt(&sc, st->then);
		lp.safe = !sc.unsafe;
		vec_push(&d->loops, &lp);
		tx_loop_body(tx, st->then);
		d->loops.n--;
	}
	tx->indent--;
	tx_line(tx, "}");
	tx->indent--;
	tx_line(tx, "}");
	free(m);
	free(e);
	free(n);
	free(k);
	sb_free(&near);
}

/* ---- printing ----------------------------------------------------------- */

void tx_data_print_hist(struct tx *tx, struct strbuf *sb, struct expr *call,
			struct expr *h, bool to_str)
{
	struct strbuf pre = { 0 }, st = { 0 };
	struct ast_vardecl *v;

	if (!stat_expr(tx, h->a, &pre, &st, &v)) {
		sb_puts(sb, to_str ? "\"\"" : "(void)0");
		return;
	}
	char *t = tmpname(tx, "h");

	if (to_str)
		sb_printf(sb, "({ %sconst char *%s = stp_d_hist_sprint(c, l->_t[%d], ",
			  sb_str(&pre), t, tx_tmp(tx));
	else
		sb_printf(sb, "({ %sstp_d_hist_print(c, ", sb_str(&pre));
	sb_printf(sb, "%s, &%s_sd, ", sb_str(&st), gname(v));
	near_ident(tx, sb, call, call->str ? call->str : "print");
	sb_puts(sb, "); ");
	tx_check(tx, sb);
	if (to_str)
		sb_printf(sb, "%s; })", t);
	else
		sb_puts(sb, "(void)0; })");
	free(t);
	sb_free(&pre);
	sb_free(&st);
}
