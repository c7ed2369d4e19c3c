/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ast.h - the script's abstract syntax tree.
 *
 * Pass 1 builds it, pass 2 annotates it in place (types, resolved symbols,
 * resolved probe points), pass 3 reads it.  Every node keeps its source
 * location.  All nodes live in the session's arena: never free() one.
 */
#ifndef STAP_AST_H
#define STAP_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "util/vec.h"

struct arena;

/* ---- locations ---------------------------------------------------------- */

struct src_file {
	const char *name;	/* as shown in diagnostics */
	const char *text;	/* whole contents, NUL-terminated */
	bool is_tapset;		/* from the tapset library (privileged) */
	bool lexbuf;		/* text[strlen(text) + 1] is a NUL too, and text
				   is writable: pass 1 scans it in place */
};

struct src_loc {
	const struct src_file *file;
	int line, col;		/* 1-based */
};

/* ---- types (filled by pass 2) ----------------------------------------- */

enum ast_type {
	TY_UNKNOWN = 0,
	TY_LONG,
	TY_STRING,
	TY_STATS,
	TY_VOID,	/* function without a return value */
};

/* ---- expressions -------------------------------------------------------- */

enum expr_kind {
	E_NUM,		/* num */
	E_STR,		/* str */
	E_IDENT,	/* name: local, global scalar, or array name in foreach/delete/in */
	E_INDEX,	/* base[args]: array element or @hist_*(x)[i] */
	E_CALL,		/* name(args) */
	E_UNARY,	/* op a: - ! ~ + */
	E_BINARY,	/* a op b: arithmetic, bitwise, comparison, &&, ||, ".", =~, !~ */
	E_TERNARY,	/* a ? b : c */
	E_ASSIGN,	/* a op b: = += -= *= /= %= <<= >>= &= |= ^= .= <<< */
	E_INCDEC,	/* ++a --a a++ a-- (op, postfix) */
	E_IN,		/* [args] in base   (args may contain E_STAR) */
	E_STAR,		/* '*' wildcard in slices (delete a[*,1], [*] in a) */
	E_STAT,		/* @count/@sum/@min/@max/@avg/@variance(a [, b]) (name) */
	E_HIST,		/* @hist_log(a) / @hist_linear(a, b, c, d) (name) */
	E_TARGET,	/* $var components, &$var, $var$ / $var$$ */
	E_TARGET_SYM,	/* $$vars $$parms $$locals $$return (+ $ suffix) */
	E_CAST,		/* @cast(a, "type" [, "module"]) components */
	E_ATVAR,	/* @var("name[@cu]" [, "module"]) components */
	E_DEFINED,	/* @defined(a) */
	E_ENTRY,	/* @entry(a) */
	E_CHOOSE,	/* @choose_defined(a, b) */
	E_PERF,		/* @perf("name") */
	E_CONST,	/* @const("C expression") */
	E_ARG,		/* $N (num) or @N (str) command-line argument, or $#/@# */
	E_REGEX_MATCH,	/* internal: never produced by the parser */
	E_EMBEDDED,	/* %{ C expression %} (tapsets / -g); code in str */
	E_AUTOCAST,	/* a->f[i] on a non-target value (a in a): comps, pretty */
	E_PROBEWRITE,	/* @probewrite(var): a is the E_IDENT */
};

