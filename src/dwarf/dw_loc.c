/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dw_loc.c - a context variable at a probe address as C: the DWARF
 * location expression in force at that pc (register, memory at
 * register+offset, frame base, entry values, constants), then the
 * ->field / [index] components over the variable's type, each memory read
 * through the runtime's fault-safe accessors (runtime/probes/stp_deref.h).
 *
 * The result is C text evaluating to an int64_t, or to a const char * for
 * char arrays, with two kinds of placeholders the emitter fills in:
 * "@@IDXn@@" for the n-th [index] script expression and "@@BUF@@" for a
 * string buffer.  "c" is the probe context and "NEAR" the error location.
 */
#include <dwarf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "dwarf/dw.h"
#include "dwarf/dw_loc.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

static const char *const regname[17] = {
	"ax", "dx", "cx", "bx", "si", "di", "bp", "sp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "ip",
};

enum lk { LK_NONE, LK_REG, LK_MEM, LK_VALUE };

struct loc {
	enum lk kind;
	char *c;		/* register value / address / value */
};

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static char *reg(unsigned int n)
{
	if (n > 16)
		return NULL;
	return fmt("((int64_t)c->regs->%s)", regname[n]);
}

/* the ops of one location expression -> loc; false + *err if not */
static bool eval_ops(const Dwarf_Op *ops, size_t n, bool at_entry,
		     Dwarf_Die *func, uint64_t pc, struct loc *out,
		     const char **err)
{
	char *st[16];
	int sp = 0;
	bool value = false;

	out->kind = LK_NONE;
	for (size_t i = 0; i < n; i++) {
		uint8_t op = ops[i].atom;

		if (sp >= 15) {
			*err = "location expression too deep";
			return false;
		}
		if (op >= DW_OP_reg0 && op <= DW_OP_reg31) {
			if (n != 1) {
				*err = "variable split over registers";
				return false;
			}
			out->kind = LK_REG;
			out->c = reg(op - DW_OP_reg0);
			if (!out->c)
				*err = "unknown register";
			return out->c != NULL;
		}
		if (op == DW_OP_regx) {
			out->kind = LK_REG;
			out->c = reg((unsigned)ops[i].number);
			if (!out->c)
				*err = "unknown register";
			return out->c != NULL;
		}
		if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
			char *r = reg(op - DW_OP_breg0);

			if (!r) {
				*err = "unknown register";
				return false;
			}
			st[sp++] = fmt("(%s + %" PRId64 ")", r,
				       (int64_t)ops[i].number);
			free(r);
			continue;
		}
		switch (op) {
		case DW_OP_fbreg: {
			/* at the entry the CFA (the usual frame base) is sp+8 */
			Dwarf_Attribute a;
			Dwarf_Op *fb;
			size_t fbn;

			if (!at_entry || !dwarf_attr_integrate(func,
					DW_AT_frame_base, &a) ||
			    dwarf_getlocation_addr(&a, pc, &fb, &fbn, 1) != 1 ||
			    fbn != 1 || fb[0].atom != DW_OP_call_frame_cfa) {
				*err = "frame base not available here";
				return false;
			}
			st[sp++] = fmt("((int64_t)c->regs->sp + 8 + %" PRId64 ")",
				       (int64_t)ops[i].number);
			break;
		}
		case DW_OP_call_frame_cfa:
			if (!at_entry) {
				*err = "frame base not available here";
				return false;
			}
			st[sp++] = fmt("((int64_t)c->regs->sp + 8)");
			break;
		case DW_OP_entry_value:
		case DW_OP_GNU_entry_value: {
			Dwarf_Attribute a;
			Dwarf_Op *sub;
			size_t subn;

			/* at the function's entry, the entry value is the
			 * register itself */
			if (!at_entry ||
			    dwarf_getlocation_attr(NULL, &ops[i], &a) != 0 ||
			    dwarf_getlocation(&a, &sub, &subn) != 0 ||
			    subn != 1 || sub[0].atom < DW_OP_reg0 ||
			    sub[0].atom > DW_OP_reg31) {
				*err = "entry value not available here";
				return false;
			}
			st[sp++] = reg(sub[0].atom - DW_OP_reg0);
			break;
		}
		case DW_OP_addr:
			st[sp++] = fmt("((int64_t)0x%" PRIx64 "ULL - stp_kaslr_delta)",
				       (uint64_t)ops[i].number);
			break;
		case DW_OP_lit0 ... DW_OP_lit31:
			st[sp++] = fmt("%dLL", op - DW_OP_lit0);
			break;
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u:
		case DW_OP_const8u: case DW_OP_constu:
			st[sp++] = fmt("%" PRIu64 "ULL", (uint64_t)ops[i].number);
			break;
		case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
		case DW_OP_const8s: case DW_OP_consts:
			st[sp++] = fmt("%" PRId64 "LL", (int64_t)ops[i].number);
			break;
		case DW_OP_plus_uconst:
			if (!sp)
				goto bad;
			st[sp - 1] = fmt("(%s + %" PRIu64 ")", st[sp - 1],
					 (uint64_t)ops[i].number);
			break;
		case DW_OP_plus: case DW_OP_minus: case DW_OP_and:
		case DW_OP_or: case DW_OP_mul: case DW_OP_xor: {
			const char *o = op == DW_OP_plus ? "+" : op == DW_OP_minus ?
				"-" : op == DW_OP_and ? "&" : op == DW_OP_or ?
				"|" : op == DW_OP_mul ? "*" : "^";

			if (sp < 2)
				goto bad;
			st[sp - 2] = fmt("(%s %s %s)", st[sp - 2], o, st[sp - 1]);
			sp--;
			break;
		}
		case DW_OP_neg:
			if (!sp)
				goto bad;
			st[sp - 1] = fmt("(-%s)", st[sp - 1]);
			break;
		case DW_OP_deref:
			if (!sp)
				goto bad;
			st[sp - 1] = fmt("stp_dw_read(c, %s, 8, 0, NEAR)",
					 st[sp - 1]);
			break;
		case DW_OP_stack_value:
			value = true;
			break;
		case DW_OP_piece:
			if (i == n - 1 && i > 0)
				break;	/* one piece: the whole value */
			*err = "variable split into pieces";
			return false;
		default:
			goto bad;
		}
	}
	if (sp != 1)
		goto bad;
	out->kind = value ? LK_VALUE : LK_MEM;
	out->c = st[0];
	return true;
