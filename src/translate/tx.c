/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tx.c - pass 3 driver: lays out the generated C file.
 *
 *   defaults (MAXNESTING) + #include "runtime.h"
 *   top-level %{ %} from tapsets and guru scripts
 *   globals (+ their locks and -G module parameters)
 *   frames: one struct per handler and function, union stp_frame
 *   function prototypes, functions, probe handlers, stp_probes[]
 *   what the provider emitters wrote (tables, callbacks)
 *   stp_session_start() / stp_session_stop()
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "probes/provider.h"
#include "session.h"
#include "translate/tx.h"
#include "version.h"
#include "translate/tx_data.h"
#include "translate/tx_emit.h"
#include "translate/tx_int.h"
#include "util/xalloc.h"

void tx_error(struct tx *tx, const struct src_loc *loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(tx->s, loc, "%s", msg);
	tx->errors++;
}

void tx_cstr(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		case '?': sb_puts(sb, "\\?"); break;	/* no trigraphs */
		default:
			if (*p < 0x20 || *p >= 0x7f)
				sb_printf(sb, "\\%03o", *p);
			else
				sb_putc(sb, *p);
		}
	}
	sb_putc(sb, '"');
}

void tx_near(struct tx *tx, struct strbuf *sb, const char *what,
	     const struct src_loc *loc)
{
	char *s = xasprintf("%s at %s:%d:%d", what,
			    loc && loc->file ? loc->file->name : "<input>",
			    loc ? loc->line : 0, loc ? loc->col : 0);

	(void)tx;
	tx_cstr(sb, s);
	free(s);
}

void tx_line(struct tx *tx, const char *fmt, ...)
{
	char buf[4096];
	char *p = buf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		p = xmalloc(n + 1);
		va_start(ap, fmt);
		vsnprintf(p, n + 1, fmt, ap);
		va_end(ap);
	}
	for (int i = 0; i < tx->indent; i++)
		sb_putc(tx->out, '\t');
	sb_puts(tx->out, p);
	sb_putc(tx->out, '\n');
	if (p != buf)
		free(p);
}

/* ---- names ------------------------------------------------------------------ */

/* C names of functions: private functions of two tapsets may share one */
struct fname {
	const struct ast_func *f;
	char *name;
};

const char *tx_fname(struct tx *tx, const struct ast_func *f)
{
	int dup = 0;

	vec_each(&tx->fnames, i) {
		struct fname *n = vec_get(&tx->fnames, i);

		if (n->f == f)
			return n->name;
	}
	vec_each(&tx->fnames, i) {
		struct fname *n = vec_get(&tx->fnames, i);

		if (!strcmp(n->f->name, f->name))
			dup++;
	}
	{
		struct fname *n = xcalloc(1, sizeof(*n));

		n->f = f;
		n->name = dup ? xasprintf("%s_%d", f->name, dup + 1) : xstrdup(f->name);
		vec_push(&tx->fnames, n);
		return n->name;
	}
}

static void fnames_free(struct tx *tx)
{
	vec_each(&tx->fnames, i) {
		struct fname *n = vec_get(&tx->fnames, i);

		free(n->name);
		free(n);
	}
	vec_free(&tx->fnames);
}

/* ---- the emitter API (tx_emit.h) ------------------------------------------ */

struct session *tx_session(struct tx *tx)
{
	return tx->s;
}

void tx_printf(struct tx *tx, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	sb_puts(&tx->decls, s);
	free(s);
}

const char *tx_probe_ref(struct tx *tx, const struct derived_probe *dp)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "&stp_probes[%d]", dp->index);
	return arena_strdup(&tx->s->arena, buf);
}

void tx_on_register(struct tx *tx, const char *reg, const char *unreg)
{
	vec_push(&tx->reg, xstrdup(reg));
	vec_push(&tx->unreg, xstrdup(unreg ? unreg : ""));
}

void tx_on_begin(struct tx *tx, const char *stmt)
{
	vec_push(&tx->begin, xstrdup(stmt));
}

void tx_on_end(struct tx *tx, const char *stmt)
{
	vec_push(&tx->end, xstrdup(stmt));
}

const char *tx_unique(struct tx *tx, const char *prefix)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s%d", prefix, ++tx->nlabel);
	return arena_strdup(&tx->s->arena, buf);
}

/* ---- globals ---------------------------------------------------------------- */

