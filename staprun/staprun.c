/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * staprun.c - load a module built by stap, run stapio on it, remove it.
 *
 *   staprun [-v] [-w] [-o FILE] [-c CMD] [-x PID] [-T SECS] [-s MB]
 *           [-S MB[,N]] [-L | -D] MODULE.ko [NAME=VALUE ...]
 *   staprun [-v] [-w] [-o FILE] [-S MB[,N]] -A MODNAME
 *   staprun -d MODNAME
 *
 * The module is removed on every path once it was inserted: stapio's exit,
 * its death, errors, and SIGINT/SIGTERM/SIGHUP (forwarded to stapio, which
 * stops the probes so end probes run).  Except when stapio detached (-L
 * once the probes started, or SIGQUIT): then the module stays, running,
 * until `staprun -A MODNAME` attaches to it (and removes it at the end) or
 * `staprun -d MODNAME` removes it.  -D runs all this in the background and
 * prints stapio's pid.  Exit status is stapio's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "modinfo.h"
#include "output.h"

#define PROG "staprun"

struct sr_opts {
	int verbose;
	int no_warn;
	const char *out, *cmd, *pid, *timeout, *switch_arg;
	long buf_mb;
	int load_only, attach, daemon;	/* -L, -A, -D */
	const char *delete_name;
	const char *module;
	char **params;
	int nparams;
};

/* the signal handler needs it; nothing else is global */
static volatile sig_atomic_t sr_child;

static void sr_on_signal(int sig)
{
	if (sr_child > 0)
		kill(sr_child, sig);
}

static void sr_usage(void)
{
	sr_err("Usage: staprun [-v] [-w] [-o FILE] [-c CMD] [-x PID] [-T SECS] "
	       "[-s MB] [-S MB[,N]] [-L | -D] MODULE.ko [NAME=VALUE ...]\n"
	       "       staprun [-v] [-w] [-o FILE] [-S MB[,N]] -A MODNAME\n"
	       "       staprun -d MODNAME\n");
}

static int sr_parse(int argc, char **argv, struct sr_opts *o)
{
	int c;
	long v, k;

	while ((c = getopt(argc, argv, "+vwuVo:c:x:T:s:b:d:S:LAD")) != -1) {
		switch (c) {
		case 'v': o->verbose++; break;
		case 'w': o->no_warn = 1; break;
		case 'u': break;	/* uprobes are built in */
		case 'V': printf("staprun (stap transport %d)\n",
				 STP_PROTO_VERSION); exit(0);
		case 'o': o->out = optarg; break;
		case 'c': o->cmd = optarg; break;
		case 'x':
			if (sr_parse_long(optarg, 1, 0x7fffffff, &v)) {
				sr_err("ERROR: -x: invalid pid '%s'\n", optarg);
				return -1;
			}
			o->pid = optarg;
			break;
		case 'T':
			if (sr_parse_long(optarg, 1, 0x7fffffff, &v)) {
				sr_err("ERROR: -T: invalid timeout '%s'\n", optarg);
				return -1;
			}
			o->timeout = optarg;
			break;
		case 's': case 'b':
			if (sr_parse_long(optarg, 1, STP_BUFSIZE_MAX_MB,
					  &o->buf_mb)) {
				sr_err("ERROR: -%c: buffer size must be 1..%d MB\n",
				       c, STP_BUFSIZE_MAX_MB);
				return -1;
			}
			break;
		case 'd': o->delete_name = optarg; break;
		case 'S':
			if (sr_out_parse_switch(optarg, &v, &k)) {
				sr_err("ERROR: -S: expected size[,N] (MB, files), "
				       "got '%s'\n", optarg);
				return -1;
			}
			o->switch_arg = optarg;
			break;
		case 'L': o->load_only = 1; break;
		case 'A': o->attach = 1; break;
		case 'D': o->daemon = 1; break;
		default: sr_usage(); return -1;
		}
	}
	if (o->load_only + o->attach + o->daemon > 1 ||
	    (o->attach && (o->cmd || o->pid || o->buf_mb))) {
		sr_err("ERROR: -L, -A and -D exclude each other; -A takes no "
		       "-c, -x, -s\n");
		return -1;
	}
	if (o->attach && optind != argc - 1) {
		sr_usage();
		return -1;
	}
	if (o->delete_name)
		return optind == argc ? 0 : (sr_usage(), -1);
	if (optind >= argc) {
		sr_usage();
		return -1;
	}
	o->module = argv[optind];
	o->params = argv + optind + 1;
	o->nparams = argc - optind - 1;
	return 0;
}

