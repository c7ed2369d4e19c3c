/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.c - `stap --vm[=RELEASE]`: pass 5 inside a throwaway qemu guest of
 * the target kernel.  The initramfs is the cached base (busybox, /init)
 * plus a per-run archive: staprun, stapio, the module and /stap/run.sh.
 * stdout and stderr are relayed as they come; -o files (with -b and -S
 * every one of them, with -b alone the stpd_cpuN files) come back after
 * staprun exits; so do its exit status, a module left loaded, and the
 * kernel log of the run (checked for oopses and warnings).  -F has no
 * meaning here: the guest ends with the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "guest/guest.h"
#include "run/run.h"
#include "guest/vm.h"
#include "session.h"
#include "util/progress.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool guest_host_can_load_modules(void)
{
	FILE *f;
	int c = '0';

	if (access("/proc/modules", F_OK) < 0)
		return false;
	f = fopen("/proc/sys/kernel/modules_disabled", "r");
	if (f) {
		c = fgetc(f);
		fclose(f);
	}
	return c != '1';
}

const char *guest_no_modules_message(void)
{
	return "this host's kernel cannot load modules; run the script in a "
	       "qemu guest of the target kernel with --vm (or --vm=RELEASE).";
}

/* a directory holding both staprun and stapio for the guest, static ones
 * first; NULL if none */
static char *guest_find_tools(const struct session *s)
{
	static const char *const rel[] = { "build/static", "../libexec/stap/static",
					   "build/bin", ".", "../libexec/stap" };
	const char *env = getenv("STAP_GUEST_TOOLS");

	if (env && *env)
		return xstrdup(env);
	for (size_t i = 0; s->exe_dir && i < sizeof(rel) / sizeof(rel[0]); i++) {
		char *d = xasprintf("%s/%s", s->exe_dir, rel[i]);
		char *a = xasprintf("%s/staprun", d), *b = xasprintf("%s/stapio", d);
		bool ok = access(a, X_OK) == 0 && access(b, X_OK) == 0;

		free(a);
		free(b);
		if (ok)
			return d;
		free(d);
	}
	return NULL;
}

static char *guest_module_name(const char *ko)
{
	const char *b = strrchr(ko, '/');
	char *n = xstrdup(b ? b + 1 : ko);
	size_t l = strlen(n);

	if (l > 3 && !strcmp(n + l - 3, ".ko"))
		n[l - 3] = 0;
	for (char *p = n; *p; p++)
		if (*p == '-')
			*p = '_';
	return n;
}

/* the same options run_local gives staprun; -o points into /tmp/o */
static void guest_staprun_args(struct session *s, const char *ko,
			       struct strbuf *sb)
{
	const char *o = NULL, *b;
	struct vec argv;

	if (s->output_file) {
		b = strrchr(s->output_file, '/');
		o = arena_printf(&s->arena, "/tmp/o/%s", b ? b + 1 : s->output_file);
	}
	argv = run_staprun_argv(s, "staprun", ko, o);
	for (int i = 1; i < argv.n && argv.v[i]; i++) {
		sb_putc(sb, ' ');
		guest_sh_quote(sb, argv.v[i]);
	}
	vec_free(&argv);
}

/* is word a busybox applet (so the guest has it)? */
static bool guest_is_applet(const char *word)
{
	const char *bb = guest_busybox();
	char *cmd, line[256];
	bool found = false;
	FILE *p;

	if (!bb)
		return false;
	cmd = xasprintf("'%s' --list", bb);
	p = popen(cmd, "r");
	free(cmd);
	while (p && fgets(line, sizeof(line), p))
		if (!strcmp(strtok(line, "\n") ? line : "", word))
			found = true;
	if (p)
		pclose(p);
	return found;
}

/* -c CMD runs in the guest: if its program is a host file the guest
 * lacks, copy it (and its libraries) to the same absolute path */
static void guest_add_target(struct guest_cpio *c, const char *cmd)
{
	size_t n = strcspn(cmd + strspn(cmd, " \t"), " \t;&|<>()");
	char *word = strndup(cmd + strspn(cmd, " \t"), n), *path = NULL;

	if (!*word || strchr(word, '=') || strchr(word, '$'))
		goto out;
	if (strchr(word, '/')) {
		path = realpath(word, NULL);
	} else if (!guest_is_applet(word)) {
		const char *env = getenv("PATH");
		char *dirs = xstrdup(env ? env : "/usr/bin:/bin"), *save = NULL;

		for (char *d = strtok_r(dirs, ":", &save); d && !path;
		     d = strtok_r(NULL, ":", &save)) {
			char *p = xasprintf("%s/%s", d, word);

			if (access(p, X_OK) == 0)
				path = realpath(p, NULL);
			free(p);
		}
		free(dirs);
	}
	if (path && access(path, X_OK) == 0)
		guest_cpio_exe(c, path + 1, path);
out:
	free(path);
	free(word);
}

