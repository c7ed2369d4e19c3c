/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pp.h - preprocessor state kept in the session between files */
#ifndef STAP_PARSE_PP_H
#define STAP_PARSE_PP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "parse/pwork.h"
#include "util/vec.h"

struct lib_run;
struct session;
struct tok;

struct pp_state {
	struct vec macros;	/* struct pp_macro *: from .stpm files, global */
	struct pp_macro **mtab;	/* hash of macros by name (first one wins) */
	int mtab_cap, mtab_n;	/* slots; macros.n when it was built */
	bool stpm_loaded;
	int n_stpm;		/* macro files read */
	atomic_bool config_loaded;	/* config_buf/config_tab are final */
	pthread_mutex_t config_lock;	/* whichever thread needs it first loads it */
	char *config_buf;	/* the build tree's .config, split in place */
	const char **config_tab;	/* hash: name, value, name, value ... */
	int config_cap;		/* slots (pairs) */
	struct pwork main;	/* the session's parsing scratch (pwork.h) */
	struct lib_run *lib;	/* the library's parse under way (library.c) */
};

struct pp_state *pp_state(struct session *s);
void pp_state_free(struct session *s);
/* before files are parsed on several threads: build what the preprocessor
 * would otherwise build lazily (the macro table, the .config hash), so
 * that the state is only read meanwhile */
void pp_freeze(struct session *s);
/* load the build tree's .config now, once (any thread: config_lock) */
void pp_config_load(struct session *s);

#endif