/* the kernel parameter string: NAME=VALUE ..., values with blanks quoted */
static char *sr_param_string(const struct sr_opts *o)
{
	size_t cap = 64;
	char *s;

	for (int i = 0; i < o->nparams; i++)
		cap += strlen(o->params[i]) + 3;
	s = calloc(1, cap);
	if (!s)
		return NULL;
	for (int i = 0; i < o->nparams; i++) {
		const char *p = o->params[i], *eq = strchr(p, '=');

		if (*s)
			strcat(s, " ");
		if (eq && strpbrk(eq + 1, " \t") && !strchr(eq + 1, '"')) {
			strncat(s, p, (size_t)(eq - p + 1));
			strcat(s, "\"");
			strcat(s, eq + 1);
			strcat(s, "\"");
		} else {
			strcat(s, p);
		}
	}
	if (o->buf_mb)
		snprintf(s + strlen(s), cap - strlen(s), "%s%s=%ld",
			 *s ? " " : "", STP_PARAM_BUFSIZE, o->buf_mb);
	return s;
}

/* the modprobe-style reading of init_module's errno */
static const char *sr_moderror(int err)
{
	switch (err) {
	case ENOEXEC: return "Invalid module format";
	case ENOENT: return "Unknown symbol in module, or unknown parameter";
	case ESRCH: return "Module has wrong symbol version";
	case EINVAL: return "Invalid parameters";
	default: return strerror(err);
	}
}

struct sr_image {
	int fd;
	void *img;
	size_t size;
};

static int sr_read_module(const char *path, struct sr_image *m)
{
	struct stat st;
	ssize_t got;

	m->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (m->fd < 0 || fstat(m->fd, &st))
		return -errno;
	m->size = (size_t)st.st_size;
	m->img = malloc(m->size + 1);
	if (!m->img)
		return -ENOMEM;
	got = pread(m->fd, m->img, m->size, 0);
	if (got < 0 || (size_t)got != m->size)
		return got < 0 ? -errno : -EIO;
	return 0;
}

/* a bare NAME that is no file: /lib/modules/RELEASE/systemtap/NAME.ko */
static const char *sr_module_path(const char *arg)
{
	static char path[512];
	struct utsname u;
	size_t len = strlen(arg);

	if (strchr(arg, '/') || access(arg, F_OK) == 0 || uname(&u))
		return arg;
	snprintf(path, sizeof(path), "/lib/modules/%s/systemtap/%s%s",
		 u.release, arg,
		 len > 3 && !strcmp(arg + len - 3, ".ko") ? "" : ".ko");
	return access(path, F_OK) == 0 ? path : arg;
}

/* the module's own name (modpost's name=), else from the file name */
static int sr_module_name(const struct sr_image *m, const char *path,
			  char *buf, size_t n)
{
	if (sr_modinfo(m->img, m->size, "name", buf, n) == 0 && *buf)
		return 0;
	return sr_modname(path, buf, n);
}

/* vermagic starts with the release it was built for */
static int sr_check_release(const struct sr_image *m, const char *path)
{
	char magic[256];
	struct utsname u;
	size_t len;

	if (sr_modinfo(m->img, m->size, "vermagic", magic, sizeof(magic)) ||
	    uname(&u))
		return 0;	/* let the kernel judge */
	len = strcspn(magic, " ");
	if (len == strlen(u.release) && !strncmp(magic, u.release, len))
		return 0;
	sr_err("ERROR: module release mismatch: '%s' was built for %.*s, "
	       "this kernel is %s\n", path, (int)len, magic, u.release);
	return -1;
}

static int sr_insert(const struct sr_image *m, const char *params)
{
	int rc = (int)syscall(SYS_finit_module, m->fd, params, 0);

	if (rc && errno == ENOSYS)
		rc = (int)syscall(SYS_init_module, m->img,
				  (unsigned long)m->size, params);
	return rc ? -errno : 0;
}

/* delete_module, retrying while something still holds it briefly */
static int sr_remove(const char *name, int verbose)
{
	for (int tries = 0;; tries++) {
		if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0) {
			sr_verbose(verbose, PROG, "removed module '%s'", name);
			return 0;
		}
		if ((errno != EAGAIN && errno != EBUSY) || tries >= 100) {
			sr_err("ERROR: Couldn't remove module '%s': %s\n", name,
			       strerror(errno));
			return -1;
		}
		usleep(50 * 1000);
	}
}

