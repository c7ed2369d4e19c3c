/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * library.c - the tapset library in pass 1: the search path, the .stpm
 * macro files, and the .stp files.
 *
 * The .stp files are parsed on up to one thread per CPU.  parse_user
 * starts the other threads (lib_start) before it parses the user's script,
 * and parse_tapsets joins in.  Each thread takes the next file, largest
 * first, and reads and parses it on its own pwork (its own arena and
 * scratch, quiet diagnostics).  Then, in file order, a file that parsed
 * cleanly joins s->files, and one that did not (unreadable, or any
 * diagnostic) is read and parsed again on the session's pwork, reporting
 * as the serial path does.  The files, their order and every message are
 * thus the same for any number of threads.  STAP_PARSE_JOBS=N sets the
 * number (1: all on the calling thread, no quiet pass).  When the user's
 * script fails, parse_release stops the threads (lib_stop).
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "session.h"
#include "parse/lib.h"
#include "parse/parse.h"
#include "parse/pp.h"
#include "parse/pwork.h"
#include "parse/tok.h"
#include "util/xalloc.h"

#define LIB_MAX_JOBS	16
#define LIB_MIN_FILES	8	/* per thread: fewer are not worth one */

/* ---- the tapset search path ---- */

struct lib_file {
	char *path;
	long long size;		/* bytes, when listed */
};

static int cmp_path(const void *a, const void *b)
{
	const struct lib_file *x = *(struct lib_file *const *)a;
	const struct lib_file *y = *(struct lib_file *const *)b;

	return strcmp(x->path, y->path);
}

/* the directories searched, in order: each root, then root/linux,
 * root/linux/x86_64, root/x86_64 (as stap does for the kernel runtime) */
static void tapset_dirs(struct session *s, struct vec *dirs)
{
	static const char *subs[] = { "", "/linux", "/linux/x86_64", "/x86_64" };
	struct vec roots = { 0 };

	if (s->tapset_dir)
		vec_push(&roots, (void *)s->tapset_dir);
	vec_each(&s->include_dirs, i)
		vec_push(&roots, vec_get(&s->include_dirs, i));
	vec_each(&roots, i) {
		for (size_t k = 0; k < sizeof(subs) / sizeof(subs[0]); k++) {
			struct stat st;
			char *d = xasprintf("%s%s", (char *)vec_get(&roots, i), subs[k]);

			if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
				vec_push(dirs, d);
			else
				free(d);
		}
	}
	vec_free(&roots);
}

static bool has_suffix(const char *name, size_t l, const char *suffix, size_t sl)
{
	return l > sl && !memcmp(name + l - sl, suffix, sl);
}

/* the regular files DIR/ *.stpm and DIR/ *.stp (struct lib_file *), each
 * list sorted by path */
static void list_files(const char *dir, struct vec *stpm, struct vec *stp)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int first_m = stpm->n, first_s = stp->n;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		struct vec *out;
		struct lib_file *f;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if (has_suffix(de->d_name, l, ".stp", 4))
			out = stp;
		else if (has_suffix(de->d_name, l, ".stpm", 5))
			out = stpm;
		else
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		f = xmalloc(sizeof(*f));
		f->path = xasprintf("%s/%s", dir, de->d_name);
		f->size = (long long)st.st_size;
		vec_push(out, f);
	}
	closedir(d);
	qsort(stpm->v + first_m, (size_t)(stpm->n - first_m), sizeof(void *), cmp_path);
	qsort(stp->v + first_s, (size_t)(stp->n - first_s), sizeof(void *), cmp_path);
}

static void free_files(struct vec *v)
{
	vec_each(v, i) {
		struct lib_file *f = vec_get(v, i);

		free(f->path);
		free(f);
	}
	vec_free(v);
}

static void free_strs(struct vec *v)
{
	vec_each(v, i)
		free(vec_get(v, i));
	vec_free(v);
}

/* the .stpm macro files: their macros are global, for every later file */
static void load_stpm(struct session *s, struct vec *files)
{
	struct pp_state *st = pp_state(s);
	struct pwork *w = pw_main(s);

	if (st->stpm_loaded)
		return;
	st->stpm_loaded = true;
	vec_each(files, i) {
		const char *path = ((struct lib_file *)vec_get(files, i))->path;
		char *text = pw_read(w, path);
		struct src_file *src;
		struct pp *p;

		if (!text) {
			diag_plain(s, "error", "cannot read macro file '%s': %s",
				   path, strerror(errno));
			continue;
		}
		src = pw_src(w, path, text, true);
		st->n_stpm++;
		p = pp_open(w, src, true);	/* macros keep their tokens */
		pp_drain(p);
		pp_close(p, NULL, NULL);
	}
}

int parse_library_count(struct session *s)
{
	int n = pp_state(s)->n_stpm;

	vec_each(&s->files, i)
		n += ((struct ast_file *)vec_get(&s->files, i))->src->is_tapset;
	return n;
}

/* ---- parsing on several threads ---- */

/* the library's parse, started by parse_user and finished by parse_tapsets */
struct lib_run {
	struct vec dirs;	/* char *: the search path */
	struct vec files;	/* struct lib_file *, in file order */
	int *order;		/* indexes into files, largest file first */
	struct ast_file **done;	/* per file: parsed cleanly, or NULL */
	int n;
	atomic_int next;	/* the next entry of order to take */
	int jobs, started;	/* threads wanted (this one included), running */
	struct lib_job *job;	/* job[0] is the calling thread's */
};

