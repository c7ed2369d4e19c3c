/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ppoint.c - probe point resolution.
 *
 * Every provider pattern ("timer.ms(number)") and every alias name
 * ("syscall.read") is a "shape".  A written point is brace-expanded, then
 * matched component by component against the shapes (wildcards in the
 * written names).  A provider shape must match the whole point; an alias
 * shape a prefix, the rest being appended to each of the alias's targets,
 * which are resolved in turn.  Handlers are grouped per alias chain: each
 * chain gets its own copy of the body (prologues/epilogues around it).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "elaborate/elab_int.h"
#include "session.h"
#include "util/arena.h"
#include "util/glob.h"
#include "util/xalloc.h"

enum { ARG_NONE, ARG_NUM, ARG_STR };

struct shape_comp {
	const char *name;
	int argk;
	const struct expr *arg;		/* alias names: the literal, or NULL */
};

struct shape {
	int n;
	struct shape_comp *c;
	const struct provider *prov;
	struct alias_ent *al;
};

struct group {
	struct ast_alias **chain;
	int n;
	struct expr *cond;
	struct elab_probe *ep;
};

/* how a point was reached, kept for each derived probe */
struct dtrail {
	const char *origin;	/* -p2: "alias = target <- ... <- written" */
	const char *from;	/* -t: "alias from: ... from: first written" */
	const struct src_loc *loc;	/* -t: the last point naming an alias */
};

struct dctx {
	struct ast_probe *p;
	const char *written;
	struct vec groups;		/* struct group * */
	struct vec *out;		/* struct elab_probe * */
};

/* ---- text ------------------------------------------------------------- */

static void put_lit(struct strbuf *sb, const struct expr *a)
{
	if (a->kind == E_STR) {
		sb_putc(sb, '"');
		for (const char *p = a->str; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(sb, '\\');
			sb_putc(sb, *p);
		}
		sb_putc(sb, '"');
	} else {
		sb_printf(sb, "%lld", (long long)a->num);
	}
}

void pp_to_sb(struct strbuf *sb, const struct probe_point *pp)
{
	vec_each(&pp->comps, i) {
		const struct pp_comp *c = vec_get(&pp->comps, i);

		if (i)
			sb_putc(sb, '.');
		sb_puts(sb, c->name);
		if (c->arg) {
			sb_putc(sb, '(');
			put_lit(sb, c->arg);
			sb_putc(sb, ')');
		}
	}
	if (pp->sufficient)
		sb_putc(sb, '!');
	else if (pp->optional)
		sb_putc(sb, '?');
}

const char *pp_text(struct elab *E, const struct probe_point *pp)
{
	struct strbuf sb = { 0 };
	const char *r;

	pp_to_sb(&sb, pp);
	r = arena_strdup(E->A, sb_str(&sb));
	sb_free(&sb);
	return r;
}

bool pp_name_match(const char *pat, const char *name)
{
	if (!strchr(pat, '*') && !strchr(pat, '?') && !strchr(pat, '['))
		return !strcmp(pat, name);
	return fnmatch(pat, name, 0) == 0;
}

/* ---- braces ----------------------------------------------------------- */

static struct probe_point *pp_copy(struct elab *E, const struct probe_point *pp)
{
	struct probe_point *q = arena_new(E->A, struct probe_point);

	*q = *pp;
	memset(&q->comps, 0, sizeof(q->comps));
	vec_each(&pp->comps, i)
		vec_push(&q->comps, vec_get(&pp->comps, i));
	return q;
}