bad:
	*err = "unsupported location expression";
	return false;
}

/* strip typedefs and cv-qualifiers */
static void peel(Dwarf_Die *t)
{
	for (;;) {
		int tag = dwarf_tag(t);
		Dwarf_Die sub;

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_restrict_type &&
		    tag != DW_TAG_atomic_type)
			return;
		if (!dw_die_type(t, &sub))
			return;
		*t = sub;
	}
}

static int64_t type_size(Dwarf_Die *t)
{
	Dwarf_Die u = *t;
	Dwarf_Word sz;
	Dwarf_Attribute a;

	peel(&u);
	if (dwarf_tag(&u) == DW_TAG_pointer_type)
		return 8;
	if (dwarf_attr_integrate(&u, DW_AT_byte_size, &a) &&
	    dwarf_formudata(&a, &sz) == 0)
		return (int64_t)sz;
	return -1;
}

static bool is_signed(Dwarf_Die *t)
{
	Dwarf_Die u = *t;
	Dwarf_Attribute a;
	Dwarf_Word enc;

	peel(&u);
	if (dwarf_tag(&u) == DW_TAG_enumeration_type)
		return true;
	if (dwarf_tag(&u) != DW_TAG_base_type ||
	    !dwarf_attr(&u, DW_AT_encoding, &a) || dwarf_formudata(&a, &enc))
		return false;
	return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
}

