/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbuild.c - pass 4: `make -C <kernel build dir> M=<tmpdir> modules` on the
 * generated C file.  Compiler errors are shown with the generated source
 * location; the module lands in the temporary directory (and in the
 * current directory with -m).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build/kbuild.h"
#include "cache/cache.h"
#include "session.h"
#include "util/file.h"
#include "util/progress.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* the release a build tree was configured for (UTS_RELEASE) */
static char *tree_release(struct session *s, const char *dir)
{
	char *path = xasprintf("%s/include/generated/utsrelease.h", dir);
	FILE *f = fopen(path, "r");
	char buf[256], rel[128] = "";

	free(path);
	if (!f)
		return NULL;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "#define UTS_RELEASE \"%127[^\"]\"", rel) == 1)
			break;
	fclose(f);
	return rel[0] ? arena_strdup(&s->arena, rel) : NULL;
}

int kbuild_find_kernel(struct session *s)
{
	struct utsname u;

	if (s->kernel_build_dir) {
		if (!s->kernel_release)
			s->kernel_release = tree_release(s, s->kernel_build_dir);
		if (!s->kernel_release)
			s->kernel_release = "unknown";
		return 0;
	}
	if (!s->kernel_release && s->vm && s->vm_release)
		s->kernel_release = s->vm_release;
	if (!s->kernel_release) {
		uname(&u);
		s->kernel_release = arena_strdup(&s->arena, u.release);
		/* a host without headers for itself (e.g. a CI machine running
		 * a kernel of its own): target the newest installed tree */
		char *b = xasprintf("/lib/modules/%s/build", s->kernel_release);

		if (!is_dir(b)) {
			FILE *p = popen("ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1", "r");
			char line[512] = "";

			if (p && fgets(line, sizeof(line), p)) {
				line[strcspn(line, "\n")] = 0;
				char *r = tree_release(s, line);

				if (r && s->verbose[3])
					fprintf(stderr, "stap: no build tree for the running kernel %s; "
						"targeting %s\n", s->kernel_release, r);
				if (r)
					s->kernel_release = r;
			}
			if (p)
				pclose(p);
		}
		free(b);
	}
	s->kernel_build_dir = arena_printf(&s->arena, "/lib/modules/%s/build", s->kernel_release);
	return 0;
}

static char *module_base(const struct session *s)
{
	const char *b = strrchr(s->c_file, '/');
	char *m = xstrdup(b ? b + 1 : s->c_file);
	char *dot = strrchr(m, '.');

	if (dot)
		*dot = 0;
	return m;
}

/* tmpdir/NAME: a one-line C file including INCLUDE */
static int write_unit(const struct session *s, const char *name, const char *include)
{
	char *path = xasprintf("%s/%s", s->tmpdir, name);
	char *text = xasprintf("#include \"%s\"\n", include);
	int rc = file_write(path, text);

	free(path);
	free(text);
	return rc;
}

/*
 * The module links two compilation units that make -j compiles in
 * parallel: the generated MOD.c (through MOD__script.c, so that compiler
 * messages name MOD.c) and the transport, which is the same for every
 * script: when the cache has it compiled (cached: its path), kbuild takes
 * it as MOD__transport.o_shipped instead.  The module's own DWARF is
 * stripped anyway: not generated unless -k keeps the build for debugging.
 */
static int write_kbuild(struct session *s, const char *mod, const char *cached)
{
	struct strbuf sb = { 0 };
	char *path = xasprintf("%s/Kbuild", s->tmpdir);
	char *c = xasprintf("%s.c", mod);
	char *script = xasprintf("%s__script.c", mod);
	char *transport = xasprintf("%s__transport.c", mod);
	int rc;

	rc = write_unit(s, script, c);
	if (!rc && cached) {
		char *shipped = xasprintf("%s/%s__transport.o_shipped",
					  s->tmpdir, mod);
		/* linking reads every object's .cmd (for #SYMVER lines: the
		 * transport exports nothing) */
		char *cmd = xasprintf("%s/.%s__transport.o.cmd", s->tmpdir, mod);

		rc = file_copy(cached, shipped);
		if (!rc)
			rc = file_write(cmd, "# from the stap cache\n");
		free(shipped);
		free(cmd);
	}
	if (!rc && !cached)
		rc = write_unit(s, transport, "transport/transport.c");
	free(c);
	free(script);
	free(transport);
	if (rc) {
		free(path);
		return rc;
	}
	sb_printf(&sb, "obj-m := %s.o\n", mod);
	sb_printf(&sb, "%s-y := %s__script.o %s__transport.o\n", mod, mod, mod);
	sb_printf(&sb, "ccflags-y := -I%s -Wno-declaration-after-statement -Wno-unused\n",
		  s->runtime_dir);
	/* the transport's code is set-up and copying, not probe handlers:
	 * -O1 compiles it in 0.44 s instead of 0.52 s, and a cold build
	 * waits for it */
	sb_printf(&sb, "CFLAGS_%s__transport.o := -O1\n", mod);
	if (!s->keep_tmp)
		sb_puts(&sb, "ccflags-y += -g0\n");
	vec_each(&s->defines, i)
		sb_printf(&sb, "ccflags-y += -D%s\n", (const char *)s->defines.v[i]);
	rc = file_write(path, sb_str(&sb));
	free(path);
	sb_free(&sb);
	return rc;
}