static void globals(struct tx *tx)
{
	struct strbuf *sb = &tx->globals;

	vec_each(&tx->prog->globals, i) {
		struct ast_vardecl *v = vec_get(&tx->prog->globals, i);
		int dup = 0;
		char *name;

		for (int j = 0; j < i; j++)
			if (!strcmp(((struct ast_vardecl *)vec_get(&tx->prog->globals, j))->name,
				    v->name))
				dup++;
		name = dup ? xasprintf("stp_g_%s_%d", v->name, dup + 1) :
			xasprintf("stp_g_%s", v->name);
		v->tx = arena_strdup(&tx->s->arena, name);
		free(name);
	}
	vec_each(&tx->prog->globals, i) {
		struct ast_vardecl *v = vec_get(&tx->prog->globals, i);
		const char *n = v->tx;
		bool user = !(v->file && v->file->is_tapset);

		if (tx_data_is_data(v)) {
			tx_data_global(tx, sb, v);
			continue;
		}
		sb_printf(sb, "/* global %s */\n", v->name);
		if (v->type == TY_STRING) {
			sb_printf(sb, "static char %s[MAXSTRINGLEN]", n);
			if (v->init && v->init->kind == E_STR) {
				sb_puts(sb, " = ");
				tx_cstr(sb, v->init->str);
			}
			sb_puts(sb, ";\n");
			if (user)
				sb_printf(sb, "STP_PARAM_STRING(%s, %s);\n", v->name, n);
		} else {
			sb_printf(sb, "static int64_t %s", n);
			if (v->init && v->init->type != TY_STRING &&
			    (v->init->kind == E_NUM ||
			     (v->init->kind == E_UNARY && v->init->a &&
			      v->init->a->kind == E_NUM))) {
				sb_puts(sb, " = ");
				tx_expr(tx, sb, v->init);
			}
			sb_puts(sb, ";\n");
			if (user)
				sb_printf(sb, "STP_PARAM_LONG(%s, %s);\n", v->name, n);
		}
		sb_printf(sb, "static DEFINE_RWLOCK(%s_lock);\n"
			  "static atomic_t %s_contended __maybe_unused;\n\n", n, n);
	}
	tx_data_fns(tx, sb);
}

/* ---- probe table -------------------------------------------------------------- */

static void probe_table(struct tx *tx)
{
	struct strbuf *sb = &tx->code;
	struct strbuf tab = { 0 };
	int *nlocks = calloc(tx->prog->probes.n + 1, sizeof(int));
	int nd = tx->prog->derived.n;

	vec_each(&tx->prog->probes, i) {
		struct elab_probe *p = vec_get(&tx->prog->probes, i);
		struct strbuf locks = { 0 };

		nlocks[i] = tx_info_locks(tx, p, &locks);
		if (nlocks[i])
			sb_printf(sb, "static const struct stp_lockreq stp_locks_p%d[] = {\n%s};\n",
				  p->index, sb_str(&locks));
		sb_free(&locks);
	}
	/* one descriptor per concrete probe point: pp() names the one that fired */
	vec_each(&tx->prog->derived, i) {
		struct derived_probe *dp = vec_get(&tx->prog->derived, i);
		struct elab_probe *p = dp->probe;
		int k = -1;

		vec_each(&tx->prog->probes, j)
			if (vec_get(&tx->prog->probes, j) == p)
				k = j;
		if (k < 0)
			continue;
		sb_printf(&tab, "\t[%d] = { .fn = stp_p%d, .pp = ", i, p->index);
		tx_cstr(&tab, dp->pp ? dp->pp : p->pp ? p->pp : "");
		if (p->decl) {
			const struct src_loc *l = dp->tloc ? dp->tloc :
						  &p->decl->loc;
			char *loc = xasprintf("%s:%d:%d", l->file ?
					      l->file->name : "<input>",
					      l->line, l->col);

			sb_puts(&tab, ", .loc = ");
			tx_cstr(&tab, loc);
			free(loc);
		}
		if (tx->s->timing) {
			sb_printf(&tab, ", .timing = &stp_timing[%d]", i);
			if (dp->from && dp->pp && strcmp(dp->from, dp->pp)) {
				sb_puts(&tab, ", .from = ");
				tx_cstr(&tab, dp->from);
			}
		}
		if (nlocks[k])
			sb_printf(&tab, ", .locks = stp_locks_p%d, .nlocks = %d",
				  p->index, nlocks[k]);
		sb_puts(&tab, " },\n");
	}
	free(nlocks);
	if (tx->s->timing)
		sb_printf(sb, "static struct stp_timing stp_timing[%d];\n", nd ? nd : 1);
	sb_printf(sb, "\nstatic const struct stp_probe stp_probes[%d] = {\n%s};\n\n",
		  nd ? nd : 1, sb_str(&tab));
	sb_free(&tab);
}

/* ---- provider emitters ---------------------------------------------------- */