void pp_expand_braces(struct elab *E, const struct probe_point *pp,
		      struct vec *out)
{
	vec_each(&pp->comps, i) {
		const struct pp_comp *c = vec_get(&pp->comps, i);
		const char *lb = strchr(c->name, '{'), *rb, *p, *start;
		int depth = 0;

		if (!lb)
			continue;
		for (rb = lb; *rb; rb++) {
			if (*rb == '{')
				depth++;
			else if (*rb == '}' && --depth == 0)
				break;
		}
		if (!*rb)
			continue;
		/* split the alternatives at top-level commas */
		start = lb + 1;
		depth = 0;
		for (p = lb + 1; p <= rb; p++) {
			if (*p == '{') {
				depth++;
			} else if (*p == '}' && depth) {
				depth--;
			} else if ((*p == ',' && !depth) || p == rb) {
				struct probe_point *q = pp_copy(E, pp);
				struct pp_comp *nc = arena_new(E->A, struct pp_comp);
				struct strbuf sb = { 0 };

				*nc = *c;
				sb_add(&sb, c->name, lb - c->name);
				sb_add(&sb, start, p - start);
				sb_puts(&sb, rb + 1);
				nc->name = arena_strdup(E->A, sb_str(&sb));
				sb_free(&sb);
				q->comps.v[i] = nc;
				pp_expand_braces(E, q, out);
				start = p + 1;
			}
		}
		return;
	}
	vec_push(out, (void *)pp);
}

/* ---- shapes ----------------------------------------------------------- */

static struct shape *shape_from_pattern(struct elab *E, const char *pat)
{
	struct shape *sh = arena_new(E->A, struct shape);
	int n = 1;

	for (const char *p = pat; *p; p++)
		if (*p == '.')
			n++;
	sh->c = arena_alloc(E->A, n * sizeof(*sh->c));
	for (const char *p = pat; *p;) {
		const char *dot = strchr(p, '.'), *par;
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		struct shape_comp *c = &sh->c[sh->n++];

		par = memchr(p, '(', len);
		c->name = arena_strndup(E->A, p, par ? (size_t)(par - p) : len);
		if (par)
			c->argk = par[1] == 'n' ? ARG_NUM : ARG_STR;
		p += len;
		if (*p == '.')
			p++;
	}
	return sh;
}

static void build_shapes(struct elab *E)
{
	if (E->shapes.n)
		return;
	for (int i = 0; providers[i]; i++) {
		const struct provider *pr = providers[i];

		for (int j = 0; pr->patterns && pr->patterns[j]; j++) {
			struct shape *sh = shape_from_pattern(E, pr->patterns[j]);

			sh->prov = pr;
			vec_push(&E->shapes, sh);
		}
	}
	vec_each(&E->aliases, i) {
		struct alias_ent *ae = vec_get(&E->aliases, i);
		struct shape *sh = arena_new(E->A, struct shape);

		sh->al = ae;
		sh->c = arena_alloc(E->A, ae->name->comps.n * sizeof(*sh->c));
		vec_each(&ae->name->comps, k) {
			const struct pp_comp *pc = vec_get(&ae->name->comps, k);
			struct shape_comp *c = &sh->c[sh->n++];

			c->name = pc->name;
			c->arg = pc->arg;
			c->argk = !pc->arg ? ARG_NONE :
				  pc->arg->kind == E_STR ? ARG_STR : ARG_NUM;
		}
		vec_push(&E->shapes, sh);
	}
}

static int argk_of(const struct pp_comp *c)
{
	if (!c->arg)
		return ARG_NONE;
	return c->arg->kind == E_STR ? ARG_STR : ARG_NUM;
}

static bool comp_match(const struct shape_comp *sc, const struct pp_comp *c)
{
	if (!pp_name_match(c->name, sc->name))
		return false;
	if (argk_of(c) != sc->argk)
		return false;
	if (sc->arg) {		/* alias name with a literal: same value */
		if (sc->arg->kind == E_STR)
			return !strcmp(sc->arg->str, c->arg->str);
		return sc->arg->num == c->arg->num;
	}
	return true;
}

/* a last component "**" stands for one or more arg-less components */
static bool dstar(const struct probe_point *pp)
{
	const struct pp_comp *c = pp->comps.n ? vec_get(&pp->comps, pp->comps.n - 1) : NULL;

	return c && !strcmp(c->name, "**") && !c->arg;
}

