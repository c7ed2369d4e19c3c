/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness.c - the run-test harness: translate every case on the host
 * (stap -p4, in parallel), put all modules, staprun/stapio and one guest
 * script into one initramfs, boot the reference kernel once, and judge
 * each case from the records the guest sends back.  If the guest dies in
 * a case, that case fails and the rest get a fresh boot.
 *
 *   harness [-v] [-k] [-j N] [-r RELEASE] [-s STAP] [-t TOOLDIR] -d CASEDIR
 *           [NAME...]
 *
 * Prints "PASS: run-NAME", "FAIL: run-NAME: reason" (details indented
 * below), "SKIP: run-NAME: reason".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "guest/vm.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct h_opts {
	int verbose, jobs;
	bool keep;
	const char *release, *stap, *tools, *dir;
	char *work;
};

static void h_result(struct rc_case *c, const char *verdict, const char *why,
		     const struct strbuf *detail)
{
	printf("%s: run-%s%s%s\n", verdict, c->name, why ? ": " : "",
	       why ? why : "");
	if (detail && detail->len)
		fputs(detail->s, stdout);
	fflush(stdout);
}

static bool h_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static char *h_slurp(const char *path)
{
	struct strbuf sb = { 0 };
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (f) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&sb, buf, n);
		fclose(f);
	}
	return sb.s ? sb.s : xstrdup("");
}

/* a line of a file for a one-line reason: the first that says "error",
 * else the first */
static char *h_first_line(const char *path, const char *fallback)
{
	char *s = h_slurp(path), *p = s, *e = strstr(s, "error");

	if (e) {
		while (e > s && e[-1] != '\n')
			e--;
		p = e;
	}
	while (*p == '\n')
		p++;
	if (!*p) {
		free(s);
		return xstrdup(fallback);
	}
	p[strcspn(p, "\n")] = 0;
	p = xstrdup(p);
	free(s);
	return p;
}

static char *h_pick_release(void)
{
	glob_t g;
	char *best = NULL;

	if (glob("/boot/vmlinuz-*", 0, NULL, &g))
		return NULL;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *rel = g.gl_pathv[i] + strlen("/boot/vmlinuz-");
		char *b = xasprintf("/lib/modules/%s/build", rel);

		if (h_exists(b)) {
			free(best);
			best = xstrdup(rel);	/* glob sorts: the last wins */
		}
		free(b);
	}
	globfree(&g);
	return best;
}

/* fork "sh -c CMD" in dir; returns its pid */
static pid_t h_spawn(const char *cmd)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static char *h_case_dir(const struct h_opts *o, const struct rc_case *c)
{
	return xasprintf("%s/%s", o->work, c->name);
}

/* a shell: case with no module of its own (no script:, file: or kmod:) */
static bool h_shell_only(const struct rc_case *c)
{
	return c->shell && !c->kmod && !c->file && !c->script.len;
}

/* the host-side command that makes c's module */
static char *h_build_cmd(const struct h_opts *o, struct rc_case *c, bool with_m)
{
	struct strbuf sb = { 0 };
	char *d = h_case_dir(o, c);

	sb_puts(&sb, "cd ");
	guest_sh_quote(&sb, d);
	if (c->prog) {
		char *src = xasprintf("%s/%s", c->dir, c->prog);

		sb_puts(&sb, " && gcc -g -O0 -static -o ");
		guest_sh_quote(&sb, c->prog_path);
		sb_putc(&sb, ' ');
		guest_sh_quote(&sb, src);
		sb_puts(&sb, " 2>err");
		free(src);
		if (h_shell_only(c)) {
			free(d);
			return sb.s;
		}
	}
	if (c->kmod) {
		const char *b = strrchr(c->kmod, '/');
		char *src = xasprintf("%s/%s", c->dir, c->kmod);
		char *base = xstrdup(b ? b + 1 : c->kmod);

		base[strcspn(base, ".")] = 0;
		sb_puts(&sb, " && cp ");
		guest_sh_quote(&sb, src);
		sb_printf(&sb, " %s.c 2>err && echo 'obj-m := %s.o' > Makefile && "
			  "exec make -s -C /lib/modules/%s/build M=\"$PWD\" "
			  "modules >out 2>err", base, base, o->release);
		free(c->ko);
		c->ko = xasprintf("%s/%s.ko", d, base);
		free(src);
		free(base);
	} else {
		sb_puts(&sb, " && exec ");
		guest_sh_quote(&sb, o->stap);
		sb_printf(&sb, " -p4 -r %s", o->release);
		if (with_m)
			sb_printf(&sb, " -m %s", c->mod);
		if (c->stap_opts)
			sb_printf(&sb, " %s", c->stap_opts);
		if (c->file) {
			char *f = xasprintf("%s/%s", c->dir, c->file);
			char *abs = realpath(f, NULL);

			sb_putc(&sb, ' ');
			guest_sh_quote(&sb, abs ? abs : f);
			free(f);
			free(abs);
		} else {
			sb_puts(&sb, " -e ");
			guest_sh_quote(&sb, sb_str(&c->script));
		}
		if (c->args)
			sb_printf(&sb, " %s", c->args);
		sb_puts(&sb, " >out 2>err </dev/null");
	}
	free(d);
	return sb.s;
}

