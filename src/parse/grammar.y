/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * grammar.y - the script language, pass 1.
 *
 * Tokens come from the preprocessor's stream (pp.c), not directly from
 * flex: yylex below pulls them one by one, and they live on bison's stack.
 * Every node gets the location of its first token (taken from the tokens
 * and nodes themselves: bison's own location stack is not used).  On a
 * syntax error the rest of the current top-level declaration is skipped
 * (up to the next 'probe', 'function', 'global', 'private' or top-level
 * '%{'), like stap does, so that one run reports one error per broken
 * declaration.
 */
%define api.pure full
%define parse.error custom
%param {struct pctx *ctx}
%expect 51

%code requires {
#include "ast.h"
#include "parse/tok.h"
struct pctx;
}

%code provides {
int grammar_parse(struct pctx *ctx);
}

/* expression operators, loosest first (see "expressions" below) */
%right '=' ADD_EQ SUB_EQ MUL_EQ DIV_EQ MOD_EQ SHL_EQ SHR_EQ AND_EQ OR_EQ XOR_EQ CAT_EQ OP_STATS
%right '?' ':'
%left LOR
%left LAND
%left '|'
%left '^'
%left '&'
%left EQ NE '<' '>' LE GE MATCH NMATCH
%left SHL SHR
%left '.'
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%union {
	struct tok *tok;	/* in ctx's token pool, recycled after each declaration */
	struct expr *e;
	struct stmt *st;
	struct vec *v;
	struct probe_point *pp;
	struct pp_comp *comp;
	struct ast_vardecl *var;
	struct foreach_info *fe;
	struct target_comp *tc;
	int i;
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "parse/pctx.h"
#include "util/strbuf.h"

static int yylex(YYSTYPE *lval, struct pctx *ctx);
static void yyerror(struct pctx *ctx, const char *msg);
}

%token END_OF_FILE 0 "end of input"
%token <tok> IDENT "identifier" NUMBER "number" STRING "string"
%token <tok> EMBEDDED "embedded code"
%token <tok> TARGET "target variable" TARGET_SYM "target symbol"
%token <tok> ARG_NUM "command line argument" ARG_STR "command line argument string"
%token <tok> AT_IDENT "macro"
%token <tok> AT_CAST "'@cast'" AT_VAR "'@var'" AT_DEFINED "'@defined'"
%token <tok> AT_ENTRY "'@entry'" AT_CHOOSE "'@choose_defined'" AT_PERF "'@perf'"
%token <tok> AT_PROBEWRITE "'@probewrite'"
%token <tok> AT_CONST "'@const'" AT_STAT "statistic operator" AT_HIST "histogram operator"
%token <tok> PP_IF "'%('" PP_THEN "'%?'" PP_ELSE "'%:'" PP_END "'%)'"

%token <tok> PROBE "'probe'" GLOBAL "'global'" FUNCTION "'function'" PRIVATE "'private'"
%token <tok> IF "'if'" ELSE "'else'" FOR "'for'" FOREACH "'foreach'" IN "'in'"
%token <tok> LIMIT "'limit'" RETURN "'return'" DELETE "'delete'" WHILE "'while'"
%token <tok> BREAK "'break'" CONTINUE "'continue'" NEXT "'next'" TRY "'try'"
%token <tok> CATCH "'catch'" STRING_KW "'string'" LONG_KW "'long'"

%token <tok> OP_STATS "'<<<'" SHL_EQ "'<<='" SHR_EQ "'>>='" ARROW "'->'"
%token <tok> INC "'++'" DEC "'--'" SHL "'<<'" SHR "'>>'" LE "'<='" GE "'>='"
%token <tok> EQ "'=='" NE "'!='" MATCH "'=~'" NMATCH "'!~'" LAND "'&&'" LOR "'||'"
%token <tok> ADD_EQ "'+='" SUB_EQ "'-='" MUL_EQ "'*='" DIV_EQ "'/='" MOD_EQ "'%='"
%token <tok> AND_EQ "'&='" OR_EQ "'|='" XOR_EQ "'^='" CAT_EQ "'.='"
%token <tok> '+' '-' '*' '/' '%' '<' '>' '=' '!' '~' '&' '|' '^' '?' ':' ';' ','
%token <tok> '.' '(' ')' '[' ']' '{' '}' '$' '@'

%type <e> expr opt_expr hi value comp_arg glob_init
%type <e> strings target_base index_item hist in_key star
%type <v> args opt_args index_list in_keys pp_list comps fe_keys params gvars
%type <v> stmts brace_list
%type <st> stmt block opt_expr_stmt fbody
%type <pp> pp
%type <comp> comp
%type <tok> probe_kw func_kw comp_name keyword fieldname brace_group brace_item
%type <var> gvar
%type <fe> fe_head fe_key
%type <i> opt_type pp_flags sort_dir opt_wrap opt_private

/* free the heap parts of values dropped by error recovery */
%destructor { rel_expr($$); } <e>
%destructor { rel_stmt($$); } <st>
%destructor { rel_fe($$); } <fe>
%destructor { rel_pp($$); } <pp>
%destructor { if ($$) rel_expr($$->arg); } <comp>
%destructor { if ($$) rel_expr($$->init); } <var>
%destructor { vec_each($$, i) rel_expr(vec_get($$, i)); vec_free($$); } args opt_args index_list in_keys
%destructor { rel_points($$); } pp_list
%destructor { vec_each($$, i) rel_stmt(vec_get($$, i)); vec_free($$); } stmts
%destructor { vec_each($$, i) rel_fe(vec_get($$, i)); vec_free($$); } fe_keys
%destructor { vec_each($$, i) { struct pp_comp *c = vec_get($$, i); rel_expr(c->arg); } vec_free($$); } comps
%destructor { vec_each($$, i) { struct ast_vardecl *v = vec_get($$, i); rel_expr(v->init); } vec_free($$); } gvars
%destructor { vec_free($$); } params brace_list

%%

file:	  %empty
	| file decl		{ tok_recycle(ctx, yychar != YYEMPTY ? &yylval.tok : NULL); }
	;

decl:	  opt_private probe_kw pp_list block
		{ parse_add_probe(ctx, $2, $1, $3, $4); }
	| opt_private probe_kw pp_list '=' pp_list block
		{ parse_add_alias(ctx, $2, $3, $5, false, $6); }
	| opt_private probe_kw pp_list '=' pp_list block ',' block
		{ parse_add_alias(ctx, $2, $3, $5, false, $6)->epilogue_body = $8; }
	| opt_private probe_kw pp_list ADD_EQ pp_list block ',' block
		{ parse_add_alias(ctx, $2, $3, $5, true, $6)->epilogue_body = $8;
		  pw_error(ctx->w, &$7->loc,
		       "combined prologue and epilogue cannot be defined with '+='"); }
	| opt_private probe_kw pp_list ADD_EQ pp_list block
		{ parse_add_alias(ctx, $2, $3, $5, true, $6); }
	| opt_private func_kw IDENT opt_type '(' params ')' fbody
		{ parse_add_func(ctx, $2, $1, $3, $4, $6, $8); }
	| opt_private GLOBAL gvars opt_semi
		{ parse_add_globals(ctx, $1, $3); }
	| PRIVATE gvars opt_semi
		{ parse_add_globals(ctx, 1, $2); }
	| EMBEDDED
		{ parse_add_embed(ctx, $1); }
	| error
		{ if (tok_is_decl_start(ctx->last)) ctx->skip = false; }
	;

probe_kw: PROBE			{ $$ = $1; ctx->in_func = false; } ;
func_kw: FUNCTION		{ $$ = $1; ctx->in_func = true; } ;

opt_private: %empty		{ $$ = 0; }
	| PRIVATE		{ $$ = 1; }
	;

opt_semi: %empty | ';' ;

/* ---- probe points ---- */

pp_list:  pp			{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| pp_list ',' pp	{ $$ = $1; apush(ctx, $$, $3); }
	;

pp:	  comps pp_flags	{ $$ = mk_pp(ctx, $1, $2, NULL); }
	| comps pp_flags IF '(' expr ')'
				{ $$ = mk_pp(ctx, $1, $2, $5); }
	;

pp_flags: %empty		{ $$ = 0; }
	| '?'			{ $$ = 1; }
	| '!'			{ $$ = 2; }
	;

comps:	  comp			{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| comps '.' comp	{ $$ = $1; apush(ctx, $$, $3); }
	;

comp:	  comp_name		{ $$ = mk_comp(ctx, $1, NULL); }
	| comp_name '(' comp_arg ')'	{ $$ = mk_comp(ctx, $1, $3); }
	| brace_group		{ $$ = mk_comp(ctx, $1, NULL); }
	| brace_group '(' comp_arg ')'	{ $$ = mk_comp(ctx, $1, $3); }
	;

/* adjacent pieces (sys*, a*b, foo**) were glued into one token by pctx_next */
comp_name: IDENT | keyword | '*' | TARGET { $$ = tok_join(ctx, $1); } ;

brace_group: '{' brace_list '}'	{ $$ = brace_text(ctx, $1, $2); } ;

brace_list: brace_item		{ $$ = pvec(ctx); apush(ctx, $$, (void *)$1->text); }
	| brace_list ',' brace_item	{ $$ = $1; apush(ctx, $$, (void *)$3->text); }
	;

brace_item: comp_name | brace_group ;

comp_arg: strings
	| NUMBER		{ $$ = mk_num(ctx, $1); }
	| '-' NUMBER		{ $$ = mk_num(ctx, $2); $$->num = -$$->num; $$->loc = $1->loc; }
	;

keyword:  PROBE | GLOBAL | FUNCTION | PRIVATE | IF | ELSE | FOR | FOREACH | IN
	| LIMIT | RETURN | DELETE | WHILE | BREAK | CONTINUE | NEXT | TRY | CATCH
	| STRING_KW | LONG_KW
	;

/* ---- functions ---- */

opt_type: %empty		{ $$ = TY_UNKNOWN; }
	| ':' LONG_KW		{ $$ = TY_LONG; }
	| ':' STRING_KW		{ $$ = TY_STRING; }
	;

params:	  %empty		{ $$ = pvec(ctx); }
	| IDENT opt_type	{ $$ = pvec(ctx); apush(ctx, $$, mk_param(ctx, $1, $2)); }
	| params ',' IDENT opt_type
		{ $$ = $1; apush(ctx, $$, mk_param(ctx, $3, $4)); }
	;

fbody:	  block
	| EMBEDDED		{ $$ = mk_embedded_stmt(ctx, $1); }
	;

/* ---- globals ---- */

gvars:	  gvar			{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| gvars ',' gvar	{ $$ = $1; apush(ctx, $$, $3); }
	;

gvar:	  IDENT opt_wrap	{ $$ = mk_gvar(ctx, $1, $2, NULL, NULL); }
	| IDENT opt_wrap '[' NUMBER ']'
				{ $$ = mk_gvar(ctx, $1, $2, $4, NULL); }
	| IDENT '=' glob_init	{ $$ = mk_gvar(ctx, $1, 0, NULL, $3); }
	;

opt_wrap: %empty		{ $$ = 0; }
	| '%'			{ $$ = 1; }
	;

glob_init: strings
	| NUMBER		{ $$ = mk_num(ctx, $1); }
	| '-' NUMBER		{ $$ = mk_num(ctx, $2); $$->num = -$$->num; $$->loc = $1->loc; }
	;

/* ---- statements ---- */

block:	  '{' stmts '}'		{ $$ = mk_block(ctx, $1, $2); }
	;

stmts:	  %empty		{ $$ = pvec(ctx); }
	| stmts stmt		{ $$ = $1; apush(ctx, $$, $2); }
	;

stmt:	  ';'			{ $$ = mk_stmt(ctx, S_NULL, $1); }
	| block
	| expr opt_semi		{ $$ = mk_stmt(ctx, S_EXPR, NULL); $$->e = $1; $$->loc = $1->loc; }
	| IF '(' expr ')' stmt	{ $$ = mk_stmt(ctx, S_IF, $1); $$->e = $3; $$->then = $5; }
	| IF '(' expr ')' stmt ELSE stmt
		{ $$ = mk_stmt(ctx, S_IF, $1); $$->e = $3; $$->then = $5; $$->els = $7; }
	| WHILE '(' expr ')' stmt
		{ $$ = mk_stmt(ctx, S_WHILE, $1); $$->e = $3; $$->then = $5; }
	| FOR '(' opt_expr_stmt ';' opt_expr ';' opt_expr_stmt ')' stmt
		{ $$ = mk_stmt(ctx, S_FOR, $1); $$->init = $3; $$->e = $5;
		  $$->incr = $7; $$->then = $9; }
	| FOREACH '(' fe_head ')' stmt
		{ $$ = mk_stmt(ctx, S_FOREACH, $1); $$->fe = $3; $$->then = $5; }
	| BREAK opt_semi	{ $$ = mk_stmt(ctx, S_BREAK, $1); }
	| CONTINUE opt_semi	{ $$ = mk_stmt(ctx, S_CONTINUE, $1); }
	| NEXT opt_semi		{ $$ = mk_stmt(ctx, S_NEXT, $1); }
	| RETURN opt_semi	{ $$ = mk_return(ctx, $1, NULL); }
	| RETURN expr opt_semi	{ $$ = mk_return(ctx, $1, $2); }
	| DELETE expr opt_semi	{ $$ = mk_stmt(ctx, S_DELETE, $1); $$->e = $2; }
	| TRY block CATCH block	{ $$ = mk_stmt(ctx, S_TRY, $1); $$->then = $2; $$->els = $4; }
	| TRY block CATCH '(' IDENT ')' block
		{ $$ = mk_stmt(ctx, S_TRY, $1); $$->then = $2; $$->els = $7;
		  $$->catch_var = mk_ident(ctx, $5); }
	;

opt_expr: %empty		{ $$ = NULL; }
	| expr
	;

opt_expr_stmt: %empty		{ $$ = NULL; }
	| expr			{ $$ = mk_stmt(ctx, S_EXPR, NULL); $$->e = $1; $$->loc = $1->loc; }
	;

/* foreach ([k1, k2-] in arr[*, 1] limit n), foreach (v- = k in arr) ... */
fe_head:  fe_key IN IDENT opt_slice_sort
		{ $$ = fe_finish(ctx, NULL, $1, $3, NULL); }
	| fe_key '=' fe_keyset IN IDENT opt_slice_sort
		{ $$ = fe_finish(ctx, $1, ctx->fe_keys, $5, NULL); }
	| '[' fe_keys ']' IN IDENT opt_slice_sort
		{ $$ = fe_finish(ctx, NULL, fe_list(ctx, $2), $5, NULL); }
	| fe_key IN hist opt_slice_sort
		{ $$ = fe_finish(ctx, NULL, $1, NULL, $3); }
	| '[' fe_keys ']' IN hist opt_slice_sort
		{ $$ = fe_finish(ctx, NULL, fe_list(ctx, $2), NULL, $5); }
	| fe_key '=' fe_keyset IN hist opt_slice_sort
		{ $$ = fe_finish(ctx, $1, ctx->fe_keys, NULL, $5); }
	;

fe_keyset: fe_key		{ ctx->fe_keys = $1; }
	| '[' fe_keys ']'	{ ctx->fe_keys = fe_list(ctx, $2); }
	;

fe_key:	  IDENT sort_dir	{ $$ = fe_key(ctx, $1, $2); }
	;

fe_keys:  fe_key		{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| fe_keys ',' fe_key	{ $$ = $1; apush(ctx, $$, $3); }
	;

sort_dir: %empty		{ $$ = 0; }
	| '+'			{ $$ = 1; }
	| '-'			{ $$ = -1; }
	;

opt_slice_sort: opt_slice fe_sort fe_limit ;

opt_slice: %empty		{ ctx->fe_slice = NULL; }
	| '[' index_list ']'	{ ctx->fe_slice = $2; }
	;

fe_sort:  %empty		{ ctx->fe_vsort = 0; ctx->fe_agg = NULL; }
	| '+'			{ ctx->fe_vsort = 1; ctx->fe_agg = NULL; ctx->fe_sort_loc = $1->loc; }
	| '-'			{ ctx->fe_vsort = -1; ctx->fe_agg = NULL; ctx->fe_sort_loc = $1->loc; }
	| AT_STAT '+'		{ ctx->fe_vsort = 1; ctx->fe_agg = $1->text; ctx->fe_sort_loc = $2->loc; }
	| AT_STAT '-'		{ ctx->fe_vsort = -1; ctx->fe_agg = $1->text; ctx->fe_sort_loc = $2->loc; }
	;

fe_limit: %empty		{ ctx->fe_limit = NULL; }
	| LIMIT expr		{ ctx->fe_limit = $2; }
	;

/* ---- expressions ----
 *
 * Two levels instead of a rule per precedence level (which costs a
 * reduction per level for every operand): "hi" holds the operators that
 * bind tighter than 'in' (comparison, shift, '.', additive, multiplicative,
 * unary, ++/--), "expr" the rest ('in', '&', '^', '|', '&&', '||', ?:,
 * assignment); the %left/%right lines above order them.  'in' takes a hi
 * operand and makes an expr, so "a in b == 1" stays an error and
 * "a < b in c" is "(a < b) in c", as in stap.
 */

expr:	  hi
	| hi IN IDENT		{ $$ = mk_in(ctx, NULL, $1, $3, &$1->loc); }
	| '[' hi ']'		{ $$ = $2; }
	| '[' hi ']' IN IDENT	{ $$ = mk_in(ctx, NULL, $2, $5, &$2->loc); }
	| '[' star ']' IN IDENT	{ $$ = mk_in(ctx, NULL, $2, $5, &$1->loc); }
	| '[' in_keys ']' IN IDENT
				{ $$ = mk_in(ctx, $2, NULL, $5, &$1->loc); }
	| hi IN hist		{ $$ = mk_in_hist(ctx, NULL, $1, $3, &$1->loc); }
	| '[' hi ']' IN hist	{ $$ = mk_in_hist(ctx, NULL, $2, $5, &$2->loc); }
	| '[' star ']' IN hist	{ $$ = mk_in_hist(ctx, NULL, $2, $5, &$1->loc); }
	| '[' in_keys ']' IN hist
				{ $$ = mk_in_hist(ctx, $2, NULL, $5, &$1->loc); }
	| expr '&' expr		{ $$ = mk_bin(ctx, OP_AND, $1, $3); }
	| expr '^' expr		{ $$ = mk_bin(ctx, OP_XOR, $1, $3); }
	| expr '|' expr		{ $$ = mk_bin(ctx, OP_OR, $1, $3); }
	| expr LAND expr		{ $$ = mk_bin(ctx, OP_LAND, $1, $3); }
	| expr LOR expr		{ $$ = mk_bin(ctx, OP_LOR, $1, $3); }
	| expr '?' expr ':' expr
		{ $$ = mk_expr(ctx, E_TERNARY, &$1->loc); $$->a = $1; $$->b = $3; $$->c = $5; }
	| expr '=' expr		{ $$ = mk_assign(ctx, $1, OP_ASSIGN, $3); }
	| expr ADD_EQ expr		{ $$ = mk_assign(ctx, $1, OP_ADD, $3); }
	| expr SUB_EQ expr		{ $$ = mk_assign(ctx, $1, OP_SUB, $3); }
	| expr MUL_EQ expr		{ $$ = mk_assign(ctx, $1, OP_MUL, $3); }
	| expr DIV_EQ expr		{ $$ = mk_assign(ctx, $1, OP_DIV, $3); }
	| expr MOD_EQ expr		{ $$ = mk_assign(ctx, $1, OP_MOD, $3); }
	| expr SHL_EQ expr		{ $$ = mk_assign(ctx, $1, OP_SHL, $3); }
	| expr SHR_EQ expr		{ $$ = mk_assign(ctx, $1, OP_SHR, $3); }
	| expr AND_EQ expr		{ $$ = mk_assign(ctx, $1, OP_AND, $3); }
	| expr OR_EQ expr		{ $$ = mk_assign(ctx, $1, OP_OR, $3); }
	| expr XOR_EQ expr		{ $$ = mk_assign(ctx, $1, OP_XOR, $3); }
	| expr CAT_EQ expr		{ $$ = mk_assign(ctx, $1, OP_CONCAT, $3); }
	| expr OP_STATS expr	{ $$ = mk_assign(ctx, $1, OP_STATS_ADD, $3); }
	;

hi:	  value
	| hi '<' hi		{ $$ = mk_bin(ctx, OP_LT, $1, $3); }
	| hi '>' hi		{ $$ = mk_bin(ctx, OP_GT, $1, $3); }
	| hi LE hi		{ $$ = mk_bin(ctx, OP_LE, $1, $3); }
	| hi GE hi		{ $$ = mk_bin(ctx, OP_GE, $1, $3); }
	| hi EQ hi		{ $$ = mk_bin(ctx, OP_EQ, $1, $3); }
	| hi NE hi		{ $$ = mk_bin(ctx, OP_NE, $1, $3); }
	| hi MATCH hi		{ $$ = mk_bin(ctx, OP_MATCH, $1, $3); }
	| hi NMATCH hi		{ $$ = mk_bin(ctx, OP_NMATCH, $1, $3); }
	| hi SHL hi		{ $$ = mk_bin(ctx, OP_SHL, $1, $3); }
	| hi SHR hi		{ $$ = mk_bin(ctx, OP_SHR, $1, $3); }
	| hi '.' hi		{ $$ = mk_bin(ctx, OP_CONCAT, $1, $3); }
	| hi '+' hi		{ $$ = mk_bin(ctx, OP_ADD, $1, $3); }
	| hi '-' hi		{ $$ = mk_bin(ctx, OP_SUB, $1, $3); }
	| hi '*' hi		{ $$ = mk_bin(ctx, OP_MUL, $1, $3); }
	/* stap reports division by 0 at the operator */
	| hi '/' hi		{ $$ = mk_bin(ctx, OP_DIV, $1, $3); $$->loc = $2->loc; }
	| hi '%' hi		{ $$ = mk_bin(ctx, OP_MOD, $1, $3); $$->loc = $2->loc; }
	| '-' hi %prec UNARY	{ $$ = mk_unary(ctx, $1, OP_NEG, $2); }
	| '!' hi %prec UNARY	{ $$ = mk_unary(ctx, $1, OP_NOT, $2); }
	| '~' hi %prec UNARY	{ $$ = mk_unary(ctx, $1, OP_BNOT, $2); }
	| '+' hi %prec UNARY	{ $$ = mk_unary(ctx, $1, OP_PLUS, $2); }
	| '&' hi %prec UNARY	{ $$ = mk_addr(ctx, $1, $2); }
	| INC value		{ $$ = mk_incdec(ctx, $1, OP_INC, $2, false); }
	| DEC value		{ $$ = mk_incdec(ctx, $1, OP_DEC, $2, false); }
	| value INC		{ $$ = mk_incdec(ctx, $2, OP_INC, $1, true); }
	| value DEC		{ $$ = mk_incdec(ctx, $2, OP_DEC, $1, true); }
	;

/* the operands, and postfix components, which apply to any value:
 * $p->a[1], f()->x (autocast) */
value:	  NUMBER		{ $$ = mk_num(ctx, $1); }
	| strings
	| value ARROW fieldname	{ $$ = mk_postfix(ctx, $1, mk_tcomp(ctx, COMP_FIELD, $3, NULL)); }
	| value '[' expr ']'	{ $$ = mk_postfix(ctx, $1, mk_tcomp(ctx, COMP_INDEX, $2, $3)); }
	| value '$'		{ $$ = mk_pretty(ctx, $1, 1); }
	| value '$' '$'		{ $$ = mk_pretty(ctx, $1, 2); }
	| '(' expr ')'		{ $$ = $2; }
	| IDENT			{ $$ = mk_ident(ctx, $1); }
	| IDENT '[' index_list ']'
		{ $$ = mk_expr(ctx, E_INDEX, &$1->loc); $$->a = mk_ident(ctx, $1); $$->args = *$3; }
	| IDENT '(' opt_args ')'
		{ $$ = mk_call(ctx, $1, $3); }
	| IDENT '(' hist ')'	{ $$ = mk_print_hist(ctx, $1, $3); }
	| target_base
	| TARGET_SYM		{ $$ = mk_target_sym(ctx, $1); }
	| '$'			{ $$ = mk_target(ctx, $1); $$->str = ""; }
	| AT_DEFINED '(' expr ')'
		{ $$ = mk_expr(ctx, E_DEFINED, &$1->loc); $$->a = $3; }
	| AT_ENTRY '(' expr ')'	{ $$ = mk_expr(ctx, E_ENTRY, &$1->loc); $$->a = $3; }
	| AT_CHOOSE '(' expr ',' expr ')'
		{ $$ = mk_expr(ctx, E_CHOOSE, &$1->loc); $$->a = $3; $$->b = $5; }
	| AT_PERF '(' strings ')'
		{ $$ = mk_expr(ctx, E_PERF, &$1->loc); $$->str = $3->str; }
	| AT_CONST '(' strings ')'
		{ $$ = mk_const(ctx, $1, $3); }
	| AT_STAT '(' expr ')'	{ $$ = mk_stat(ctx, $1, $3, NULL); }
	| AT_STAT '(' expr ',' expr ')'	{ $$ = mk_stat(ctx, $1, $3, $5); }
	| AT_PROBEWRITE '(' IDENT ')'
		{ $$ = mk_expr(ctx, E_PROBEWRITE, &$1->loc); $$->a = mk_ident(ctx, $3); }
	| hist '[' expr ']'
		{ $$ = mk_expr(ctx, E_INDEX, &$1->loc); $$->a = $1; apush(ctx, &$$->args, $3); }
	| EMBEDDED		{ $$ = mk_embedded_expr(ctx, $1); }
	;

strings:  STRING		{ $$ = mk_str(ctx, $1); }
	| strings STRING	{ $$ = str_join(ctx, $1, $2); }
	;

hist:	  AT_HIST '(' args ')'	{ $$ = mk_hist(ctx, $1, $3); }
	;

target_base: TARGET		{ $$ = mk_target(ctx, $1); }
	| AT_CAST '(' expr ',' strings ')'
		{ $$ = mk_cast(ctx, $1, $3, $5, NULL); }
	| AT_CAST '(' expr ',' strings ',' strings ')'
		{ $$ = mk_cast(ctx, $1, $3, $5, $7); }
	| AT_VAR '(' strings ')'
		{ $$ = mk_atvar(ctx, $1, $3, NULL); }
	| AT_VAR '(' strings ',' strings ')'
		{ $$ = mk_atvar(ctx, $1, $3, $5); }
	;

fieldname: IDENT | keyword ;

opt_args: %empty		{ $$ = pvec(ctx); }
	| args
	;

args:	  expr			{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| args ',' expr		{ $$ = $1; apush(ctx, $$, $3); }
	;

index_list: index_item		{ $$ = pvec(ctx); apush(ctx, $$, $1); }
	| index_list ',' index_item	{ $$ = $1; apush(ctx, $$, $3); }
	;

index_item: expr
	| '*'			{ $$ = mk_expr(ctx, E_STAR, &$1->loc); }
	;

/* the keys of "[k1, k2] in a": operands that bind tighter than 'in' (or
 * '*'), at least two (one key is the '[' hi ']' rule); as in stap, a key
 * cannot itself start with '[' ("[[1]] in a", "[1 & 2] in a" are errors) */
in_keys:  in_key ',' in_key	{ $$ = pvec(ctx); apush(ctx, $$, $1); apush(ctx, $$, $3); }
	| in_keys ',' in_key	{ $$ = $1; apush(ctx, $$, $3); }
	;

in_key:	  hi
	| star
	;

star:	  '*'			{ $$ = mk_expr(ctx, E_STAR, &$1->loc); }
	;

%%

/* hand the preprocessed tokens to bison */
static int yylex(YYSTYPE *lval, struct pctx *ctx)
{
	lval->tok = tok_new(ctx);
	pctx_next(ctx, lval->tok);
	return lval->tok->kind;
}

/* only for bison's own failures (memory exhausted) */
static void yyerror(struct pctx *ctx, const char *msg)
{
	pw_error(ctx->w, ctx->last ? &ctx->last->loc : NULL, "%s", msg);
}

static int yyreport_syntax_error(const yypcontext_t *yctx, struct pctx *ctx)
{
	yysymbol_kind_t exp[6];
	int n = yypcontext_expected_tokens(yctx, exp, 6);
	struct strbuf sb = { 0 };
	const struct tok *t = ctx->last;

	if (n > 0 && n <= 5) {
		sb_puts(&sb, "expected ");
		for (int i = 0; i < n; i++) {
			if (i)
				sb_puts(&sb, i == n - 1 ? " or " : ", ");
			sb_puts(&sb, yysymbol_name(exp[i]));
		}
		sb_puts(&sb, ", found ");
	} else {
		sb_puts(&sb, "unexpected ");
	}
	sb_puts(&sb, tok_describe(ctx->w, t));
	pw_error(ctx->w, &t->loc, "%s", sb_str(&sb));
	sb_free(&sb);
	ctx->skip = true;
	return 0;
}

int grammar_parse(struct pctx *ctx)
{
	int r;

	ctx->tp_chunk = -1;	/* empty token pool */
	ctx->tp_cur = ctx->tp_end = NULL;
	r = yyparse(ctx);

	tok_pool_free(ctx);
	return r;
}