/* $STAPIO, next to staprun, the installed libexec dir, else PATH */
static void sr_find_stapio(char *buf, size_t n, const char *argv0)
{
	static const char *const rel[] = { "stapio", "../libexec/stap/stapio" };
	const char *env = getenv("STAPIO");
	char dir[3072];
	struct stat st;

	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	sr_exe_dir(dir, sizeof(dir), argv0);
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(buf, n, "%s/%s", dir, rel[i]);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return;
	}
	snprintf(buf, n, "stapio");
}

static pid_t sr_spawn_stapio(const struct sr_opts *o, const char *stapio,
			     const char *modname, int report)
{
	const char *argv[24];
	char fd[16];
	int n = 0;
	pid_t pid;

	argv[n++] = "stapio";
	for (int i = 0; i < o->verbose && i < 3; i++)
		argv[n++] = "-v";
	if (o->no_warn)
		argv[n++] = "-w";
	if (o->out) { argv[n++] = "-o"; argv[n++] = o->out; }
	if (o->cmd) { argv[n++] = "-c"; argv[n++] = o->cmd; }
	if (o->pid) { argv[n++] = "-x"; argv[n++] = o->pid; }
	if (o->timeout) { argv[n++] = "-T"; argv[n++] = o->timeout; }
	if (o->switch_arg) { argv[n++] = "-S"; argv[n++] = o->switch_arg; }
	if (o->load_only)
		argv[n++] = "-L";
	if (o->attach)
		argv[n++] = "-A";
	if (o->daemon)
		argv[n++] = "-D";
	if (report >= 0) {
		snprintf(fd, sizeof(fd), "%d", report);
		argv[n++] = "-R";
		argv[n++] = fd;
	}
	argv[n++] = modname;
	argv[n] = NULL;

	pid = fork();
	if (pid == 0) {
		/*
		 * Keep the signals blocked across exec: stapio unblocks them
		 * once its handlers are in place, so one that arrived while
		 * the module was loading (forwarded from here) stops the run
		 * instead of killing stapio.
		 */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		if (report >= 0)	/* stapio's -R */
			fcntl(report, F_SETFD, 0);
		if (strchr(stapio, '/'))
			execv(stapio, (char **)argv);
		else
			execvp(stapio, (char **)argv);
		sr_err("ERROR: Couldn't run stapio '%s': %s\n", stapio,
		       strerror(errno));
		_exit(1);
	}
	return pid;
}

static int sr_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return 1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	sr_err("ERROR: stapio died of signal %d\n", WTERMSIG(st));
	return 1;
}

static void sr_signals(sigset_t *held)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sr_on_signal;
	sigemptyset(held);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(held, sigs[i]);
	}
	/* held while loading and forking; forwarded once stapio exists */
	sigprocmask(SIG_BLOCK, held, NULL);
}

/*
 * -D: go on in a child of a new session; the parent prints stapio's pid,
 * which stapio sends over *report (its -R) once the probes started, and
 * exits 0; or, when the pipe closes without it (loading or starting
 * failed, the errors went to stderr), exits with the child's status.
 */
static int sr_daemonize(int *report)
{
	char buf[32];
	ssize_t n;
	pid_t pid;
	int p[2], st;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		setsid();
		*report = p[1];
		return 0;
	}
	close(p[1]);
	do
		n = read(p[0], buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		buf[n] = 0;
		printf("%s\n", buf);
		exit(0);
	}
	if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		exit(WEXITSTATUS(st) ? WEXITSTATUS(st) : 1);
	exit(1);
}

/* stapio reports to the parent now: the daemon lets go of the pipe and of
 * the terminal (and of pipes its caller reads to EOF) */
static void sr_daemon_detach(int *report)
{
	if (*report < 0)
		return;
	close(*report);
	*report = -1;
	sr_stdio_to_null();
}

/* run stapio on a loaded module; its status, or SR_STATUS_DETACHED */
static int sr_run_stapio(const struct sr_opts *o, const char *argv0,
			 const char *modname, sigset_t *held, int *report)
{
	char stapio[4096];
	pid_t pid;
	int status;

	sr_find_stapio(stapio, sizeof(stapio), argv0);
	pid = sr_spawn_stapio(o, stapio, modname, *report);
	if (pid < 0) {
		sr_err("ERROR: fork: %s\n", strerror(errno));
		return 1;
	}
	sr_child = pid;
	sr_daemon_detach(report);
	sigprocmask(SIG_UNBLOCK, held, NULL);
	status = sr_wait(pid);
	sr_child = 0;
	return status;
}

