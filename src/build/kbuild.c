/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbuild.c - pass 4: `make -C <kernel build dir> M=<tmpdir> modules` on the
 * generated C file, started before pass 1 (kbuild_start) so that kbuild's
 * own set-up overlaps the translation.  Compiler errors are shown with the
 * generated source location; the module lands in the temporary directory
 * (and in the current directory with -m).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
	/* make starts while passes 1-3 run: the script's unit waits for
	 * pass 3 to mark MOD.c complete (kbuild_build() does) */
	sb_printf(&sb, "$(obj)/%s__script.o: $(obj)/%s.ready\n"
		  "$(obj)/%s.ready:\n"
		  "\t@while [ ! -e $@ ]; do sleep 0.005; done\n", mod, mod, mod);
	sb_printf(&sb, "ccflags-y := -I%s -Wno-declaration-after-statement -Wno-unused\n",
		  s->runtime_dir);
	/* the transport's code is set-up and copying, not probe handlers:
	 * -Og compiles it in 0.38 s instead of 0.52 s (-O1: 0.41 s), and a cold build
	 * waits for it */
	sb_printf(&sb, "CFLAGS_%s__transport.o := -Og\n", mod);
	if (!s->keep_tmp)
		sb_puts(&sb, "ccflags-y += -g0\n");
	vec_each(&s->defines, i)
		sb_printf(&sb, "ccflags-y += -D%s\n", (const char *)s->defines.v[i]);
	rc = file_write(path, sb_str(&sb));
	free(path);
	sb_free(&sb);
	return rc;
}

/* the make started by kbuild_start(), owned by the session */
struct kbuild_job {
	pid_t pid;
	char *log;		/* make's output, in tmpdir */
	char *tobj;		/* the transport's place in the cache, or NULL */
	bool cached;		/* ... and it was there */
};

/* start make in the background, its output going to job->log */
static int spawn_make(struct session *s, struct kbuild_job *job)
{
	struct strbuf cmd = { 0 };
	int fd;

	sb_printf(&cmd, "make -j%ld -C '%s' M='%s' modules",
		  sysconf(_SC_NPROCESSORS_ONLN) > 1 ? sysconf(_SC_NPROCESSORS_ONLN) : 1,
		  s->kernel_build_dir, s->tmpdir);
	vec_each(&s->kbuild_vars, i)
		sb_printf(&cmd, " '%s'", (const char *)s->kbuild_vars.v[i]);
	if (s->verbose[3] > 2)
		sb_puts(&cmd, " V=1");
	if (s->verbose[3] > 1)
		fprintf(stderr, "Running %s\n", sb_str(&cmd));
	fd = open(job->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	fflush(NULL);
	job->pid = fd < 0 ? -1 : fork();
	if (job->pid == 0) {
		/* a stap killed in passes 1-3 never marks its C file ready:
		 * make must not wait for it forever */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/bin/sh", "sh", "-c", xasprintf("exec %s", sb_str(&cmd)),
		      (char *)NULL);
		_exit(127);
	}
	if (fd >= 0)
		close(fd);
	sb_free(&cmd);
	return job->pid > 0 ? 0 : -1;
}

/* wait for make; 0 when it succeeded */
static int reap_make(struct kbuild_job *job)
{
	int st;

	while (waitpid(job->pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	job->pid = -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void job_free(struct session *s)
{
	struct kbuild_job *job = s->kbuild;

	if (!job)
		return;
	free(job->log);
	free(job->tobj);
	free(job);
	s->kbuild = NULL;
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

int kbuild_start(struct session *s)
{
	const char *mod = s->module_name;
	struct kbuild_job *job;
	struct stat st;

	if (s->kbuild)
		return 0;
	if (!is_dir(s->kernel_build_dir))
		return -1;	/* kbuild_build() says so, in pass 4 */
	job = xcalloc(1, sizeof(*job));
	job->pid = -1;
	job->log = xasprintf("%s/make.log", s->tmpdir);
	job->tobj = cache_transport_object(s);
	job->cached = job->tobj && stat(job->tobj, &st) == 0 && S_ISREG(st.st_mode);
	s->kbuild = job;
	if (write_kbuild(s, mod, job->cached ? job->tobj : NULL) < 0 ||
	    spawn_make(s, job) < 0) {
		fprintf(stderr, "stap: cannot start kbuild in %s: %s\n", s->tmpdir,
			strerror(errno));
		job_free(s);
		return -1;
	}
	return 0;
}

void kbuild_abort(struct session *s)
{
	struct kbuild_job *job = s->kbuild;

	if (!job)
		return;
	if (job->pid > 0) {
		kill(job->pid, SIGTERM);	/* make passes it to its jobs */
		reap_make(job);
	}
	job_free(s);
}

int kbuild_build(struct session *s)
{
	const char *mod = s->module_name;
	struct kbuild_job *job;
	char *log, *ko, *ready;
	struct stat st;
	int rc;

	if (!is_dir(s->kernel_build_dir)) {
		fprintf(stderr, "stap: kernel build tree '%s' not found; install linux-headers-%s "
			"or name another with -r\n", s->kernel_build_dir, s->kernel_release);
		return -1;
	}
	if (kbuild_start(s) < 0)
		return -1;
	job = s->kbuild;
	ready = xasprintf("%s/%s.ready", s->tmpdir, mod);
	rc = file_write(ready, "");
	free(ready);
	if (rc) {
		kbuild_abort(s);
		return -1;
	}
	struct progress *pr = progress_start("Pass 4: building the module", s->verbose[3]);

	rc = reap_make(job);
	progress_stop(pr);
	log = file_read(job->log, NULL);
	ko = arena_printf(&s->arena, "%s/%s.ko", s->tmpdir, mod);
	if (rc == 0 && stat(ko, &st) != 0)
		rc = -1;
	if (rc < 0 || s->verbose[3] > 1)
		show_errors(log ? log : "");
	free(log);
	if (rc == 0 && job->tobj && !job->cached) {	/* for the next module */
		char *built = xasprintf("%s/%s__transport.o", s->tmpdir, mod);

		file_copy(built, job->tobj);
		free(built);
	}
	job_free(s);
	if (rc < 0)
		return -1;
	strip_debug(s, ko);
	s->ko_file = ko;
	if (s->module_named) {
		char *here = arena_printf(&s->arena, "%s.ko", mod);

		if (file_copy(ko, here) == 0 && s->last_pass == 4)
			s->ko_file = here;
	}
	return 0;
}