/* after the build: where is the module? */
static void h_find_ko(const struct h_opts *o, struct rc_case *c, int status)
{
	char *d = h_case_dir(o, c);
	char *out = xasprintf("%s/out", d), *err = xasprintf("%s/err", d);

	if (c->prog && !h_exists(c->prog_path)) {
		char *l = h_first_line(err, "no message");

		c->fail = xasprintf("cannot compile %s: %s", c->prog, l);
		free(l);
	} else if (status != 0) {
		char *l = h_first_line(err, "no message");

		c->fail = xasprintf("%s failed (status %d): %s",
				    c->kmod ? "kbuild" : "stap -p4", status, l);
		free(l);
	} else if (h_shell_only(c)) {
		/* only a program to build */
	} else if (!c->kmod) {
		char *s = h_slurp(out), *last = NULL;

		for (char *t = strtok(s, "\n"); t; t = strtok(NULL, "\n"))
			last = t;
		free(c->ko);
		c->ko = last ? xstrdup(last) : NULL;
		free(s);
		if (!c->ko) {
			c->fail = xstrdup("stap -p4 printed no module path");
		} else if (!h_exists(c->ko)) {
			c->fail = xasprintf("stap -p4 printed '%s', which does "
					    "not exist", c->ko);
		} else {
			const char *b = strrchr(c->ko, '/');

			free(c->mod);
			c->mod = xstrdup(b ? b + 1 : c->ko);
			c->mod[strcspn(c->mod, ".")] = 0;
		}
	} else if (!h_exists(c->ko)) {
		c->fail = xstrdup("kbuild made no module");
	}
	free(d);
	free(out);
	free(err);
}

/* translate (or kbuild) every case, `jobs` at a time */
static void h_build_all(const struct h_opts *o, struct vec *cases)
{
	pid_t *pids = xcalloc((size_t)cases->n, sizeof(pid_t));
	int running = 0, next = 0;

	for (;;) {
		while (running < o->jobs && next < cases->n) {
			struct rc_case *c = vec_get(cases, next);
			char *d = h_case_dir(o, c), *cmd;

			next++;
			if (c->skip || (h_shell_only(c) && !c->prog))
				continue;
			mkdir(d, 0755);
			free(d);
			cmd = h_build_cmd(o, c, false);
			if (o->verbose)
				fprintf(stderr, "+ %s\n", cmd);
			pids[next - 1] = h_spawn(cmd);
			free(cmd);
			running++;
		}
		if (!running)
			break;
		{
			int st;
			pid_t p = wait(&st);

			if (p < 0)
				break;
			for (int i = 0; i < cases->n; i++) {
				struct rc_case *c = vec_get(cases, i);
				int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;

				if (pids[i] != p)
					continue;
				pids[i] = 0;
				running--;
				h_find_ko(o, c, code);
				/* a first build may name a temporary file:
				 * once more (a cache hit), then with -m */
				for (int again = 0; again < 2 && c->fail && code == 0 &&
				     !c->kmod && !h_shell_only(c) && !(c->prog &&
				     !h_exists(c->prog_path)); again++) {
					char *cmd;

					free(c->fail);
					c->fail = NULL;
					free(c->mod);
					c->mod = xasprintf("stapt_%d", i);
					cmd = h_build_cmd(o, c, again == 1);
					p = h_spawn(cmd);
					free(cmd);
					waitpid(p, &st, 0);
					code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
					h_find_ko(o, c, code);
				}
			}
		}
	}
	free(pids);
}