/* after stapio: remove the module, unless stapio left it running */
static int sr_finish(const struct sr_opts *o, const char *modname, int status)
{
	long long t0 = sr_now_ms();

	if (status == SR_STATUS_DETACHED) {
		sr_err("Disconnecting from systemtap module.\n"
		       "To reconnect, type \"staprun -A %s\"\n", modname);
		return 0;
	}
	if (status == SR_STATUS_NOT_ATTACHED)
		return 1;
	if (sr_remove(modname, o->verbose))
		status = 1;
	sr_verbose(o->verbose, PROG, "unloaded in %lld ms", sr_now_ms() - t0);
	return status;
}

/* -A MODNAME: stapio on a module loaded before (staprun -L, Ctrl-\) */
static int sr_attach(const struct sr_opts *o, const char *argv0)
{
	char modname[64], ctl[256];
	sigset_t held;

	if (sr_modname(o->module, modname, sizeof(modname))) {
		sr_err("ERROR: '%s' is not a valid module name\n", o->module);
		return 1;
	}
	sr_proc_path(ctl, sizeof(ctl), modname, STP_CTL_FILE);
	if (access(ctl, F_OK) != 0) {
		sr_err("ERROR: module '%s' is not loaded (no %s)\n", modname,
		       ctl);
		return 1;
	}
	sr_signals(&held);
	return sr_finish(o, modname,
			 sr_run_stapio(o, argv0, modname, &held,
				       &(int){ -1 }));
}

int main(int argc, char **argv)
{
	struct sr_opts o = { 0 };
	struct sr_image m = { .fd = -1 };
	char modname[64], ctl[256];
	char *params;
	sigset_t held;
	long long t0;
	int rc, report = -1;

	if (sr_parse(argc, argv, &o))
		return 1;
	sr_verbose(o.verbose > 1 ? o.verbose : 0, PROG, "started");
	if (access("/proc/modules", F_OK) != 0) {
		sr_err("ERROR: This kernel has no loadable module support "
		       "(no /proc/modules); cannot load %s\n",
		       o.delete_name ? o.delete_name : o.module);
		return 1;
	}
	if (o.delete_name)
		return sr_remove(o.delete_name, o.verbose) ? 1 : 0;
	if (o.attach)
		return sr_attach(&o, argv[0]);
	if (o.daemon && sr_daemonize(&report)) {
		sr_err("ERROR: Couldn't go to the background: %s\n",
		       strerror(errno));
		return 1;
	}
	o.module = sr_module_path(o.module);
	rc = sr_read_module(o.module, &m);
	if (rc) {
		sr_err("ERROR: Couldn't read module '%s': %s\n", o.module,
		       strerror(-rc));
		return 1;
	}
	if (sr_module_name(&m, o.module, modname, sizeof(modname))) {
		sr_err("ERROR: '%s' is not a valid module file name\n", o.module);
		return 1;
	}
	if (sr_check_release(&m, o.module))
		return 1;
	params = sr_param_string(&o);
	if (!params)
		return 1;
	sr_signals(&held);

	sr_verbose(o.verbose, PROG, "inserting module '%s'", o.module);
	t0 = sr_now_ms();
	rc = sr_insert(&m, params);
	close(m.fd);
	free(m.img);
	if (rc) {
		sr_err("ERROR: Couldn't insert module '%s': %s\n", o.module,
		       sr_moderror(-rc));
		return 1;
	}
	sr_verbose(o.verbose, PROG, "inserted module '%s' as %s (%s) in %lld ms",
		   o.module, modname, params, sr_now_ms() - t0);
	free(params);

	sr_proc_path(ctl, sizeof(ctl), modname, STP_CTL_FILE);
	if (access(ctl, F_OK) != 0) {
		sr_err("ERROR: module '%s' has no transport (%s missing): "
		       "not built by this stap?\n", modname, ctl);
		sr_remove(modname, o.verbose);
		return 1;
	}
	return sr_finish(&o, modname,
			 sr_run_stapio(&o, argv[0], modname, &held, &report));
}
