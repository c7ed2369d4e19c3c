/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cache.c - the module cache.
 *
 * The key hashes, before pass 1, everything that can change the module:
 * the translator binary itself, the script(s) and arguments, the options
 * that reach the C code or kbuild, every file of the tapset library and of
 * the runtime, and the target kernel's build identity (.config,
 * Module.symvers, release).  So a hit can skip passes 1-4 entirely.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "cache/cache.h"
#include "session.h"
#include "util/file.h"
#include "util/vec.h"
#include "util/xalloc.h"

#define CACHE_MB_LIMIT_DEFAULT 256
#define CACHE_CLEAN_INTERVAL_DEFAULT 300

static char *cache_root(void)
{
	const char *dir = getenv("SYSTEMTAP_DIR");

	if (dir)
		return xasprintf("%s/cache", dir);
	return xasprintf("%s/.systemtap/cache", getenv("HOME") ? getenv("HOME") : "/tmp");
}

static void hash_str(XXH3_state_t *h, const char *tag, const char *s)
{
	XXH3_128bits_update(h, tag, strlen(tag) + 1);
	if (s)
		XXH3_128bits_update(h, s, strlen(s) + 1);
}

/* hash a file's name and contents; a missing file hashes as such */
static void hash_file(XXH3_state_t *h, const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	hash_str(h, "file", path);
	if (!f) {
		hash_str(h, "missing", NULL);
		return;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		XXH3_128bits_update(h, buf, n);
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every regular file under dir, in sorted order (so the key is stable) */
static void hash_tree(XXH3_state_t *h, const char *dir)
{
	DIR *d = opendir(dir);
	struct vec names = { 0 };
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			vec_push(&names, xasprintf("%s/%s", dir, e->d_name));
	closedir(d);
	if (names.n)
		qsort(names.v, (size_t)names.n, sizeof(void *), cmp_str);
	vec_each(&names, i) {
		struct stat st;
		char *p = names.v[i];

		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			hash_tree(h, p);
		else if (S_ISREG(st.st_mode))
			hash_file(h, p);
		free(p);
	}
	vec_free(&names);
}

static void hash_vec(XXH3_state_t *h, const char *tag, const struct vec *v)
{
	vec_each(v, i)
		hash_str(h, tag, v->v[i]);
}

static void hash_kernel(XXH3_state_t *h, const struct session *s)
{
	static const char *const ident[] = {
		".config", "Module.symvers", "include/config/kernel.release",
		"include/generated/utsrelease.h", "include/generated/compile.h",
	};

	hash_str(h, "release", s->kernel_release);
	hash_str(h, "build", s->kernel_build_dir);
	for (size_t i = 0; i < sizeof(ident) / sizeof(ident[0]); i++) {
		char *p = xasprintf("%s/%s", s->kernel_build_dir, ident[i]);

		hash_file(h, p);
		free(p);
	}
}

static void hash_options(XXH3_state_t *h, const struct session *s)
{
	char flags[64];

	snprintf(flags, sizeof(flags), "g%d u%d t%d b%d sb%d sh%d st%d uid%d",
		 s->guru, s->unoptimized, s->timing, s->bulk, s->skip_badvars,
		 s->suppress_handler_errors, s->suppress_time_limits,
		 (int)getuid());
	hash_str(h, "flags", flags);
	hash_str(h, "privilege", s->privilege);
	hash_vec(h, "arg", &s->args);
	hash_vec(h, "define", &s->defines);
	hash_vec(h, "kbuild", &s->kbuild_vars);
	hash_vec(h, "-E", &s->extra_scripts);
}

/* the 128-bit digest in hex; frees h */
static void digest(XXH3_state_t *h, char out[33])
{
	XXH128_hash_t k = XXH3_128bits_digest(h);

	XXH3_freeState(h);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)k.high64,
		 (unsigned long long)k.low64);
}

static int compute_key(struct session *s, char out[33])
{
	XXH3_state_t *h = XXH3_createState();

	XXH3_128bits_reset(h);
	hash_file(h, "/proc/self/exe");
	hash_str(h, "script", s->script_text);
	if (s->script_file)
		hash_file(h, s->script_file);
	hash_options(h, s);
	hash_kernel(h, s);
	hash_tree(h, s->tapset_dir);
	vec_each(&s->include_dirs, i)
		hash_tree(h, s->include_dirs.v[i]);
	hash_tree(h, s->runtime_dir);
	digest(h, out);
	return 0;
}

static char *entry_path(const char *key, const char *ext)
{
	char *root = cache_root();
	char *p = xasprintf("%s/%.2s/stap_%s%s", root, key, key, ext);

	free(root);
	return p;
}

static void say_skipped(const struct session *s, const char *c, const char *ko)
{
	if (!s->verbose[0] && !s->verbose[1] && !s->verbose[2] && !s->verbose[3])
		return;
	fprintf(stderr, "Pass 1: skipped (cache hit)\nPass 2: skipped (cache hit)\n"
		"Pass 3: using cached %s\nPass 4: using cached %s\n", c, ko);
}