/* stap run-time options in stap: that staprun must see too: -G NAME=VAL
 * goes after the module, -T/-s/-x before it */
static void h_run_opts(const char *opts, bool after_ko, struct strbuf *sh)
{
	char *s = xstrdup(opts ? opts : ""), *save = NULL;

	for (char *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		char *v = NULL, opt = 0;

		if (t[0] == '-' && strchr("GTsx", t[1]) && t[1]) {
			opt = t[1];
			v = t[2] ? t + 2 : strtok_r(NULL, " \t", &save);
		}
		if (!v || (opt == 'G') != after_ko)
			continue;
		if (opt == 'G') {
			sb_putc(sh, ' ');
			guest_sh_quote(sh, v);
		} else {
			sb_printf(sh, " -%c ", opt);
			guest_sh_quote(sh, v);
		}
	}
	free(s);
}

/* the guest's part of one case */
static void h_guest_case(const struct rc_case *c, struct strbuf *sh)
{
	sb_printf(sh, "\n# ---- %s\nval case %s ''\ndmesg -c >/dev/null\n"
		  "rm -f /tmp/to\nt0=$(cut -d' ' -f1 /proc/uptime)\n",
		  c->name, c->name);
	if (c->shell) {
		/* with script: or file: too, $MOD is its module */
		if (c->mod && !c->kmod)
			sb_printf(sh, "MOD=/stap/%s.ko ", c->mod);
		sb_puts(sh, "sh -c ");
		guest_sh_quote(sh, c->shell);
	} else {
		sb_puts(sh, "staprun");
		h_run_opts(c->stap_opts, false, sh);
		if (c->staprun_opts)
			sb_printf(sh, " %s", c->staprun_opts);
		if (c->cmd) {
			sb_puts(sh, " -c ");
			guest_sh_quote(sh, c->cmd);
		}
		sb_printf(sh, " /stap/%s.ko", c->mod);
		h_run_opts(c->stap_opts, true, sh);
	}
	sb_printf(sh, " </dev/null >/tmp/out 2>/tmp/err &\np=$!\n"
		  "( sleep %ld; kill -TERM $p 2>/dev/null && echo >/tmp/to; "
		  "sleep 5; kill -KILL $p 2>/dev/null ) &\nw=$!\n"
		  "wait $p; rc=$?\nkill $w 2>/dev/null\n"
		  "t1=$(cut -d' ' -f1 /proc/uptime)\n"
		  "val status %s $rc\n[ -f /tmp/to ] && val timeout %s ''\n",
		  c->timeout_s, c->name, c->name);
	if (c->mod && !c->shell)
		sb_printf(sh, "grep -q '^%s ' /proc/modules && "
			  "{ val left %s ''; rmmod %s; }\n", c->mod, c->name,
			  c->mod);
	sb_printf(sh, "rec out %s /tmp/out\nrec err %s /tmp/err\n"
		  "dmesg >/tmp/dmesg; rec klog %s /tmp/dmesg\n"
		  "val time %s \"$t0 $t1\"\nval end %s ''\n",
		  c->name, c->name, c->name, c->name, c->name);
}

/* ship the target kernel's modules named in list (space-separated,
 * relative to /lib/modules/RELEASE/) at the same paths in the guest */
static int h_sysmods(struct guest_cpio *cp, const char *release,
		     const char *list, struct strbuf *err)
{
	char *l = xstrdup(list), *save = NULL, *m;
	int rc = 0;

	for (m = strtok_r(l, " \t", &save); m; m = strtok_r(NULL, " \t", &save)) {
		char *h = xasprintf("/lib/modules/%s/%s", release, m);

		guest_cpio_parents(cp, h + 1);
		if (guest_cpio_file(cp, h + 1, 0644, h) < 0) {
			sb_printf(err, "cannot add %s", h);
			rc = -1;
		}
		free(h);
	}
	free(l);
	return rc;
}