static void guest_script(struct session *s, const char *name,
			 struct strbuf *sb)
{
	char cwd[4096];

	/* relative paths (-c ./prog) mean what they mean on the host */
	if (getcwd(cwd, sizeof(cwd))) {
		sb_puts(sb, "mkdir -p ");
		guest_sh_quote(sb, cwd);
		sb_puts(sb, " && cd ");
		guest_sh_quote(sb, cwd);
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "dmesg -c >/dev/null\nmkdir -p /tmp/o\nval start - ''\n"
		"# signals from the host arrive as lines on the console\n"
		"( while read -r sig; do p=$(pidof staprun); "
		"[ -n \"$p\" ] || p=$(pidof stapio); "
		"[ -n \"$p\" ] && kill -$sig $p; done < /dev/ttyS0 ) &\n"
		"w=$!\nstaprun");
	{
		char *ko = xasprintf("/stap/%s.ko", name);

		guest_staprun_args(s, ko, sb);
		free(ko);
	}
	sb_puts(sb, " </dev/null >/dev/ttyS1 2>/dev/ttyS2\n"
		"rc=$?\nkill $w 2>/dev/null\nval status - $rc\n");
	sb_printf(sb, "grep -q '^%s ' /proc/modules && val left %s ''\n", name,
		  name);
	sb_puts(sb, "for f in /tmp/o/*; do [ -f \"$f\" ] && rec file \"${f##*/}\" \"$f\"; done\n");
	/* -b without -o: stpd_cpuN in the working directory */
	if (s->bulk && !s->output_file)
		sb_puts(sb, "for f in stpd_cpu*; do [ -f \"$f\" ] && rec file \"$f\" \"$f\"; done\n");
	sb_puts(sb, "dmesg > /tmp/dmesg; rec dmesg - /tmp/dmesg\n");
}

static int guest_write_initrd(struct session *s,
			      const struct guest_kernel *k, const char *tools,
			      const char *name, const char *path,
			      struct strbuf *err)
{
	struct guest_cpio c;
	struct strbuf sh = { 0 };
	char *a = xasprintf("%s/staprun", tools), *b = xasprintf("%s/stapio", tools);
	char *ko = xasprintf("stap/%s.ko", name);
	int rc = -1;

	if (guest_cpio_open(&c, path, k->base_cpio) < 0) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	guest_cpio_dir(&c, "stap");
	if (guest_cpio_exe(&c, "stap/staprun", a) < 0 ||
	    guest_cpio_exe(&c, "stap/stapio", b) < 0 ||
	    guest_cpio_file(&c, ko, 0644, s->ko_file) < 0) {
		sb_printf(err, "cannot put staprun, stapio and %s into the "
			  "guest's initramfs: %s", s->ko_file, strerror(errno));
		guest_cpio_close(&c);
		goto out;
	}
	if (s->target_cmd)
		guest_add_target(&c, s->target_cmd);
	guest_script(s, name, &sh);
	guest_cpio_data(&c, "stap/run.sh", 0755, sh.s, sh.len);
	if (guest_cpio_close(&c) < 0) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sb_free(&sh);
	free(a);
	free(b);
	free(ko);
	return rc;
}

/* -o FILE in the guest came back as records "file NAME" (next to FILE,
 * or in the working directory for stpd_cpuN) */
static void guest_save_file(const struct session *s, const struct guest_rec *r)
{
	const char *slash = s->output_file ? strrchr(s->output_file, '/') : NULL;
	char *path = slash ? xasprintf("%.*s/%s", (int)(slash - s->output_file),
				       s->output_file, r->name)
			   : xstrdup(r->name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(r->data, 1, r->len, f) != r->len)
		fprintf(stderr, "stap: cannot write %s: %s\n", path,
			strerror(errno));
	if (f)
		fclose(f);
	free(path);
}

static void guest_show_tail(const char *what, const struct strbuf *log, int lines)
{
	const char *p = sb_str(log) + log->len;

	while (p > sb_str(log) && lines > 0)
		if (*--p == '\n')
			lines--;
	fprintf(stderr, "%s\n%s%s", what, p, log->len && p[strlen(p) - 1] != '\n' ? "\n" : "");
}

/* what came on the record port, for a run that lost its status: the
 * record keys, then the start of the stream with its bytes made visible */
static void guest_show_records(const struct guest_vm *vm)
{
	struct guest_rec r;
	size_t pos = 0, n = vm->rec.len < 160 ? vm->rec.len : 160;

	fprintf(stderr, "stap: records received (%zu bytes):", vm->rec.len);
	while (guest_rec_next(&vm->rec, &pos, &r))
		fprintf(stderr, " %s", r.key);
	fputs("\nstap: they began: ", stderr);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)vm->rec.s[i];

		if (c >= 0x20 && c < 0x7f)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fputc('\n', stderr);
}