struct lib_job {
	struct lib_run *run;
	struct pwork w;
	pthread_t tid;
};

static void *lib_worker(void *arg)
{
	struct lib_job *j = arg;
	struct lib_run *r = j->run;
	struct pwork *w = &j->w;
	int k;

	while ((k = atomic_fetch_add_explicit(&r->next, 1, memory_order_relaxed)) < r->n) {
		int i = r->order[k];
		const char *path = ((struct lib_file *)vec_get(&r->files, i))->path;
		char *text = pw_read(w, path);
		struct ast_file *f;
		int before = w->errors;

		if (!text)
			continue;
		f = pw_parse_file(w, pw_src(w, path, text, true));
		if (w->errors == before)
			r->done[i] = f;
	}
	return NULL;
}

/* threads for n files: STAP_PARSE_JOBS, else one per usable CPU */
static int lib_jobs(int n)
{
	const char *env = getenv("STAP_PARSE_JOBS");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int jobs;

	if (env && *env) {
		jobs = atoi(env);
		return jobs < 1 ? 1 : jobs > LIB_MAX_JOBS ? LIB_MAX_JOBS : jobs;
	}
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) < cpus)
		cpus = CPU_COUNT(&set);
	jobs = cpus < 1 ? 1 : cpus > LIB_MAX_JOBS ? LIB_MAX_JOBS : (int)cpus;
	if (jobs > n / LIB_MIN_FILES)
		jobs = n / LIB_MIN_FILES;
	return jobs < 1 ? 1 : jobs;
}

/* largest first, then in file order */
static int cmp_size(const void *a, const void *b, void *arg)
{
	struct lib_file **f = arg;
	int x = *(const int *)a, y = *(const int *)b;

	if (f[x]->size != f[y]->size)
		return f[x]->size > f[y]->size ? -1 : 1;
	return x - y;
}

/*
 * List the library, read its macro files and, with more than one thread to
 * use, start all but one on its .stp files (the calling thread joins them
 * in parse_tapsets).  The largest files are taken first, so that the
 * threads finish together.
 */
static struct lib_run *lib_begin(struct session *s)
{
	struct lib_run *r = xcalloc(1, sizeof(*r));
	struct vec stpm = { 0 };

	tapset_dirs(s, &r->dirs);
	vec_each(&r->dirs, i)
		list_files(vec_get(&r->dirs, i), &stpm, &r->files);
	load_stpm(s, &stpm);
	free_files(&stpm);
	r->n = r->files.n;
	r->done = xcalloc((size_t)r->n + 1, sizeof(*r->done));
	atomic_init(&r->next, 0);
	r->jobs = lib_jobs(r->n);
	r->started = 1;
	if (r->jobs < 2)
		return r;
	r->order = xmalloc(sizeof(*r->order) * (size_t)r->n);
	for (int i = 0; i < r->n; i++)
		r->order[i] = i;
	qsort_r(r->order, (size_t)r->n, sizeof(*r->order), cmp_size, r->files.v);
	pp_freeze(s);
	r->job = xcalloc((size_t)r->jobs, sizeof(*r->job));
	for (int k = 0; k < r->jobs; k++) {
		r->job[k].run = r;
		pw_init_worker(&r->job[k].w, s);
	}
	for (int k = 1; k < r->jobs; k++) {
		if (pthread_create(&r->job[k].tid, NULL, lib_worker, &r->job[k]))
			break;	/* the threads there are take the rest */
		r->started++;
	}
	return r;
}

/* wait for the threads; their memory goes to the session's arena */
static void lib_join(struct session *s, struct lib_run *r)
{
	for (int k = 1; k < r->started; k++)
		pthread_join(r->job[k].tid, NULL);
	r->started = 1;
	for (int k = 0; k < (r->job ? r->jobs : 0); k++) {
		arena_merge(&s->arena, &r->job[k].w.own);
		pw_release(&r->job[k].w);
	}
}

static void lib_free(struct lib_run *r)
{
	free(r->job);
	free(r->order);
	free(r->done);
	free_files(&r->files);
	free_strs(&r->dirs);
	free(r);
}

void lib_start(struct session *s)
{
	struct pp_state *st = pp_state(s);

	if (!st->lib)
		st->lib = lib_begin(s);
}

void lib_stop(struct session *s)
{
	struct pp_state *st = s->pp;
	struct lib_run *r = st ? st->lib : NULL;

	if (!r)
		return;
	atomic_store(&r->next, r->n);	/* no more files */
	lib_join(s, r);
	lib_free(r);
	st->lib = NULL;
}

int parse_tapsets(struct session *s)
{
	struct pwork *w = pw_main(s);
	struct lib_run *r;
	int before = s->errors;

	lib_start(s);
	r = pp_state(s)->lib;
	if (r->jobs > 1) {
		lib_worker(&r->job[0]);
		lib_join(s, r);
	}
	for (int i = 0; i < r->n; i++) {
		const char *path = ((struct lib_file *)vec_get(&r->files, i))->path;
		char *text;

		if (r->done[i]) {
			vec_push(&s->files, r->done[i]);
			continue;
		}
		text = pw_read(w, path);
		if (!text) {
			diag_plain(s, "error", "cannot read tapset '%s': %s",
				   path, strerror(errno));
			continue;
		}
		vec_push(&s->files, pw_parse_file(w, pw_src(w, path, text, true)));
	}
	lib_stop(s);
	return s->errors == before ? 0 : -1;
}