static void providers_emit(struct tx *tx)
{
	struct vec provs = { 0 };

	vec_each(&tx->prog->derived, i) {
		struct derived_probe *dp = vec_get(&tx->prog->derived, i);
		bool seen = false;

		vec_each(&provs, j)
			seen = seen || vec_get(&provs, j) == dp->prov;
		if (!seen)
			vec_push(&provs, (void *)dp->prov);
	}
	vec_each(&provs, j) {
		const struct provider *prov = vec_get(&provs, j);
		struct vec mine = { 0 };

		vec_each(&tx->prog->derived, i) {
			struct derived_probe *dp = vec_get(&tx->prog->derived, i);

			if (dp->prov == prov)
				vec_push(&mine, dp);
		}
		if (!prov->emit) {
			struct derived_probe *dp = vec_get(&mine, 0);

			tx_error(tx, &dp->loc, "probe family '%s' cannot be "
				 "translated yet", prov->name);
		} else {
			sb_printf(&tx->decls, "/* ---- %s probes ---- */\n", prov->name);
			prov->emit(tx, &mine);
			sb_puts(&tx->decls, "\n");
		}
		vec_free(&mine);
	}
	vec_free(&provs);
}

/* ---- session start / stop ------------------------------------------------- */

/* stap -v's memory line (runtime/stp_meminfo.h), named as stap names it */
static void session_meminfo(struct tx *tx, struct strbuf *sb)
{
	const char *f = tx->s->script_file, *b;

	b = f && strcmp(f, "-") ? strrchr(f, '/') : NULL;
	b = b ? b + 1 : f && strcmp(f, "-") ? f : "<input>";
	sb_puts(sb, "\tstp_meminfo(\"");
	for (; *b; b++)
		sb_putc(sb, *b == '"' || *b == '\\' || *b < ' ' ? '_' : *b);
	sb_printf(sb, "\", %d, \"%s\");\n", (int)tx->prog->derived.n,
		  STAP_VERSION);
}

static void session_fns(struct tx *tx, struct strbuf *sb)
{
	sb_puts(sb, "int stp_session_start(void)\n{\n\tint rc;\n\n"
		"\trc = stp_data_init();\n\tif (rc)\n\t\treturn rc;\n"
		"\trc = stp_rt_start(sizeof(union stp_frame) * (MAXNESTING + 1));\n"
		"\tif (rc) {\n\t\tstp_data_free();\n\t\treturn rc;\n\t}\n");
	if (tx->s->timing)
		sb_printf(sb, "\tstp_timing_init(stp_timing, %d);\n",
			  tx->prog->derived.n ? tx->prog->derived.n : 1);
	session_meminfo(tx, sb);
	vec_each(&tx->reg, i)
		sb_printf(sb, "\trc = (%s);\n\tif (rc)\n\t\tgoto fail%d;\n",
			  (const char *)vec_get(&tx->reg, i), i);
	vec_each(&tx->begin, i)
		sb_printf(sb, "\t%s;\n", (const char *)vec_get(&tx->begin, i));
	sb_puts(sb, "\tstp_rt_running();\n\treturn 0;\n");
	for (int i = tx->reg.n - 1; i >= 0; i--) {
		sb_printf(sb, "fail%d:\n", i);
		if (i > 0 && *(const char *)vec_get(&tx->unreg, i - 1))
			sb_printf(sb, "\t%s;\n", (const char *)vec_get(&tx->unreg, i - 1));
	}
	if (tx->reg.n)
		sb_puts(sb, "\tstp_rt_abort();\n\tstp_data_free();\n\treturn rc;\n");
	sb_puts(sb, "}\n\nvoid stp_session_stop(void)\n{\n"
		"\tif (!stp_rt_stopping())\n\t\treturn;\n");
	for (int i = tx->unreg.n - 1; i >= 0; i--)
		if (*(const char *)vec_get(&tx->unreg, i))
			sb_printf(sb, "\t%s;\n", (const char *)vec_get(&tx->unreg, i));
	vec_each(&tx->end, i)
		sb_printf(sb, "\t%s;\n", (const char *)vec_get(&tx->end, i));
	if (tx->s->timing) {
		/* every global's lock, for the contention lines */
		sb_puts(sb, "\t{\n\t\tstatic const struct stp_lockreq gl[] = {\n");
		vec_each(&tx->prog->globals, i) {
			struct ast_vardecl *v = vec_get(&tx->prog->globals, i);

			sb_printf(sb, "\t\t\t{ &%s_lock, false, \"%s\", &%s_contended },\n",
				  (const char *)v->tx, v->name, (const char *)v->tx);
		}
		sb_printf(sb, "\t\t\t{ NULL }\n\t\t};\n\n"
			  "\t\tstp_rt_report(stp_probes, %d, gl);\n\t}\n",
			  tx->prog->derived.n ? tx->prog->derived.n : 1);
	}
	sb_puts(sb, "\tstp_rt_stopped();\n\tstp_data_free();\n}\n");
}

/* ---- the file ------------------------------------------------------------------ */

static void strvec_free(struct vec *v)
{
	vec_each(v, i)
		free(vec_get(v, i));
	vec_free(v);
}