static bool is_char(Dwarf_Die *t)
{
	Dwarf_Die u = *t;
	const char *n;

	peel(&u);
	n = dwarf_diename(&u);
	return dwarf_tag(&u) == DW_TAG_base_type && type_size(&u) == 1 && n &&
	       strstr(n, "char");
}

/* member name of struct/union t (looking into anonymous members) */
static bool find_member(Dwarf_Die *t, const char *name, int64_t *off,
			Dwarf_Die *mt, int *bitsz, int *bitoff)
{
	Dwarf_Die ch;

	if (dwarf_child(t, &ch) != 0)
		return false;
	do {
		Dwarf_Attribute a;
		Dwarf_Word w = 0;
		const char *n;
		int64_t base = 0;

		if (dwarf_tag(&ch) != DW_TAG_member)
			continue;
		if (dwarf_attr(&ch, DW_AT_data_member_location, &a) &&
		    dwarf_formudata(&a, &w) == 0)
			base = (int64_t)w;
		n = dwarf_diename(&ch);
		if (!n) {
			Dwarf_Die sub;

			if (dw_die_type(&ch, &sub)) {
				peel(&sub);
				if (find_member(&sub, name, off, mt, bitsz,
						bitoff)) {
					*off += base;
					return true;
				}
			}
			continue;
		}
		if (strcmp(n, name) || !dw_die_type(&ch, mt))
			continue;
		*off = base;
		*bitsz = 0;
		*bitoff = 0;
		if (dwarf_attr(&ch, DW_AT_bit_size, &a) &&
		    dwarf_formudata(&a, &w) == 0) {
			*bitsz = (int)w;
			if (dwarf_attr(&ch, DW_AT_data_bit_offset, &a) &&
			    dwarf_formudata(&a, &w) == 0) {
				*off = (int64_t)(w / 8);
				*bitoff = (int)(w % 8);
			}
		}
		return true;
	} while (dwarf_siblingof(&ch, &ch) == 0);
	return false;
}

/* the value at l of type t (register or memory), as an int64_t expr */
static char *rvalue(const struct loc *l, Dwarf_Die *t)
{
	int64_t sz = type_size(t);
	bool sg = is_signed(t);

	if (sz <= 0 || sz > 8)
		return NULL;
	if (l->kind == LK_MEM)
		return fmt("stp_dw_read(c, %s, %d, %d, NEAR)", l->c, (int)sz,
			   sg);
	if (sz == 8)
		return xstrdup(l->c);
	return fmt("((int64_t)(%s%d_t)%s)", sg ? "int" : "uint",
		   (int)sz * 8, l->c);
}

static bool fail(struct dw_access *out, char *msg)
{
	out->err = msg;
	return false;
}