int cache_lookup(struct session *s)
{
	char key[33];
	char *ko, *c;
	struct stat st;

	/* stdin cannot be read twice; -k/-m/--disable-cache opt out */
	if (s->disable_cache || (s->script_file && !strcmp(s->script_file, "-"))) {
		if (!s->module_name)
			s->module_name = arena_printf(&s->arena, "stap_%d", (int)getpid());
		return -1;
	}
	compute_key(s, key);
	s->module_name = arena_printf(&s->arena, "stap_%s", key);
	s->cache_key = arena_strdup(&s->arena, key);
	ko = entry_path(key, ".ko");
	c = entry_path(key, ".c");
	if (stat(ko, &st) != 0 || !S_ISREG(st.st_mode)) {
		free(ko);
		free(c);
		return 0;
	}
	say_skipped(s, c, ko);
	utimensat(AT_FDCWD, ko, NULL, 0);	/* recently used: trimmed last */
	utimensat(AT_FDCWD, c, NULL, 0);
	free(c);
	s->ko_file = arena_strdup(&s->arena, ko);
	free(ko);
	return 1;
}

static long tree_kb(const char *dir, struct vec *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long kb = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			kb += tree_kb(p, files);
			free(p);
		} else {
			kb += (long)(st.st_size / 1024);
			vec_push(files, p);
		}
	}
	closedir(d);
	return kb;
}

static long mtime_of(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_mtime : 0;
}

static int cmp_mtime(const void *a, const void *b)
{
	long x = mtime_of(*(char *const *)a), y = mtime_of(*(char *const *)b);

	return (x > y) - (x < y);
}

/* the number in the cache's settings file name, or def (and the file is
 * created with it) */
static long setting(const char *root, const char *name, long def)
{
	char *path = xasprintf("%s/%s", root, name);
	FILE *f = fopen(path, "r");
	long v = def;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1 || v < 0)
			v = def;
		fclose(f);
	} else if ((f = fopen(path, "w"))) {
		fprintf(f, "%ld\n", def);
		fclose(f);
	}
	free(path);
	return v;
}

/* as stap: at most one cleaning per cache_clean_interval_s, so a module
 * another stap has just stored is not taken from under it; the time of
 * the last one is the mtime of .last_clean (dot files are not entries) */
static bool clean_due(const char *root)
{
	long interval = setting(root, "cache_clean_interval_s",
				CACHE_CLEAN_INTERVAL_DEFAULT);
	char *stamp = xasprintf("%s/.last_clean", root);
	struct stat st;
	bool due = stat(stamp, &st) != 0 || time(NULL) - st.st_mtime >= interval;
	FILE *f;

	if (due && (f = fopen(stamp, "w")))
		fclose(f);
	free(stamp);
	return due;
}

/* keep the cache under cache_mb_limit, removing the least recently used
 * entries first (a hit renews its mtime) but never the one just stored */
static void trim(const char *root, const char *key)
{
	long limit, kb;
	struct vec files = { 0 };

	if (!clean_due(root))
		return;
	limit = setting(root, "cache_mb_limit", CACHE_MB_LIMIT_DEFAULT);
	kb = tree_kb(root, &files);
	if (files.n)
		qsort(files.v, (size_t)files.n, sizeof(void *), cmp_mtime);
	vec_each(&files, i) {
		struct stat st;
		char *p = files.v[i];
		const char *base = strrchr(p, '/');

		if (kb > limit * 1024 && strncmp(base, "/cache_", 7) &&
		    !strstr(base, key) && stat(p, &st) == 0) {
			kb -= (long)(st.st_size / 1024);
			unlink(p);
		}
		free(p);
	}
	vec_free(&files);
}

/* mkdir -p */
static int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *q = p + 1; *q && !rc; q++) {
		if (*q != '/')
			continue;
		*q = 0;
		if (mkdir(p, 0755) && errno != EEXIST)
			rc = -1;
		*q = '/';
	}
	if (!rc && mkdir(p, 0755) && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

char *cache_transport_object(struct session *s)
{
	XXH3_state_t *h;
	char key[33], *root, *dir, *p;

	if (s->disable_cache)
		return NULL;
	h = XXH3_createState();
	XXH3_128bits_reset(h);
	hash_str(h, "transport", NULL);
	hash_file(h, "/proc/self/exe");		/* its kbuild flags */
	hash_str(h, "g", s->keep_tmp ? "1" : "0");
	hash_vec(h, "define", &s->defines);
	hash_vec(h, "kbuild", &s->kbuild_vars);
	hash_kernel(h, s);
	hash_str(h, "runtime", s->runtime_dir);
	hash_tree(h, s->runtime_dir);
	digest(h, key);
	root = cache_root();
	dir = xasprintf("%s/transport", root);
	free(root);
	p = mkdir_p(dir) ? NULL : xasprintf("%s/%s.o", dir, key);
	free(dir);
	return p;
}

void cache_store(struct session *s)
{
	char *root, *dir, *ko, *c;

	if (!s->cache_key || !s->ko_file)
		return;
	root = cache_root();
	dir = xasprintf("%s/%.2s", root, s->cache_key);
	ko = entry_path(s->cache_key, ".ko");
	c = entry_path(s->cache_key, ".c");
	if (mkdir_p(dir) < 0)
		goto out;
	if (file_copy(s->c_file, c) == 0 && file_copy(s->ko_file, ko) == 0) {
		if (s->verbose[3])
			fprintf(stderr, "Pass 4: copied \"%s\" to cache\n", ko);
		trim(root, s->cache_key);
		/* the temporary directory goes away; the cached copy stays */
		s->ko_file = arena_strdup(&s->arena, ko);
	}
out:
	free(root);
	free(dir);
	free(ko);
	free(c);
}

void cache_clean(struct session *s)
{
	char *root = cache_root();
	char *cmd = xasprintf("rm -rf '%s'", root);

	if (system(cmd) != 0)
		fprintf(stderr, "stap: could not clean %s\n", root);
	else if (s->verbose[0])
		fprintf(stderr, "Cache \"%s\" cleaned.\n", root);
	free(cmd);
	free(root);
}
