/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - the stap driver: options, then passes 1 to 5, each timed, each
 * stopping the run on failure with stap's "Pass N: ... failed." line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/kbuild.h"
#include "cache/cache.h"
#include "diag.h"
#include "elaborate/elab.h"
#include "guest/guest.h"
#include "options.h"
#include "parse/parse.h"
#include "run/run.h"
#include "session.h"
#include "translate/tx.h"
#include "util/ptime.h"
#include "util/xalloc.h"

static int pass_failed(int pass, const char *what)
{
	fprintf(stderr, "Pass %d: %s failed.  [man error::pass%d]\n", pass, what, pass);
	return 1;
}

static void pass_done(struct session *s, int pass, const struct ptime *t,
		      const char *fmt, const char *arg)
{
	char buf[256];

	if (!s->verbose[pass - 1])
		return;
	ptime_format(t, buf, sizeof(buf));
	fprintf(stderr, "Pass %d: ", pass);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " %s\n", buf);
}

/* the directory holding tapset/ and runtime/: the source tree or the prefix */
static void find_dirs(struct session *s, const char *argv0)
{
	char exe[PATH_MAX], *p;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n <= 0) {
		snprintf(exe, sizeof(exe), "%s", argv0);
		n = (ssize_t)strlen(exe);
	}
	exe[n] = 0;
	p = strrchr(exe, '/');
	if (p)
		*p = 0;
	s->exe_dir = arena_strdup(&s->arena, exe);
	char *src_tapset = arena_printf(&s->arena, "%s/tapset", exe);
	char *src_runtime = arena_printf(&s->arena, "%s/runtime", exe);

	if (stat(src_tapset, &st) == 0 && stat(src_runtime, &st) == 0) {
		if (!s->tapset_dir)
			s->tapset_dir = src_tapset;
		if (!s->runtime_dir)
			s->runtime_dir = src_runtime;
		return;
	}
	if (!s->tapset_dir)
		s->tapset_dir = arena_printf(&s->arena, "%s/../share/stap/tapset", exe);
	if (!s->runtime_dir)
		s->runtime_dir = arena_printf(&s->arena, "%s/../share/stap/runtime", exe);
}

static int pass1(struct session *s)
{
	struct ptime t;
	char what[64];

	ptime_start(&t);
	if (parse_user(s) < 0 || s->errors)
		return pass_failed(1, "parse");
	/* like stap, -p1 parses the library too, so its errors show */
	if (parse_tapsets(s) < 0 || s->errors)
		return pass_failed(1, "parse");
	snprintf(what, sizeof(what), "%d library scripts", parse_library_count(s));
	pass_done(s, 1, &t, "parsed user script and %s", what);
	/* -p1 prints the user's script; with -v the library too, as stap */
	if (s->last_pass == 1 && !s->list_pattern && !s->dump) {
		int n = s->verbose[1] ? s->files.n : s->n_user_files;

		for (int i = 0; i < n; i++)
			parse_print(stdout, s->files.v[i]);
	}
	return 0;
}

static int pass2(struct session *s)
{
	struct ptime t;
	char what[160];
	struct elab_program *p;

	ptime_start(&t);
	if (elab_program(s) < 0 || elab_check_privilege(s) < 0 || s->errors)
		return pass_failed(2, "analysis");
	p = s->elab;
	snprintf(what, sizeof(what), "%d probes, %d functions, %d embeds, %d globals",
		 p->probes.n, p->funcs.n, p->embeds.n, p->globals.n);
	pass_done(s, 2, &t, "analyzed script: %s", what);
	if (s->last_pass == 2)
		elab_print(s, stdout);
	return 0;
}

static int make_tmpdir(struct session *s)
{
	char *dir = arena_strdup(&s->arena, "/tmp/stapXXXXXX");

	if (s->tmpdir)
		return 0;
	if (!mkdtemp(dir)) {
		fprintf(stderr, "stap: cannot create temporary directory: %s\n", strerror(errno));
		return -1;
	}
	s->tmpdir = dir;
	return 0;
}