/*
 * Pass 1 conventions (parse/):
 * - E_STR str is the decoded value (escapes like \n already turned into the
 *   character); adjacent literals "a" "b" are joined into one E_STR.
 * - $N / @N / $# / @# are substituted by the preprocessor, as stap does:
 *   $N becomes the argument re-lexed as a token (usually an E_NUM, or an
 *   E_IDENT/E_STR...), @N an E_STR, $#/@# an E_NUM.  E_ARG is never produced.
 * - E_STAT: str = "count"/"sum"/"min"/"max"/"avg"/"variance", a = operand,
 *   b = the optional bit-shift argument of @variance(s, shift) or NULL.
 * - E_HIST: str = "log"/"linear", a = the statistic, args = the linear
 *   parameters (start, stop, step).  A histogram indexed by a bucket is an
 *   E_INDEX whose a is the E_HIST; a bare E_HIST only appears as the only
 *   argument of print/println and as a foreach array.
 * - E_TARGET: str = name without '$' ("" for a lone '$'); E_TARGET_SYM str =
 *   "vars", "parms", "locals", "return" (no '$$'; any name is accepted at
 *   pass 1), pretty = 1/2 for a '$'/'$$' suffix.  E_TARGET_SYM may carry comps
 *   too ($$vars->x).  Components after any other value (f()->a, a[1][2],
 *   (p)->x$) make an E_AUTOCAST around it (stap's autocast).
 * - E_IN: a is the array (E_IDENT) or an E_HIST (k in @hist_log(s)).
 * - A bracketed single expression "[e]" is just e ("[e] in a" is E_IN).
 * - E_UNARY with OP_ADDR: '&' applied to something other than a target
 *   ($var/@cast/@var get addr_of instead); pass 2 rejects it.
 * - E_CALL args may hold a bare E_HIST only for print/println.
 * - Probe point component names keep wildcards and braces as written:
 *   "sys*", "**", "{open,close}"; pass 2 expands them.  A component argument
 *   is an E_NUM (possibly negative) or E_STR.
 */

/* operators, shared by E_UNARY/E_BINARY/E_ASSIGN/E_INCDEC */
enum ast_op {
	OP_NONE = 0,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_SHL, OP_SHR, OP_AND, OP_OR, OP_XOR,
	OP_LAND, OP_LOR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_CONCAT,		/* . */
	OP_MATCH, OP_NMATCH,	/* =~ !~ */
	OP_NEG, OP_NOT, OP_BNOT, OP_PLUS,	/* unary - ! ~ + */
	OP_INC, OP_DEC,
	OP_ASSIGN,		/* plain =; compound ones use the binary op */
	OP_STATS_ADD,		/* <<< */
	OP_ADDR,		/* unary & on a non-target (rejected in pass 2) */
};

/* a component of a target expression: ->name, [expr] */
enum comp_kind { COMP_FIELD, COMP_INDEX };
struct target_comp {
	enum comp_kind kind;
	const char *name;	/* COMP_FIELD */
	struct expr *index;	/* COMP_INDEX */
	struct src_loc loc;
};

struct ast_vardecl;
struct ast_func;

/* the most numerous node (a library parse makes ~180,000): fields ordered
 * so that no padding is left (136 bytes) */
struct expr {
	struct src_loc loc;
	enum expr_kind kind;
	enum ast_type type;	/* pass 2 */
	enum ast_op op;
	signed char pretty;	/* E_TARGET*: 1 for "$", 2 for "$$" suffix */
	bool postfix;		/* E_INCDEC */
	bool addr_of;		/* E_TARGET/E_CAST/E_ATVAR: & prefix */
	bool str_arg;		/* E_ARG: @N (string) rather than $N */

	int64_t num;		/* E_NUM, E_ARG ($N index; -1 for $#/@#) */
	const char *str;	/* E_STR value; E_IDENT/E_CALL/E_TARGET/E_TARGET_SYM/
				   E_STAT/E_HIST name (without '$' or '@');
				   E_CAST/E_ATVAR type/var string; E_PERF/E_CONST text */
	const char *module;	/* E_CAST/E_ATVAR optional module string */

	struct expr *a, *b, *c;	/* operands; E_INDEX/E_IN base in a */
	struct vec args;	/* E_CALL args, E_INDEX/E_IN keys, E_HIST params
				   after the first (b..), E_STAT shift in b */
	struct vec comps;	/* E_TARGET/E_CAST/E_ATVAR: struct target_comp * */

	/* pass 2 */
	struct ast_vardecl *var;	/* E_IDENT/E_INDEX: resolved variable */
	struct ast_func *func;		/* E_CALL: resolved function */
	void *prov;			/* provider-private data (E_TARGET etc.) */
};

/* ---- statements --------------------------------------------------------- */

enum stmt_kind {
	S_BLOCK,	/* { body } */
	S_EXPR,		/* e; */
	S_IF,		/* if (cond) then else els */
	S_WHILE,	/* while (cond) body */
	S_FOR,		/* for (init; cond; incr) body ; init/incr are S_EXPR or NULL */
	S_FOREACH,
	S_BREAK,
	S_CONTINUE,
	S_NEXT,
	S_RETURN,	/* return [e] */
	S_DELETE,	/* delete e */
	S_TRY,		/* try body catch [(var)] handler */
	S_NULL,		/* ; */
	S_EMBEDDED,	/* %{ code %} as a statement (function body) */
};