static bool shape_match(const struct shape *sh, const struct probe_point *pp)
{
	if (dstar(pp)) {
		int k = pp->comps.n - 1;

		if (sh->n <= k)
			return false;
		for (int i = 0; i < k; i++)
			if (!comp_match(&sh->c[i], vec_get(&pp->comps, i)))
				return false;
		for (int i = k; i < sh->n; i++)
			if (sh->c[i].argk != ARG_NONE)
				return false;
		return true;
	}
	if (sh->prov ? sh->n != pp->comps.n : sh->n > pp->comps.n)
		return false;
	for (int i = 0; i < sh->n; i++)
		if (!comp_match(&sh->c[i], vec_get(&pp->comps, i)))
			return false;
	return true;
}

/* the written point with wildcard names replaced by the shape's */
static struct probe_point *concretize(struct elab *E, const struct shape *sh,
				      const struct probe_point *pp)
{
	struct probe_point *q = pp_copy(E, pp);

	if (dstar(pp)) {	/* "**" becomes the shape's remaining names */
		q->comps.n--;
		for (int i = q->comps.n; i < sh->n; i++) {
			struct pp_comp *nc = arena_new(E->A, struct pp_comp);

			nc->name = sh->c[i].name;
			nc->loc = pp->loc;
			vec_push(&q->comps, nc);
		}
	}
	for (int i = 0; i < sh->n && i < q->comps.n; i++) {
		const struct pp_comp *c = vec_get(&q->comps, i);

		if (strcmp(c->name, sh->c[i].name)) {
			struct pp_comp *nc = arena_new(E->A, struct pp_comp);

			*nc = *c;
			nc->name = sh->c[i].name;
			q->comps.v[i] = nc;
		}
	}
	return q;
}

/* ---- mismatch messages ------------------------------------------------ */

static void report_mismatch(struct elab *E, const struct probe_point *pp)
{
	struct vec alive = { 0 }, names = { 0 };
	const struct pp_comp *bad = NULL, *c0 = vec_get(&pp->comps, 0);
	const char *sim;

	vec_each(&E->shapes, i)
		vec_push(&alive, vec_get(&E->shapes, i));
	vec_each(&pp->comps, k) {
		const struct pp_comp *c = vec_get(&pp->comps, k);
		struct vec next = { 0 };

		names.n = 0;
		vec_each(&alive, i) {
			struct shape *sh = vec_get(&alive, i);

			if (sh->n <= k)
				continue;
			if (comp_match(&sh->c[k], c))
				vec_push(&next, sh);
			else
				vec_push(&names, (void *)sh->c[k].name);
		}
		vec_free(&alive);
		alive = next;
		if (!alive.n) {
			bad = c;
			break;
		}
	}
	vec_free(&alive);
	if (!bad) {		/* every component known: the point is too short */
		bad = vec_get(&pp->comps, pp->comps.n - 1);
		names.n = 0;
	}
	diag(E->s, "semantic error", &pp->loc,
	     "while resolving probe point: identifier '%s'", c0->name);
	sim = names.n ? suggest(E, bad->name, &names) : NULL;
	if (sim)
		diag(E->s, "semantic error", &bad->loc,
		     "probe point mismatch (similar: %s): identifier '%s'",
		     sim, bad->name);
	else
		diag(E->s, "semantic error", &bad->loc,
		     "probe point mismatch: identifier '%s'", bad->name);
	vec_free(&names);
}

/* ---- derivation ------------------------------------------------------- */

static struct stmt *block_of(struct elab *E, struct stmt *a, struct stmt *b,
			     struct src_loc loc)
{
	struct stmt *st = arena_new(E->A, struct stmt);

	st->kind = S_BLOCK;
	st->loc = loc;
	if (a)
		vec_push(&st->body, a);
	if (b)
		vec_push(&st->body, b);
	return st;
}

static struct group *get_group(struct elab *E, struct dctx *D,
			       struct ast_alias **chain, int n,
			       struct expr *cond)
{
	struct group *g;
	struct elab_probe *ep;
	struct stmt *body;

