/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ast.c - what every pass needs to know about AST nodes */
#include "ast.h"

/* an operator as the script language (and, where they agree, C) spells it */
const char *ast_op_text(enum ast_op op)
{
	switch (op) {
	case OP_ADD: case OP_PLUS: return "+";
	case OP_SUB: case OP_NEG: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	case OP_MOD: return "%";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_AND: case OP_ADDR: return "&";
	case OP_OR: return "|";
	case OP_XOR: return "^";
	case OP_LAND: return "&&";
	case OP_LOR: return "||";
	case OP_EQ: return "==";
	case OP_NE: return "!=";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	case OP_GE: return ">=";
	case OP_CONCAT: return ".";
	case OP_MATCH: return "=~";
	case OP_NMATCH: return "!~";
	case OP_NOT: return "!";
	case OP_BNOT: return "~";
	case OP_INC: return "++";
	case OP_DEC: return "--";
	case OP_ASSIGN: return "=";
	case OP_STATS_ADD: return "<<<";
	default: return "?";
	}
}