struct foreach_info {
	struct vec keys;		/* struct expr * (E_IDENT) */
	struct expr *value;		/* optional "v = [k] in a" */
	struct expr *array;		/* E_IDENT or E_HIST */
	int sort_column;		/* 0 none; 1..n key; -1 value (or aggregate) */
	int sort_dir;			/* +1 ascending, -1 descending */
	const char *sort_agg;		/* "count"/"sum"/... for a @sum- style sort */
	struct expr *limit;
	struct vec slice;		/* foreach (k in a[*, 1]): index exprs / E_STAR */
	struct src_loc loc;
};

struct stmt {
	enum stmt_kind kind;
	struct src_loc loc;

	struct expr *e;			/* S_EXPR, S_RETURN, S_DELETE; cond for IF/WHILE/FOR */
	struct stmt *then, *els;	/* S_IF; body in then for WHILE/FOR/FOREACH/TRY */
	struct stmt *init, *incr;	/* S_FOR */
	struct vec body;		/* S_BLOCK: struct stmt * */
	struct foreach_info *fe;	/* S_FOREACH */
	struct expr *catch_var;		/* S_TRY: optional (E_IDENT) */
	const char *code;		/* S_EMBEDDED */
};

/* ---- declarations ------------------------------------------------------- */

/* one component of a probe point: name or name(arg) */
struct pp_comp {
	const char *name;	/* may contain '*' / '**' */
	struct expr *arg;	/* E_NUM or E_STR literal, or NULL */
	struct src_loc loc;
};

struct probe_point {
	struct vec comps;	/* struct pp_comp * */
	bool optional;		/* ? */
	bool sufficient;	/* ! */
	struct expr *cond;	/* if (cond) */
	struct src_loc loc;
};

struct ast_vardecl {
	const char *name;
	struct src_loc loc;
	bool global, is_private, wrap;
	int64_t size;		/* global a[size]; 0 if none */
	struct expr *init;	/* global initializer (literal) */
	const struct src_file *file;

	/* pass 2 */
	int arity;		/* -1 unknown, 0 scalar, n array keys */
	enum ast_type type;	/* scalar type / array value type */
	enum ast_type *key_types;
	bool read, written;
	void *tx;		/* pass 3 private */
};

struct ast_probe {
	struct vec points;	/* struct probe_point * */
	struct stmt *body;
	struct src_loc loc;
	const struct src_file *file;

	/* pass 2 */
	struct vec locals;	/* struct ast_vardecl * */
	struct vec resolved;	/* provider-resolved points (provider-owned) */
};

/* probe NAME[, NAME] = POINTS { body }  or  += */
struct ast_alias {
	struct vec names;	/* struct probe_point * (the alias names) */
	struct vec points;	/* struct probe_point * (what it expands to) */
	bool epilogue;		/* += */
	struct stmt *body;
	struct stmt *epilogue_body;	/* "= pp { prologue }, { epilogue }" or NULL */
	struct src_loc loc;
	const struct src_file *file;
};

struct ast_param {
	const char *name;
	enum ast_type type;	/* declared type or TY_UNKNOWN */
	struct src_loc loc;
};

struct ast_func {
	const char *name;
	struct vec params;	/* struct ast_param * */
	enum ast_type ret;	/* declared return type or TY_UNKNOWN */
	struct stmt *body;	/* S_BLOCK, or S_EMBEDDED for %{ %} bodies */
	bool is_private;
	struct src_loc loc;
	const struct src_file *file;

	/* pass 2 */
	struct vec locals;	/* struct ast_vardecl * (params first) */
	bool used;
};

struct ast_embed {
	const char *code;
	struct src_loc loc;
};

/* one parsed file (user script or tapset) */
struct ast_file {
	const struct src_file *src;
	struct vec probes;	/* struct ast_probe * */
	struct vec aliases;	/* struct ast_alias * */
	struct vec funcs;	/* struct ast_func * */
	struct vec globals;	/* struct ast_vardecl * */
	struct vec embeds;	/* struct ast_embed * */
};

/* an operator's spelling in the script language ("?" if none) */
const char *ast_op_text(enum ast_op op);

#endif /* STAP_AST_H */