	vec_each(&D->groups, i) {
		g = vec_get(&D->groups, i);
		if (g->n == n && g->cond == cond &&
		    !memcmp(g->chain, chain, n * sizeof(*chain)))
			return g;
	}
	g = arena_new(E->A, struct group);
	g->chain = arena_alloc(E->A, (n + 1) * sizeof(*chain));
	memcpy(g->chain, chain, n * sizeof(*chain));
	g->n = n;
	g->cond = cond;
	ep = arena_new(E->A, struct elab_probe);
	ep->decl = D->p;
	ep->pp = D->written;
	body = D->p->body;
	if (n) {
		body = clone_stmt(E->A, body);
		for (int i = 0; i < n; i++) {
			struct ast_alias *a = chain[i];
			struct stmt *ab = a->body ? clone_stmt(E->A, a->body) : NULL;

			body = a->epilogue ? block_of(E, body, ab, D->p->loc)
					   : block_of(E, ab, body, D->p->loc);
			if (a->epilogue_body)
				body = block_of(E, body,
						clone_stmt(E->A, a->epilogue_body),
						D->p->loc);
		}
	}
	ep->body = body;
	ep->cond = cond ? (n ? clone_expr(E->A, cond) : cond) : NULL;
	g->ep = ep;
	vec_push(&D->groups, g);
	vec_push(D->out, ep);
	return g;
}

static int derive(struct elab *E, struct dctx *D, const struct probe_point *pp,
		  struct ast_alias **chain, int nchain, const struct dtrail *tr,
		  struct expr *cond);

/* "a from: b" in the arena */
static const char *from_join(struct elab *E, const char *a, const char *b)
{
	char *t = xasprintf("%s from: %s", a, b);
	const char *r = arena_strdup(E->A, t);

	free(t);
	return r;
}

/* a point's text without its ?/! marks */
static const char *pp_bare(struct elab *E, const struct probe_point *pp)
{
	struct probe_point q = *pp;

	q.optional = q.sufficient = false;
	return pp_text(E, &q);
}

static int derive_alias(struct elab *E, struct dctx *D, const struct shape *sh,
			const struct probe_point *q, struct ast_alias **chain,
			int nchain, const struct dtrail *tr, struct expr *cond)
{
	struct ast_alias *A = sh->al->alias;
	struct ast_alias **ch2;
	int total = 0;

	if (nchain >= 32) {
		diag(E->s, "semantic error", &q->loc,
		     "recursive loop in alias expansion of '%s'",
		     pp_text(E, q));
		return -1;
	}
	for (int i = 0; i < nchain; i++) {
		if (chain[i] == A) {
			diag(E->s, "semantic error", &q->loc,
			     "recursive loop in alias expansion of '%s'",
			     pp_text(E, q));
			return -1;
		}
	}
	struct probe_point *named = pp_copy(E, sh->al->name);
	struct dtrail tr2;

	/* -t names the alias with the suffix it was given */
	for (int k = sh->n; k < q->comps.n; k++)
		vec_push(&named->comps, vec_get(&q->comps, k));
	tr2.from = from_join(E, pp_bare(E, named), tr->from);
	tr2.loc = &q->loc;
	elab_use_file(E, sh->al->file);
	ch2 = arena_alloc(E->A, (nchain + 1) * sizeof(*ch2));
	memcpy(ch2, chain, nchain * sizeof(*chain));
	ch2[nchain] = A;
	vec_each(&A->points, t) {
		const struct probe_point *T = vec_get(&A->points, t);
		struct probe_point *T2 = pp_copy(E, T);
		struct strbuf sb = { 0 };
		int r;

		for (int k = sh->n; k < q->comps.n; k++)
			vec_push(&T2->comps, vec_get(&q->comps, k));
		T2->optional = T->optional || T->sufficient || q->optional;
		T2->cond = T->cond ? T->cond : NULL;
		/* "alias = target <- origin" */
		pp_to_sb(&sb, sh->al->name);
		sb_puts(&sb, A->epilogue ? " += " : " = ");
		vec_each(&A->points, k) {
			if (k)
				sb_puts(&sb, ", ");
			pp_to_sb(&sb, vec_get(&A->points, k));
		}
		sb_puts(&sb, " <- ");
		sb_puts(&sb, tr->origin);
		tr2.origin = arena_strdup(E->A, sb_str(&sb));
		sb_free(&sb);
		r = derive(E, D, T2, ch2, nchain + 1, &tr2,
			   cond ? cond : T->cond);
		if (r > 0) {
			total += r;
			if (T->sufficient)
				break;
		}
	}
	return total;
}

