/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - everything one stap invocation knows: options, inputs, the
 * AST arena, the parsed files and the results of each pass.  There is no
 * other mutable global state in the translator.
 */
#ifndef STAP_SESSION_H
#define STAP_SESSION_H

#include <stdbool.h>
#include <stdio.h>

#include "ast.h"
#include "util/arena.h"
#include "util/vec.h"

struct session {
	/* ---- options ---- */
	int last_pass;			/* -p N; 5 by default */
	int verbose[5];			/* -v / --vp ABCDE, per pass */
	const char *script_file;	/* FILE or "-" */
	const char *script_text;	/* -e SCRIPT */
	struct vec extra_scripts;	/* -E SCRIPT (const char *) */
	struct vec args;		/* $1..$N / @1..@N (const char *) */
	struct vec include_dirs;	/* -I DIR (const char *) */
	struct vec defines;		/* -D NAME[=VAL] (const char *) */
	struct vec kbuild_vars;		/* -B NAME=VAL (const char *) */
	struct vec global_sets;		/* -G NAME=VAL (const char *) */
	const char *runtime_dir;	/* -R DIR */
	const char *tapset_dir;		/* built-in tapset root */
	const char *kernel_release;	/* -r RELEASE (uname -r by default) */
	const char *kernel_build_dir;	/* /lib/modules/R/build or -r DIR */
	const char *module_name;	/* -m NAME, or derived from the cache key */
	bool module_named;		/* -m given: copy the .ko to the cwd */
	const char *output_file;	/* -o FILE */
	const char *target_cmd;		/* -c CMD */
	long target_pid;		/* -x PID */
	long timeout_s;			/* -T SECONDS */
	long buffer_mb;			/* -s MB */
	const char *list_pattern;	/* -l / -L PATTERN */
	bool list_vars;			/* -L */
	bool guru;			/* -g */
	bool keep_tmp;			/* -k */
	bool no_warnings;		/* -w */
	bool warnings_fatal;		/* -W */
	bool unoptimized;		/* -u */
	bool timing;			/* -t */
	bool bulk;			/* -b */
	bool flight;			/* -F */
	const char *switch_arg;		/* -S size[,N], checked */
	bool disable_cache;		/* --disable-cache (also -k, -m) */
	bool clean_cache;		/* --clean-cache */
	const char *privilege;		/* --privilege=stapusr|stapsys|stapdev */
	bool skip_badvars;
	bool suppress_handler_errors;
	bool suppress_time_limits;	/* no MAXACTION/MAXTRYLOCK/overload (-g) */
	bool vm;			/* --vm: run pass 5 in a qemu guest */
	const char *vm_release;		/* --vm=RELEASE */
	int dump;			/* --dump-* (DUMP_*) */

	/* ---- state ---- */
	struct arena arena;		/* AST and strings */
	struct vec files;		/* struct ast_file *: user script(s) first */
	struct ast_file *user;		/* the user's script */
	int n_user_files;		/* leading entries of files from the user */
	int errors, warnings;		/* counted by diag */
	const char *cache_key;		/* module cache key (hex), NULL if off */
	const char *tmpdir;		/* pass 3/4 work directory */
	const char *c_file;		/* generated C */
	const char *ko_file;		/* built module */
	struct kbuild_job *kbuild;	/* pass 4's make, once started (build/) */
	const char *exe_dir;		/* directory of the stap binary */
	void *elab;			/* pass 2 results (elaborate/) */
	void *kinfo;			/* kernel symbols + debuginfo caches (symbols/, dwarf/) */
	void *pp;			/* pass 1 preprocessor state (parse/pp.h) */
};

enum { DUMP_NONE, DUMP_FUNCTIONS, DUMP_PROBE_ALIASES, DUMP_PROBE_TYPES };

#endif