bool dw_access(const struct dw_loc_req *rq, struct dw_access *out)
{
	struct loc l = { LK_NONE, NULL };
	Dwarf_Die t;
	const char *err = NULL;
	int nidx = 0;

	memset(out, 0, sizeof(*out));
	if (rq->addr_c) {		/* @cast: an object at an address */
		l.kind = LK_MEM;
		l.c = xstrdup(rq->addr_c);
		t = rq->value_type;
	} else if (rq->value_c) {	/* $return: a value of the function's type */
		l.kind = LK_VALUE;
		l.c = xstrdup(rq->value_c);
		t = rq->value_type;
	} else {
		Dwarf_Attribute a;
		Dwarf_Op *ops;
		size_t nops;
		int r;

		if (!dw_die_type(rq->var, &t))
			return fail(out, xstrdup("variable has no type"));
		if (!dwarf_attr_integrate(rq->var, DW_AT_location, &a)) {
			if (dwarf_attr_integrate(rq->var, DW_AT_const_value, &a)) {
				Dwarf_Sword sv;

				if (dwarf_formsdata(&a, &sv) == 0) {
					l.kind = LK_VALUE;
					l.c = fmt("%" PRId64 "LL", (int64_t)sv);
				}
			}
			if (l.kind == LK_NONE)
				return fail(out, xstrdup("not available: optimized out"));
		} else {
			r = dwarf_getlocation_addr(&a, rq->pc, &ops, &nops, 1);
			if (r <= 0 || !nops)
				return fail(out, fmt("not accessible at this address "
						     "(0x%" PRIx64 ")", rq->pc));
			if (!eval_ops(ops, nops, rq->at_entry, rq->func, rq->pc,
				      &l, &err))
				return fail(out, fmt("%s", err));
			/* a module's static storage: its address is not
			 * known before the module loads */
			if (rq->k && rq->k->module && l.c &&
			    strstr(l.c, "stp_kaslr_delta"))
				return fail(out, xstrdup("static storage of a "
					    "module is not supported"));
		}
	}
	/* components */
	for (int i = 0; rq->comps && i < rq->comps->n; i++) {
		const struct target_comp *cp = rq->comps->v[i];
		Dwarf_Die u = t;
		int tag;

		peel(&u);
		tag = dwarf_tag(&u);
		if (tag == DW_TAG_pointer_type) {
			/* step through the pointer */
			char *v = rvalue(&l, &u);
			Dwarf_Die pt;

			if (!v || !dw_die_type(&u, &pt))
				return fail(out, xstrdup("cannot dereference a void pointer"));
			l.kind = LK_MEM;
			l.c = v;
			if (cp->kind == COMP_INDEX) {
				int64_t es = type_size(&pt);

				if (es <= 0)
					return fail(out, xstrdup("index of incomplete type"));
				l.c = fmt("(%s + (@@IDX%d@@) * %" PRId64 ")", v,
					  nidx++, es);
				t = pt;
				continue;
			}
			u = pt;
			peel(&u);
			tag = dwarf_tag(&u);
		}
		if (cp->kind == COMP_INDEX) {
			Dwarf_Die et;
			int64_t es;

			if (tag != DW_TAG_array_type || !dw_die_type(&u, &et))
				return fail(out, fmt("'[...]' on a non-array"));
			if (l.kind != LK_MEM)
				return fail(out, xstrdup("array not in memory"));
			es = type_size(&et);
			l.c = fmt("(%s + (@@IDX%d@@) * %" PRId64 ")", l.c, nidx++,
				  es);
			t = et;
			continue;
		}
		if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
			return fail(out, fmt("'->%s' on a non-struct", cp->name));
		if (dwarf_hasattr(&u, DW_AT_declaration) && rq->k &&
		    dwarf_diename(&u)) {
			/* only declared in this CU: the definition elsewhere */
			char *spec = fmt("%s %s", tag == DW_TAG_union_type ?
					 "union" : "struct", dwarf_diename(&u));
			Dwarf_Die def;

			if (dw_find_type(rq->k, spec, &def))
				u = def;
			free(spec);
		}
		{
			int64_t off;
			Dwarf_Die mt;
			int bs, bo;

			if (!find_member(&u, cp->name, &off, &mt, &bs, &bo))
				return fail(out, fmt("unable to find member '%s' "
						     "for struct %s", cp->name,
						     dwarf_diename(&u) ?
						     dwarf_diename(&u) : "{...}"));
			if (l.kind != LK_MEM)
				return fail(out, xstrdup("struct not in memory"));
			l.c = fmt("(%s + %" PRId64 ")", l.c, off);
			t = mt;
			if (bs) {
				if (i != rq->comps->n - 1)
					return fail(out, xstrdup("bitfield in the middle"));
				out->code = fmt("((stp_dw_read(c, %s, %d, 0, NEAR) "
						">> %d) & %lluULL)", l.c,
						(int)type_size(&mt), bo,
						(1ULL << bs) - 1);
				out->type = mt;
				return true;
			}
		}
	}
	out->type = t;
	if (rq->addr_of) {
		if (l.kind != LK_MEM)
			return fail(out, xstrdup("no address: not in memory"));
		out->code = l.c;
		return true;
	}
	{
		Dwarf_Die u = t, et;

		peel(&u);
		if (dwarf_tag(&u) == DW_TAG_array_type && dw_die_type(&u, &et) &&
		    is_char(&et) && l.kind == LK_MEM) {
			out->code = fmt("stp_dw_string(c, @@BUF@@, %s, NEAR)", l.c);
			out->string = true;
			return true;
		}
		if (dwarf_tag(&u) == DW_TAG_structure_type ||
		    dwarf_tag(&u) == DW_TAG_union_type ||
		    dwarf_tag(&u) == DW_TAG_array_type)
			return fail(out, xstrdup("a struct, union or array is "
						 "not a value: use a member, an "
						 "index or '&'"));
	}
	out->code = rvalue(&l, &t);
	if (!out->code)
		return fail(out, xstrdup("value of unsupported size"));
	return true;
}