static int h_write_initrd(const struct h_opts *o, const struct guest_kernel *k,
			  struct vec *todo, const char *path, struct strbuf *err)
{
	struct guest_cpio cp;
	struct strbuf sh = { 0 };
	int rc = 0;

	if (guest_cpio_open(&cp, path, k->base_cpio) < 0) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	guest_cpio_dir(&cp, "stap");
	if (o->tools) {
		char *a = xasprintf("%s/staprun", o->tools);
		char *b = xasprintf("%s/stapio", o->tools);

		if (guest_cpio_exe(&cp, "stap/staprun", a) < 0 ||
		    guest_cpio_exe(&cp, "stap/stapio", b) < 0) {
			sb_printf(err, "cannot add %s and %s", a, b);
			rc = -1;
		}
		free(a);
		free(b);
	}
	vec_each(todo, i) {
		struct rc_case *c = vec_get(todo, i);

		if (c->prog_path) {
			guest_cpio_parents(&cp, c->prog_path + 1);
			if (guest_cpio_file(&cp, c->prog_path + 1, 0755,
					    c->prog_path) < 0) {
				sb_printf(err, "cannot add %s", c->prog_path);
				rc = -1;
			}
		}
		if (c->sysmod && h_sysmods(&cp, o->release, c->sysmod, err))
			rc = -1;
		if (c->ko) {
			const char *b = strrchr(c->ko, '/');
			char *name = xasprintf("stap/%s", b ? b + 1 : c->ko);

			if (guest_cpio_file(&cp, name, 0644, c->ko) < 0) {
				sb_printf(err, "cannot add %s", c->ko);
				rc = -1;
			}
			free(name);
		}
		h_guest_case(c, &sh);
	}
	guest_cpio_data(&cp, "stap/run.sh", 0755, sh.s, sh.len);
	if (guest_cpio_close(&cp) < 0 && !rc) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	sb_free(&sh);
	return rc;
}