static int guest_report(const struct session *s, struct guest_vm *vm,
			const char *name)
{
	struct guest_rec r;
	size_t pos = 0;
	int status = -1;

	while (guest_rec_next(&vm->rec, &pos, &r)) {
		if (!strcmp(r.key, "status")) {
			status = atoi(r.data);
		} else if (!strcmp(r.key, "left")) {
			fprintf(stderr, "stap: WARNING: module %s was still loaded "
				"after staprun exited\n", name);
		} else if (!strcmp(r.key, "file") &&
			   (s->output_file || s->bulk) && !strchr(r.name, '/')) {
			guest_save_file(s, &r);
		} else if (!strcmp(r.key, "dmesg")) {
			struct strbuf bad = { 0 };
			char *log = strndup(r.data, r.len);

			if (guest_klog_problems(log, &bad))
				fprintf(stderr, "stap: WARNING: the guest kernel "
					"reported trouble:\n%s", bad.s);
			if (s->verbose[4] >= 2 && r.len)
				fprintf(stderr, "Guest kernel log of the run:\n%s", log);
			sb_free(&bad);
			free(log);
		}
	}
	if (vm->boot_timed_out) {
		guest_show_tail("stap: the guest did not start within its boot "
				"timeout; its console said:", &vm->console, 40);
		return 1;
	}
	if (status < 0) {
		guest_show_tail("stap: the guest kernel crashed or stopped "
				"before staprun finished; its console said:",
				&vm->console, 60);
		guest_show_records(vm);
		return 1;
	}
	return status;
}

/* the guest's first record ends its boot: the progress line goes */
static void guest_booted(void *arg, const struct strbuf *rec)
{
	struct progress **pr = arg;

	(void)rec;
	progress_stop(*pr);
	*pr = NULL;
}

int guest_run(struct session *s)
{
	struct guest_kernel k;
	struct guest_vm vm = { .out_fd = 1, .err_fd = 2 };
	struct strbuf err = { 0 };
	struct progress *pr = NULL;
	char *rel = NULL, *tools = NULL, *name = NULL, *initrd = NULL;
	int rc = 1, fd;

	memset(&k, 0, sizeof(k));
	rel = guest_kernel_release(s->vm_release ? s->vm_release
						  : s->kernel_release);
	if (!rel) {
		struct utsname u;

		uname(&u);
		rel = xstrdup(u.release);
	}
	if (!s->ko_file) {
		fprintf(stderr, "stap: --vm: no module to run\n");
		goto out;
	}
	if (s->flight) {
		fprintf(stderr, "stap: --vm: -F cannot leave the probes running "
			"in a guest that ends with the run\n");
		goto out;
	}
	if (guest_kernel_prepare(&k, rel, s->verbose[4] > 0, &err) < 0) {
		fprintf(stderr, "stap: --vm: %s\n", err.s);
		goto out;
	}
	tools = guest_find_tools(s);
	if (!tools) {
		fprintf(stderr, "stap: --vm: cannot find staprun and stapio "
			"to put into the guest (run `make static`)\n");
		goto out;
	}
	name = guest_module_name(s->ko_file);
	initrd = xstrdup("/tmp/stap-guest-initrd-XXXXXX");
	fd = mkstemp(initrd);
	if (fd < 0) {
		fprintf(stderr, "stap: --vm: cannot create %s: %s\n", initrd,
			strerror(errno));
		goto out;
	}
	close(fd);
	if (guest_write_initrd(s, &k, tools, name, initrd, &err) < 0) {
		fprintf(stderr, "stap: --vm: %s\n", err.s);
		goto out;
	}
	vm.image = k.image;
	vm.initrd = initrd;
	vm.append = s->verbose[4] >= 2 ? "loglevel=7" : NULL;
	vm.boot_timeout_ms = 120000;
	vm.forward_signals = true;
	vm.echo_console = s->verbose[4] > 0;
	if (s->verbose[4])
		fprintf(stderr, "Booting %s in qemu with %s (tools from %s).\n",
			k.image, initrd, tools);
	/* on a terminal, "booting: 3.2s" until the guest reports */
	pr = progress_start("Pass 5: booting the guest", s->verbose[4]);
	vm.on_rec = guest_booted;
	vm.on_rec_arg = &pr;
	if (guest_vm_run(&vm, &err) < 0) {
		guest_booted(&pr, NULL);
		fprintf(stderr, "stap: --vm: %s\n", err.s);
		goto out;
	}
	guest_booted(&pr, NULL);
	if (s->verbose[4])
		fprintf(stderr, "The guest ran for %.2f s.\n", vm.seconds);
	rc = guest_report(s, &vm, name);
out:
	if (initrd && !s->keep_tmp)
		unlink(initrd);
	guest_vm_free(&vm);
	guest_kernel_free(&k);
	sb_free(&err);
	free(rel);
	free(tools);
	free(name);
	free(initrd);
	return rc;
}