/* ---- $var$ / $var$$: pretty printing ----------------------------------- */

struct pp_gen {
	struct strbuf sb;	/* C statements appending to _b */
	int members;		/* budget: printing stops past it */
	struct dw_kernel *k;
};

static void pp_cat(struct pp_gen *g, const char *lit)
{
	sb_puts(&g->sb, "stp_pp_cat(_b, \"");
	for (; *lit; lit++) {
		if (*lit == '"' || *lit == '\\')
			sb_putc(&g->sb, '\\');
		sb_putc(&g->sb, *lit);
	}
	sb_puts(&g->sb, "\"); ");
}

/* value of type t in memory at addr (C) or, when addr is NULL, the
 * value val (C) */
static void pp_value(struct pp_gen *g, const char *addr, const char *val,
		     Dwarf_Die *t, int depth, int maxdepth)
{
	Dwarf_Die u = *t, sub;
	int tag;
	int64_t sz;

	peel(&u);
	tag = dwarf_tag(&u);
	sz = type_size(&u);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
		Dwarf_Die ch;
		bool first = true;

		if (dwarf_hasattr(&u, DW_AT_declaration) && g->k &&
		    dwarf_diename(&u)) {
			char *spec = fmt("%s %s", tag == DW_TAG_union_type ?
					 "union" : "struct", dwarf_diename(&u));
			Dwarf_Die def;

			if (dw_find_type(g->k, spec, &def))
				u = def;
			free(spec);
		}
		if (!addr || depth >= maxdepth || dwarf_child(&u, &ch) != 0) {
			pp_cat(g, "{...}");
			return;
		}
		pp_cat(g, "{");
		do {
			Dwarf_Attribute a;
			Dwarf_Word off = 0, bs = 0;
			const char *n;
			char *maddr;

			if (dwarf_tag(&ch) != DW_TAG_member ||
			    !dw_die_type(&ch, &sub))
				continue;
			if (--g->members < 0) {
				pp_cat(g, ", ...");
				break;
			}
			if (dwarf_attr(&ch, DW_AT_data_member_location, &a))
				dwarf_formudata(&a, &off);
			if (dwarf_attr(&ch, DW_AT_bit_size, &a))
				dwarf_formudata(&a, &bs);
			n = dwarf_diename(&ch);
			if (!first)
				pp_cat(g, ", ");
			first = false;
			if (bs)
				continue;	/* bitfields: skipped */
			maddr = fmt("(%s + %llu)", addr, (unsigned long long)off);
			if (!n) {	/* anonymous struct/union */
				pp_value(g, maddr, NULL, &sub, depth,
					 maxdepth);
			} else {
				char *lab = fmt(".%s=", n);

				pp_cat(g, lab);
				free(lab);
				pp_value(g, maddr, NULL, &sub, depth + 1, maxdepth);
			}
			free(maddr);
		} while (dwarf_siblingof(&ch, &ch) == 0);
		pp_cat(g, "}");
		return;
	}
	if (tag == DW_TAG_array_type) {
		Dwarf_Die et;

		if (addr && dw_die_type(&u, &et) && is_char(&et)) {
			sb_printf(&g->sb, "stp_pp_str(_b, %s); ", addr);
			return;
		}
		pp_cat(g, "[...]");
		return;
	}
	if (tag == DW_TAG_pointer_type) {
		char *v = addr ? fmt("stp_dw_read_q(%s, 8, 0)", addr) : xstrdup(val);

		if (dw_die_type(&u, &sub) && is_char(&sub))
			sb_printf(&g->sb, "stp_pp_str(_b, %s); ", v);
		else
			sb_printf(&g->sb, "stp_pp_hex(_b, %s); ", v);
		free(v);
		return;
	}
	if (sz <= 0 || sz > 8 || (tag != DW_TAG_base_type &&
				  tag != DW_TAG_enumeration_type)) {
		pp_cat(g, "?");
		return;
	}
	{
		char *v = addr ? fmt("stp_dw_read_q(%s, %d, %d)", addr, (int)sz,
				     is_signed(&u)) :
				 xstrdup(val);

		sb_printf(&g->sb, "stp_pp_int(_b, %s, %d); ", v, is_signed(&u));
		free(v);
	}
}