static struct rc_case *h_find(struct vec *cases, const char *name)
{
	vec_each(cases, i) {
		struct rc_case *c = vec_get(cases, i);

		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

/* hand the records to their cases; the case that began without an end is
 * where the guest stopped */
/* records so far, read from where the last call stopped */
struct h_collect {
	const struct h_opts *o;
	struct vec *todo;
	size_t pos;
	struct rc_case *cur;		/* began, not ended: where the guest is */
};

static void h_judge(const struct h_opts *o, struct rc_case *c);

/* called as records arrive: cases are judged as soon as they end */
static void h_collect(void *arg, const struct strbuf *rec)
{
	struct h_collect *hc = arg;
	struct guest_rec r;
	size_t pos = hc->pos;

	while (guest_rec_next(rec, &pos, &r)) {
		struct rc_case *c = h_find(hc->todo, r.name);

		hc->pos = pos;
		if (hc->o->verbose > 1)
			printf("# record %s %s: %.*s\n", r.key, r.name,
			       (int)(r.len > 60 ? 60 : r.len), r.data);
		if (!strcmp(r.key, "case") && c) {
			c->started = true;
			hc->cur = c;
		}
		if (!c)
			continue;
		if (!strcmp(r.key, "status"))
			rc_set_status(c, r.data, r.len);
		else if (!strcmp(r.key, "timeout"))
			c->timed_out = true;
		else if (!strcmp(r.key, "left"))
			c->left = true;
		else if (!strcmp(r.key, "out"))
			sb_add(&c->got_out, r.data, r.len);
		else if (!strcmp(r.key, "err"))
			sb_add(&c->got_err, r.data, r.len);
		else if (!strcmp(r.key, "klog"))
			sb_add(&c->got_klog, r.data, r.len);
		else if (!strcmp(r.key, "time"))
			c->time = strndup(r.data, r.len);
		else if (!strcmp(r.key, "end")) {
			c->ended = true;
			if (hc->cur == c)
				hc->cur = NULL;
			h_judge(hc->o, c);
		}
	}
}

static void h_judge(const struct h_opts *o, struct rc_case *c)
{
	double t0 = 0, t1 = 0;

	if (o->verbose && c->time && sscanf(c->time, "%lf %lf", &t0, &t1) == 2)
		printf("# %s: ran %.2f s in the guest\n", c->name, t1 - t0);
	struct strbuf why = { 0 };
	char *r = rc_judge(c, &why);

	h_result(c, r ? "FAIL" : "PASS", r, r ? &why : NULL);
	free(r);
	sb_free(&why);
}

/* boot until every case in todo has run */
static void h_boot_all(const struct h_opts *o, const struct guest_kernel *k,
		       struct vec *todo, int *boots, double *guest_s)
{
	while (todo->n) {
		struct guest_vm vm = { .out_fd = -1, .err_fd = -1 };
		struct strbuf err = { 0 };
		struct vec rest = { 0 };
		struct rc_case *dead;
		struct h_collect hc;
		char *initrd = xasprintf("%s/initrd-%d.cpio", o->work, *boots);
		long total = 60, longest = 0;

		vec_each(todo, i) {
			long t = ((struct rc_case *)vec_get(todo, i))->timeout_s;

			total += t + 15;
			if (t > longest)
				longest = t;
		}
		if (h_write_initrd(o, k, todo, initrd, &err) < 0) {
			vec_each(todo, i)
				h_result(vec_get(todo, i), "FAIL", err.s, NULL);
			free(initrd);
			sb_free(&err);
			return;
		}
		vm.image = k->image;
		vm.initrd = initrd;
		/* catch heap corruption (redzones, poison, sanity checks):
		 * it shows as "BUG kmalloc-..." in the kernel log; every
		 * message on the console, so that a wedged guest's stall
		 * reports come with the stuck CPU's backtrace */
		vm.append = "slub_debug=FZP loglevel=7";
		vm.timeout_ms = total * 1000;
		/* a case reports as it begins and as it ends (staprun gets
		 * SIGKILL 5 s after its timeout): a longer silence is a guest
		 * wedged in that case, which fails; the rest get a new boot */
		vm.idle_timeout_ms = (longest + 60) * 1000;
		vm.boot_timeout_ms = 120000;
		vm.echo_console = o->verbose > 1;
		hc = (struct h_collect){ .o = o, .todo = todo };
		vm.on_rec = h_collect;
		vm.on_rec_arg = &hc;
		(*boots)++;
		if (guest_vm_run(&vm, &err) < 0) {
			vec_each(todo, i)
				h_result(vec_get(todo, i), "FAIL", err.s, NULL);
			guest_vm_free(&vm);
			free(initrd);
			sb_free(&err);
			return;
		}
		*guest_s += vm.seconds;
		h_collect(&hc, &vm.rec);
		dead = hc.cur;
		if (todo->n && ((struct rc_case *)vec_get(todo, 0))->time)
			printf("# boot %d: qemu ran %.2f s (last record at %.2f s), "
			       "first case began at guest uptime %.2f s\n",
			       *boots, vm.seconds, vm.last_rec_s,
			       atof(((struct rc_case *)vec_get(todo, 0))->time));
		vec_each(todo, i) {
			struct rc_case *c = vec_get(todo, i);

			if (c->ended) {
				/* judged as it ended */
			} else if ((c == dead || (!dead && c->started)) &&
				   c->want_crash && !vm.timed_out) {
				struct strbuf lines = { 0 };
				bool oops = guest_klog_problems(sb_str(&vm.console),
								&lines) > 0;

				sb_free(&lines);

				h_result(c, oops ? "PASS" : "FAIL", oops ? NULL :
					 "the guest died without an oops on its console",
					 NULL);
			} else if (c == dead || (!dead && c->started)) {
				struct strbuf why = { 0 };
				const char *con = sb_str(&vm.console);
				const char *bad = guest_klog_first_problem(con);
				size_t n = vm.console.len;

				/* from the first trouble (the first stall
				 * report has the stuck CPU's backtrace), with
				 * the end of the console */
				if (!bad) {
					sb_printf(&why, "    console (tail):\n%s\n",
						  con + (n > 3000 ? n - 3000 : 0));
				} else if (n - (size_t)(bad - con) > 8000) {
					sb_printf(&why, "    console (from the first trouble):\n%.6000s\n    ...\n%s\n",
						  bad, con + n - 2000);
				} else {
					sb_printf(&why, "    console (from the first trouble):\n%s\n",
						  bad);
				}
				h_result(c, "FAIL", vm.timed_out ?
					 "the guest ran out of time in this case" :
					 "the guest kernel died in this case", &why);
				sb_free(&why);
			} else if (dead || c->started) {
				vec_push(&rest, c);
			} else {
				/* never started: the boot itself failed */
				struct strbuf why = { 0 };

				sb_printf(&why, "    console:\n%s\n    qemu:\n%s\n",
					  sb_str(&vm.console), sb_str(&vm.qemu_err));
				h_result(c, "FAIL", vm.boot_timed_out ?
					 "the guest did not boot" :
					 "the guest stopped before this case", &why);
				sb_free(&why);
			}
		}
		if (!o->keep)
			unlink(initrd);
		free(initrd);
		guest_vm_free(&vm);
		sb_free(&err);
		vec_free(todo);
		*todo = rest;
	}
}

/* replace every @PROG@ in *s */
static void h_subst(char **s, const char *prog)
{
	struct strbuf sb = { 0 };
	const char *p, *at;

	if (!*s || !strstr(*s, "@PROG@"))
		return;
	for (p = *s; (at = strstr(p, "@PROG@")); p = at + 6) {
		sb_add(&sb, p, (size_t)(at - p));
		sb_puts(&sb, prog);
	}
	sb_puts(&sb, p);
	free(*s);
	*s = sb.s;
}

static char *h_find_tools(const char *top)
{
	static const char *const rel[] = { "build/static", "build/bin" };

	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char *d = xasprintf("%s/%s", top, rel[i]);
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

static int h_usage(void)
{
	fprintf(stderr, "usage: harness [-v] [-k] [-j N] [-r RELEASE] [-s STAP] "
		"[-t TOOLDIR] -d CASEDIR [NAME...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct h_opts o = { .jobs = 2 };
	struct vec all = { 0 }, todo = { 0 };
	struct guest_kernel k = { 0 };
	struct strbuf err = { 0 };
	char *rel = NULL, *tools = NULL, *pat;
	glob_t g;
	int opt, errors = 0, boots = 0;
	double guest_s = 0;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n > 0)
		o.jobs = (int)n;
	while ((opt = getopt(argc, argv, "vkj:r:s:t:d:")) != -1) {
		switch (opt) {
		case 'v': o.verbose++; break;
		case 'k': o.keep = true; break;
		case 'j': o.jobs = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
		case 'r': o.release = optarg; break;
		case 's': o.stap = optarg; break;
		case 't': o.tools = optarg; break;
		case 'd': o.dir = optarg; break;
		default: return h_usage();
		}
	}
	if (!o.dir)
		return h_usage();
	{
		char *abs = realpath(o.dir, NULL);

		if (abs)
			o.dir = abs;
	}
	if (!o.stap)
		o.stap = "./stap";
	{
		char *abs = realpath(o.stap, NULL);

		if (abs)
			o.stap = abs;
	}

	pat = xasprintf("%s/*.case", o.dir);
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			errors += rc_parse_file(g.gl_pathv[i], &all);
		globfree(&g);
	}
	free(pat);
	if (errors) {
		printf("FAIL: run-cases: %d error(s) in the case files\n", errors);
		return 1;
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			struct rc_case *c = h_find(&all, argv[i]);

			if (c)
				vec_push(&todo, c);
			else
				printf("FAIL: run-%s: no such case in %s\n",
				       argv[i], o.dir);
		}
	} else {
		vec_each(&all, i)
			vec_push(&todo, vec_get(&all, i));
	}
	vec_each(&todo, i) {
		struct rc_case *c = vec_get(&todo, i);

		vec_each(&todo, j)
			if (j < i && !strcmp(c->name,
					     ((struct rc_case *)vec_get(&todo, j))->name)) {
				printf("FAIL: run-%s: defined twice (%s)\n",
				       c->name, c->where);
				return 1;
			}
	}

	/* what the guest needs */
	rel = o.release ? xstrdup(o.release) : getenv("STAP_GUEST_RELEASE") ?
		xstrdup(getenv("STAP_GUEST_RELEASE")) : h_pick_release();
	o.release = rel;
	if (!rel)
		sb_puts(&err, "no /boot/vmlinuz-RELEASE with /lib/modules/RELEASE/build "
			"(install linux-image-amd64 and linux-headers-amd64)");
	else if (system("command -v ${STAP_GUEST_QEMU:-qemu-system-x86_64} "
			">/dev/null 2>&1") != 0)
		sb_puts(&err, "qemu-system-x86_64 is not installed");
	else
		guest_kernel_prepare(&k, rel, o.verbose > 0, &err);
	if (err.len) {
		vec_each(&todo, i)
			h_result(vec_get(&todo, i), "SKIP", err.s, NULL);
		return 0;
	}
	tools = o.tools ? xstrdup(o.tools) : h_find_tools(".");
	o.tools = tools;
	{
		char *w = xstrdup("/tmp/stap-run-XXXXXX");

		if (!mkdtemp(w)) {
			perror("mkdtemp");
			return 1;
		}
		o.work = w;
	}

	/* @PROG@ is the test program's path, the same on host and guest */
	vec_each(&todo, i) {
		struct rc_case *c = vec_get(&todo, i);
		char **fields[] = { &c->args, &c->cmd, &c->shell, &c->stap_opts,
				    &c->staprun_opts };
		const char *b;

		if (!c->prog)
			continue;
		b = strrchr(c->prog, '/');
		c->prog_path = xasprintf("%s/%s/%s", o.work, c->name,
					 b ? b + 1 : c->prog);
		c->prog_path[strlen(c->prog_path) -
			     (strstr(c->prog_path, ".c") ? 2 : 0)] = 0;
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			h_subst(fields[f], c->prog_path);
		if (c->script.len) {
			char *t = xstrdup(c->script.s);

			h_subst(&t, c->prog_path);
			sb_free(&c->script);
			sb_puts(&c->script, t);
			free(t);
		}
	}

	/* skipped and unbuildable cases are settled on the host */
	vec_each(&todo, i) {
		struct rc_case *c = vec_get(&todo, i);

		if (!c->skip && c->needs) {
			char *cmd = xasprintf("cd '%s/../..' && (%s) >/dev/null "
					      "2>&1 </dev/null", c->dir,
					      c->needs);

			if (system(cmd) != 0)
				c->skip = xasprintf("needs: %s: failed",
						    c->needs);
			free(cmd);
		}

		if (!c->skip && !c->shell && !tools)
			c->fail = xstrdup("no staprun/stapio built (make; make static)");
		if (!c->skip && !c->shell && !c->file && !c->script.len && !c->kmod)
			c->fail = xstrdup("case has no script:, file:, shell: or kmod:");
		if (!c->skip && !c->fail && !h_shell_only(c) && !c->kmod &&
		    !h_exists(o.stap))
			c->fail = xasprintf("%s does not exist (make)", o.stap);
	}
	{
		struct vec build = { 0 }, run = { 0 };

		vec_each(&todo, i) {
			struct rc_case *c = vec_get(&todo, i);

			if (!c->skip && !c->fail)
				vec_push(&build, c);
		}
		h_build_all(&o, &build);
		vec_free(&build);
		vec_each(&todo, i) {
			struct rc_case *c = vec_get(&todo, i);

			if (c->skip)
				h_result(c, "SKIP", c->skip, NULL);
			else if (c->fail)
				h_result(c, "FAIL", c->fail, NULL);
			else
				vec_push(&run, c);
		}
		if (run.n)
			h_boot_all(&o, &k, &run, &boots, &guest_s);
		vec_free(&run);
	}
	if (boots)
		printf("# %d boot(s) of %s, %.1f s in the guest\n", boots, rel,
		       guest_s);
	if (!o.keep) {
		char *cmd = xasprintf("rm -rf '%s'", o.work);

		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", o.work);
		free(cmd);
	} else {
		printf("# kept %s\n", o.work);
	}
	guest_kernel_free(&k);
	return 0;
}