static void tx_free(struct tx *tx)
{
	sb_free(&tx->head);
	sb_free(&tx->embeds);
	sb_free(&tx->globals);
	sb_free(&tx->frames);
	sb_free(&tx->protos);
	sb_free(&tx->code);
	sb_free(&tx->decls);
	strvec_free(&tx->reg);
	strvec_free(&tx->unreg);
	strvec_free(&tx->begin);
	strvec_free(&tx->end);
	fnames_free(tx);
	tx_data_free(tx);
}

static void assemble(struct tx *tx, FILE *f)
{
	struct strbuf sess = { 0 };

	fprintf(f, "/* SPDX-License-Identifier: GPL-2.0-or-later */\n"
		"/* Generated by stap pass 3.  Do not edit. */\n\n");
	fprintf(f, "#ifndef MAXNESTING\n#define MAXNESTING %d\n#endif\n",
		tx->maxnesting);
	if (tx->s->timing)
		fputs("#define STP_TIMING 1\n", f);
	if (tx->s->suppress_handler_errors)	/* errors end the hit, silently */
		fputs("#define STP_SUPPRESS_HANDLER_ERRORS 1\n", f);
	if (tx->s->suppress_time_limits)	/* no MAXACTION/MAXTRYLOCK/overload */
		fputs("#define STAP_SUPPRESS_TIME_LIMITS_ENABLE 1\n"
		      "#ifndef STP_NO_OVERLOAD\n#define STP_NO_OVERLOAD 1\n#endif\n",
		      f);
	fputs(sb_str(&tx->head), f);
	fputs("#include \"runtime.h\"\n\n", f);
	if (tx->embeds.len)
		fprintf(f, "/* ---- embedded C ---- */\n%s\n", sb_str(&tx->embeds));
	fputs(sb_str(&tx->globals), f);
	fputs("/* ---- frames: locals and string temporaries ---- */\n", f);
	fputs(sb_str(&tx->frames), f);
	fputs("\nunion stp_frame {\n", f);
	vec_each(&tx->prog->probes, i) {
		struct elab_probe *p = vec_get(&tx->prog->probes, i);

		fprintf(f, "\tstruct stp_fr_p%d p%d;\n", p->index, p->index);
	}
	vec_each(&tx->prog->funcs, i) {
		const char *n = tx_fname(tx, vec_get(&tx->prog->funcs, i));

		fprintf(f, "\tstruct stp_fr_f_%s f_%s;\n", n, n);
	}
	fputs("};\n\n", f);
	if (tx->protos.len)
		fprintf(f, "%s\n", sb_str(&tx->protos));
	fputs(sb_str(&tx->code), f);
	fputs(sb_str(&tx->decls), f);
	session_fns(tx, &sess);
	fputs(sb_str(&sess), f);
	sb_free(&sess);
}

int tx_generate(struct session *s)
{
	struct tx tx = { 0 };
	char *path;
	FILE *f;
	int rc = 0;

	if (!s->elab) {
		diag_plain(s, "error", "pass 3 needs the results of pass 2");
		return -1;
	}
	tx.s = s;
	tx.prog = s->elab;
	if (!s->module_name || !*s->module_name) {
		char buf[32];

		snprintf(buf, sizeof(buf), "stap_%d", (int)getpid());
		s->module_name = arena_strdup(&s->arena, buf);
	}

	vec_each(&tx.prog->derived, i)
		((struct derived_probe *)vec_get(&tx.prog->derived, i))->index = i;
	tx_info_nesting(&tx);
	vec_each(&tx.prog->embeds, i) {
		struct ast_embed *em = vec_get(&tx.prog->embeds, i);

		sb_printf(&tx.embeds, "%s\n", em->code);
	}
	globals(&tx);
	vec_each(&tx.prog->funcs, i) {
		tx_function_proto(&tx, &tx.protos, vec_get(&tx.prog->funcs, i));
		sb_puts(&tx.protos, ";\n");
	}
	vec_each(&tx.prog->funcs, i)
		tx_function(&tx, vec_get(&tx.prog->funcs, i));
	vec_each(&tx.prog->probes, i)
		tx_probe_handler(&tx, vec_get(&tx.prog->probes, i));
	probe_table(&tx);
	providers_emit(&tx);
	if (tx.errors) {
		tx_free(&tx);
		return -1;
	}

	path = xasprintf("%s/%s.c", s->tmpdir, s->module_name);
	f = fopen(path, "w");
	if (!f) {
		diag_plain(s, "error", "cannot write %s", path);
		free(path);
		tx_free(&tx);
		return -1;
	}
	assemble(&tx, f);
	if (fclose(f)) {
		diag_plain(s, "error", "cannot write %s", path);
		rc = -1;
	}
	s->c_file = arena_strdup(&s->arena, path);
	free(path);
	tx_free(&tx);
	return rc;
}