static int cat_file(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	return 0;
}

static int pass3(struct session *s)
{
	struct ptime t;

	ptime_start(&t);
	if (make_tmpdir(s) < 0 || tx_generate(s) < 0 || s->errors)
		return pass_failed(3, "translation");
	pass_done(s, 3, &t, "translated to C into \"%s\"", s->c_file);
	if (s->last_pass == 3)
		cat_file(s->c_file);
	return 0;
}

static int pass4(struct session *s)
{
	struct ptime t;

	ptime_start(&t);
	if (kbuild_build(s) < 0)
		return pass_failed(4, "compilation");
	pass_done(s, 4, &t, "compiled C into \"%s\"", s->ko_file);
	cache_store(s);
	return 0;
}

static int pass5(struct session *s)
{
	struct ptime t;
	int rc;

	if (!s->vm && !guest_host_can_load_modules()) {
		fprintf(stderr, "stap: %s\n", guest_no_modules_message());
		return pass_failed(5, "run");
	}
	if (s->verbose[4])
		fprintf(stderr, "Pass 5: starting run.\n");
	ptime_start(&t);
	rc = s->vm ? guest_run(s) : run_local(s);
	if (s->verbose[4]) {
		char buf[256];

		ptime_format(&t, buf, sizeof(buf));
		fprintf(stderr, "Pass 5: run completed %s\n", buf);
	}
	if (rc)
		pass_failed(5, "run");
	return rc ? 1 : 0;
}

static void cleanup(struct session *s)
{
	if (!s->tmpdir)
		return;
	if (s->keep_tmp) {
		fprintf(stderr, "Keeping temporary directory \"%s\"\n", s->tmpdir);
		return;
	}
	char *cmd = xasprintf("rm -rf '%s'", s->tmpdir);

	if (system(cmd) != 0)
		fprintf(stderr, "stap: could not remove %s\n", s->tmpdir);
	free(cmd);
}

/* the passes after option parsing; returns the exit status */
static int run_passes(struct session *s)
{
	int rc;

	if (s->clean_cache)
		cache_clean(s);
	if (!s->script_text && !s->script_file && !s->list_pattern && !s->dump) {
		if (s->clean_cache)
			return 0;
		fputs("stap: A script must be specified.\n"
		      "Try 'stap --help' for more information.\n", stderr);
		return 1;
	}
	kbuild_find_kernel(s);
	if (s->list_pattern || s->dump) {
		if (pass1(s))
			return 1;
		return s->dump ? (elab_dump(s) ? 1 : 0) : (elab_list(s) ? 1 : 0);
	}
	if (s->last_pass >= 3 && cache_lookup(s) == 1 && s->last_pass >= 4)
		return s->last_pass == 4 ? (puts(s->ko_file), 0) : pass5(s);
	/* kbuild reads the kernel's makefiles while passes 1-3 run */
	if (s->last_pass >= 4 && make_tmpdir(s) == 0)
		kbuild_start(s);
	rc = pass1(s);
	if (!rc && s->last_pass > 1)
		rc = pass2(s);
	if (!rc && s->last_pass > 2)
		rc = pass3(s);
	if (rc || s->last_pass <= 3) {
		kbuild_abort(s);
		return rc;
	}
	if ((rc = pass4(s)))
		return rc;
	if (s->last_pass == 4) {
		puts(s->ko_file);
		return 0;
	}
	return pass5(s);
}

int main(int argc, char **argv)
{
	struct session s = { .last_pass = 5 };
	int rc;

	rc = opt_parse(&s, argc, argv);
	if (rc)
		return rc < 0 ? 1 : 0;
	find_dirs(&s, argv[0]);
	rc = run_passes(&s);
	cleanup(&s);
	parse_release(&s);
	arena_free(&s.arena);
	return rc;
}
