/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run.h - pass 5 on this host: exec staprun with the session's options */
#ifndef STAP_RUN_H
#define STAP_RUN_H

struct session;

/* Returns staprun's exit status. */
int run_local(struct session *s);

struct vec;
/* staprun's argument list (NULL-terminated) for this session's options:
 * the one mapping from stap's options to staprun's, shared with the guest
 * runner, which passes its own module path and output file.  Free with
 * vec_free(); the strings stay valid for the session. */
struct vec run_staprun_argv(struct session *s, const char *staprun,
			    const char *ko, const char *output_file);

#endif