/* run make, keeping its output; show it only on failure (or with -v -v) */
static int run_make(struct session *s, char **out)
{
	struct strbuf cmd = { 0 }, log = { 0 };
	char buf[4096];
	size_t n;
	FILE *p;
	int st;

	sb_printf(&cmd, "make -j%ld -C '%s' M='%s' modules",
		  sysconf(_SC_NPROCESSORS_ONLN) > 1 ? sysconf(_SC_NPROCESSORS_ONLN) : 1,
		  s->kernel_build_dir, s->tmpdir);
	vec_each(&s->kbuild_vars, i)
		sb_printf(&cmd, " '%s'", (const char *)s->kbuild_vars.v[i]);
	if (s->verbose[3] > 2)
		sb_puts(&cmd, " V=1");
	sb_puts(&cmd, " 2>&1");
	if (s->verbose[3] > 1)
		fprintf(stderr, "Running %s\n", sb_str(&cmd));
	p = popen(sb_str(&cmd), "r");
	sb_free(&cmd);
	if (!p)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_add(&log, buf, n);
	st = pclose(p);
	*out = log.s ? log.s : xstrdup("");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* show compiler diagnostics, dropping kbuild's chatter */
static void show_errors(const char *log)
{
	const char *p = log;

	while (*p) {
		const char *e = strchr(p, '\n');
		int len = e ? (int)(e - p) : (int)strlen(p);

		if (strncmp(p, "make", 4) && strncmp(p, "  CC", 4) && strncmp(p, "  MODPOST", 9) &&
		    !(strncmp(p, "In file included from ", 22) == 0 &&
		      memmem(p, len, "__script.c:1", 12)))
			fprintf(stderr, "%.*s\n", len, p);
		p += len + (e ? 1 : 0);
	}
}

/* The DWARF of the module itself is never used at run time and makes up
 * ~90% of the file: drop it, as `make modules_install INSTALL_MOD_STRIP=1`
 * does (kept with -k for debugging the generated code). */
static void strip_debug(const struct session *s, const char *ko)
{
	char *cmd;

	if (s->keep_tmp)
		return;
	cmd = xasprintf("strip --strip-debug '%s' 2>/dev/null", ko);
	if (system(cmd) != 0 && s->verbose[3])
		fprintf(stderr, "stap: could not strip %s\n", ko);
	free(cmd);
}

int kbuild_build(struct session *s)
{
	char *mod, *log = NULL, *ko, *tobj;
	struct stat st;
	bool cached;
	int rc;

	if (!is_dir(s->kernel_build_dir)) {
		fprintf(stderr, "stap: kernel build tree '%s' not found; install linux-headers-%s "
			"or name another with -r\n", s->kernel_build_dir, s->kernel_release);
		return -1;
	}
	mod = module_base(s);
	tobj = cache_transport_object(s);
	cached = tobj && stat(tobj, &st) == 0 && S_ISREG(st.st_mode);
	if (write_kbuild(s, mod, cached ? tobj : NULL) < 0) {
		free(tobj);
		free(mod);
		return -1;
	}
	struct progress *pr = progress_start("Pass 4: building the module", s->verbose[3]);

	rc = run_make(s, &log);
	progress_stop(pr);
	ko = arena_printf(&s->arena, "%s/%s.ko", s->tmpdir, mod);
	if (rc == 0 && stat(ko, &st) != 0)
		rc = -1;
	if (rc < 0 || s->verbose[3] > 1)
		show_errors(log);
	free(log);
	if (rc == 0 && tobj && !cached) {	/* for the next module */
		char *built = xasprintf("%s/%s__transport.o", s->tmpdir, mod);

		file_copy(built, tobj);
		free(built);
	}
	free(tobj);
	if (rc < 0) {
		free(mod);
		return -1;
	}
	strip_debug(s, ko);
	s->ko_file = ko;
	if (s->module_named) {
		char *here = arena_printf(&s->arena, "%s.ko", mod);

		if (file_copy(ko, here) == 0 && s->last_pass == 4)
			s->ko_file = here;
	}
	free(mod);
	return 0;
}