char *dw_pretty_stmts(const struct dw_loc_req *rq, int maxdepth,
		      char **err)
{
	struct dw_access acc;

	if (!dw_pretty(rq, maxdepth, &acc)) {
		*err = acc.err;
		return NULL;
	}
	return acc.err;		/* dw_pretty leaves the bare statements here */
}

bool dw_pretty(const struct dw_loc_req *rq, int maxdepth,
	       struct dw_access *out)
{
	struct dw_loc_req r2 = *rq;
	struct dw_access acc;
	struct pp_gen g = { { 0 }, 64, rq->k };
	Dwarf_Die t;
	int tag;

	memset(out, 0, sizeof(*out));
	/* first the value itself, to know its type */
	r2.addr_of = false;
	if (!dw_access(&r2, &acc)) {
		/* a struct by value: print it from its address */
		r2.addr_of = true;
		if (!dw_access(&r2, &acc)) {
			out->err = acc.err;
			return false;
		}
		t = acc.type;
		pp_value(&g, acc.code, NULL, &t, 0, maxdepth);
	} else {
		Dwarf_Die u = acc.type, pt;

		t = acc.type;
		peel(&u);
		tag = dwarf_tag(&u);
		if (acc.string) {
			/* char array: the string, quoted */
			r2.addr_of = true;
			if (dw_access(&r2, &acc))
				sb_printf(&g.sb, "stp_pp_str(_b, %s); ", acc.code);
		} else if (tag == DW_TAG_pointer_type && dw_die_type(&u, &pt) &&
			   !is_char(&pt)) {
			Dwarf_Die pu = pt;

			peel(&pu);
			if (dwarf_tag(&pu) == DW_TAG_structure_type ||
			    dwarf_tag(&pu) == DW_TAG_union_type) {
				/* pointer to struct: the struct it points to */
				char *a = fmt("(%s)", acc.code);

				pp_value(&g, a, NULL, &pt, 0, maxdepth);
				free(a);
			} else {
				pp_value(&g, NULL, acc.code, &t, 0, maxdepth);
			}
		} else {
			pp_value(&g, NULL, acc.code, &t, 0, maxdepth);
		}
	}
	out->code = fmt("({ char *_b = @@BUF@@; _b[0] = 0; %s(const char *)_b; })",
			sb_str(&g.sb));
	out->err = xstrdup(sb_str(&g.sb));	/* for dw_pretty_stmts() */
	out->string = true;
	out->type = t;
	sb_free(&g.sb);
	return true;
}
