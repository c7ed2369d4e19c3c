/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pp.h - preprocessor state kept in the session between files */
#ifndef STAP_PARSE_PP_H
#define STAP_PARSE_PP_H

#include <stdbool.h>

#include "util/vec.h"

struct session;

#define PP_SPELL_MAX 512	/* > every bison token kind */

struct pp_state {
	struct vec macros;	/* struct pp_macro *: from .stpm files, global */
	bool stpm_loaded;
	bool config_loaded;
	struct vec config;	/* "CONFIG_X=val" lines (heap strings) */
	const char *spell[PP_SPELL_MAX];	/* fixed tokens' text, by kind */
};

struct pp_state *pp_state(struct session *s);
void pp_state_free(struct session *s);

#endif
