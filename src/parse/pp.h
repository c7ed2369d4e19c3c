/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pp.h - preprocessor state kept in the session between files */
#ifndef STAP_PARSE_PP_H
#define STAP_PARSE_PP_H

#include <stdbool.h>

#include "util/vec.h"

struct session;
struct tok;

#define PP_SPELL_MAX 512	/* > every bison token kind */

struct pp_state {
	struct vec macros;	/* struct pp_macro *: from .stpm files, global */
	struct pp_macro **mtab;	/* hash of macros by name (first one wins) */
	int mtab_cap, mtab_n;	/* slots; macros.n when it was built */
	bool stpm_loaded;
	int n_stpm;		/* macro files read */
	bool config_loaded;
	char *config_buf;	/* the build tree's .config, split in place */
	const char **config_tab;	/* hash: name, value, name, value ... */
	int config_cap;		/* slots (pairs) */
	const char *spell[PP_SPELL_MAX];	/* fixed tokens' text, by kind */
	char *str_cur;		/* token texts: carved from arena chunks */
	size_t str_left;	/* without the arena's 16-byte rounding */
	struct tok **pool;	/* chunks of tokens a file's preprocessor keeps
				   (conditions, macros), reused file after file */
	int pool_n;
};

struct pp_state *pp_state(struct session *s);
void pp_state_free(struct session *s);

#endif