static bool has_wild(const struct probe_point *q)
{
	vec_each(&q->comps, i)
		if (glob_has_wild(((struct pp_comp *)vec_get(&q->comps, i))->name))
			return true;
	return dstar(q);
}

static int cmp_shape(const void *a, const void *b)
{
	const struct shape *x = *(const struct shape *const *)a;
	const struct shape *y = *(const struct shape *const *)b;

	for (int i = 0; i < x->n && i < y->n; i++) {
		int c = strcmp(x->c[i].name, y->c[i].name);

		if (c)
			return c;
	}
	return x->n - y->n;
}

static int derive(struct elab *E, struct dctx *D, const struct probe_point *pp,
		  struct ast_alias **chain, int nchain, const struct dtrail *tr,
		  struct expr *cond)
{
	struct vec pts = { 0 };
	int total = 0;
	bool err = false;

	pp_expand_braces(E, pp, &pts);
	vec_each(&pts, i) {
		const struct probe_point *q = vec_get(&pts, i);
		int m = 0, longest = 0;

		if (q->sufficient && !q->optional) {	/* '!' implies '?' */
			struct probe_point *q2 = pp_copy(E, q);

			q2->optional = true;
			q = q2;
		}

		/* an exact match hides alias prefix matches; among prefix
		 * matches the longest alias name wins */
		vec_each(&E->shapes, j) {
			const struct shape *sh = vec_get(&E->shapes, j);

			if (sh->n > longest && shape_match(sh, q))
				longest = sh->n;
		}
		struct vec hits = { 0 };

		vec_each(&E->shapes, j) {
			const struct shape *sh = vec_get(&E->shapes, j);

			if ((sh->n == longest || dstar(q)) && shape_match(sh, q))
				vec_push(&hits, (void *)sh);
		}
		if (has_wild(q))	/* wildcard expansions in name order */
			qsort(hits.v, hits.n, sizeof(void *), cmp_shape);
		vec_each(&hits, j) {
			const struct shape *sh = vec_get(&hits, j);
			struct vec out = { 0 };
			struct probe_point *cq;
			struct group *g;
			int r;
			if (sh->al) {
				r = derive_alias(E, D, sh, q, chain, nchain,
						 tr, cond);
				if (r < 0)
					err = true;
				else
					m += r;
				continue;
			}
			cq = concretize(E, sh, q);
			r = sh->prov->match(E->s, cq, &out);
			if (r < 0) {
				err = true;
			} else if (r > 0 && out.n) {
				g = get_group(E, D, chain, nchain, cond);
				vec_each(&out, k) {
					struct derived_probe *dp = vec_get(&out, k);

					dp->probe = g->ep;
					dp->origin = tr->origin;
					/* -t: the resolved point, when the
					 * provider renamed it, first */
					dp->from = dp->pp && strcmp(dp->pp, pp_bare(E, q)) ?
						from_join(E, dp->pp, tr->from) :
						tr->from;
					dp->tloc = tr->loc;
					dp->point = q;
					dp->k = g->ep->derived.n;
					vec_push(&g->ep->derived, dp);
				}
				m += out.n;
			}
			vec_free(&out);
		}
		vec_free(&hits);
		if (!m && !err && !q->optional && !E->quiet)
			report_mismatch(E, q);
		if (!m && !q->optional)
			err = true;
		total += m;
	}
	vec_free(&pts);
	if (err && !pp->optional)
		return -1;
	return total;
}

void pp_derive_probe(struct elab *E, struct ast_probe *p)
{
	struct dctx D = { 0 };
	struct dtrail tr;
	struct strbuf sb = { 0 };

	build_shapes(E);
	D.p = p;
	D.out = &E->user_probes;
	vec_each(&p->points, i) {
		struct vec pts = { 0 };

		pp_expand_braces(E, vec_get(&p->points, i), &pts);
		vec_each(&pts, k) {
			if (sb.len)
				sb_putc(&sb, ',');
			pp_to_sb(&sb, vec_get(&pts, k));
		}
		vec_free(&pts);
	}
	tr.origin = D.written = arena_strdup(E->A, sb_str(&sb));
	sb_free(&sb);
	/* as stap: every point of the probe reports the first as written */
	tr.from = p->points.n ? pp_text(E, vec_get(&p->points, 0)) : "";
	tr.loc = NULL;
	vec_each(&p->points, i) {
		const struct probe_point *pp = vec_get(&p->points, i);
		int r = derive(E, &D, pp, NULL, 0, &tr, pp->cond);

		if (r > 0 && pp->sufficient)
			break;
	}
	vec_free(&D.groups);
}

/* ---- listing (-l / -L) ------------------------------------------------ */

/*
 * Names for -l: provider points through their list() hooks, aliases by
 * name (plus the suffix given) when their expansion resolves.  For each
 * alias name, the handlers derived for it are appended to *probes (an
 * entry per name: struct pp_listed *) so that -L can type their locals.
 */
void pp_list(struct elab *E, const struct probe_point *pp, struct vec *out)
{
	struct vec pts = { 0 };

	build_shapes(E);
	pp_expand_braces(E, pp, &pts);
	vec_each(&pts, i) {
		const struct probe_point *q = vec_get(&pts, i);
		int longest = 0;

		vec_each(&E->shapes, j) {
			const struct shape *sh = vec_get(&E->shapes, j);

			if (sh->n > longest && shape_match(sh, q))
				longest = sh->n;
		}
		vec_each(&E->shapes, j) {
			const struct shape *sh = vec_get(&E->shapes, j);
			struct probe_point *cq;
			struct vec names = { 0 }, dps = { 0 };

			if ((sh->n != longest && !dstar(q)) || !shape_match(sh, q))
				continue;
			cq = concretize(E, sh, q);
			if (sh->prov) {
				if (sh->prov->list) {
					sh->prov->list(E->s, cq, &names);
				} else if (sh->prov->match(E->s, cq, &dps) > 0) {
					vec_each(&dps, k)
						vec_push(&names, (void *)((struct derived_probe *)vec_get(&dps, k))->pp);
				}
				vec_each(&names, k) {
					struct pp_listed *l = arena_new(E->A, struct pp_listed);

					l->name = vec_get(&names, k);
					vec_push(out, l);
				}
			} else {
				struct dctx D = { 0 };
				struct dtrail list_tr = { "", "", NULL };
				struct ast_probe *p = arena_new(E->A, struct ast_probe);
				struct pp_listed *l = arena_new(E->A, struct pp_listed);
				struct probe_point *nq = pp_copy(E, cq);

				p->body = block_of(E, NULL, NULL, q->loc);
				p->loc = q->loc;
				p->file = q->loc.file;
				vec_push(&p->points, nq);
				D.p = p;
				D.written = "";
				D.out = &l->probes;
				nq->optional = nq->sufficient = false;
				nq->cond = NULL;
				if (derive_alias(E, &D, sh, cq, NULL, 0, &list_tr,
						 NULL) > 0) {
					l->name = pp_text(E, nq);
					vec_push(out, l);
				}
				vec_free(&D.groups);
			}
			vec_free(&names);
			vec_free(&dps);
		}
	}
	vec_free(&pts);
}
