/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.c - stap's command line, with stap's option letters and meanings.
 * Options from $SYSTEMTAP_DIR/rc come first, then argv.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "session.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "version.h"

enum {
	OPT_VP = 256, OPT_DISABLE_CACHE, OPT_CLEAN_CACHE, OPT_DUMP_FUNCS,
	OPT_DUMP_ALIASES, OPT_DUMP_TYPES, OPT_SKIP_BADVARS, OPT_SUPPRESS,
	OPT_VM, OPT_PRIVILEGE, OPT_RUNTIME, OPT_HELP, OPT_NO_TIME_LIMITS,
};

static const struct option long_opts[] = {
	{ "vp", required_argument, NULL, OPT_VP },
	{ "disable-cache", no_argument, NULL, OPT_DISABLE_CACHE },
	{ "clean-cache", no_argument, NULL, OPT_CLEAN_CACHE },
	{ "dump-functions", no_argument, NULL, OPT_DUMP_FUNCS },
	{ "dump-probe-aliases", no_argument, NULL, OPT_DUMP_ALIASES },
	{ "dump-probe-types", no_argument, NULL, OPT_DUMP_TYPES },
	{ "skip-badvars", no_argument, NULL, OPT_SKIP_BADVARS },
	{ "suppress-handler-errors", no_argument, NULL, OPT_SUPPRESS },
	{ "suppress-time-limits", no_argument, NULL, OPT_NO_TIME_LIMITS },
	{ "vm", optional_argument, NULL, OPT_VM },
	{ "privilege", required_argument, NULL, OPT_PRIVILEGE },
	{ "runtime", required_argument, NULL, OPT_RUNTIME },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = "+hVvp:e:E:I:D:B:G:R:r:m:o:c:x:T:s:l:L:gkwWutbFS:P";

void opt_usage(FILE *out)
{
	fprintf(out,
"Systemtap translator/driver (version %s, compatible with SystemTap %s)\n"
"This is free software; see the source for copying conditions.\n"
"\n"
"Usage: stap [options] FILE                    Run script in file.\n"
"   or: stap [options] -                       Run script on stdin.\n"
"   or: stap [options] -e SCRIPT               Run given script.\n"
"   or: stap [options] -l PROBE                List matching probes.\n"
"   or: stap [options] -L PROBE                List matching probes and local variables.\n"
"   or: stap [options] --dump-functions        List available functions.\n"
"   or: stap [options] --dump-probe-aliases    List available probe aliases.\n"
"   or: stap [options] --dump-probe-types      List available probe types.\n"
"\n"
"Options (in $SYSTEMTAP_DIR/rc and on command line):\n"
"   --         end of translator options, script options follow\n"
"   -h --help  show help\n"
"   -V --version  show version\n"
"   -p NUM     stop after pass NUM 1-5, instead of 5\n"
"              (parse, elaborate, translate, compile, run)\n"
"   -v         add verbosity to all passes\n"
"   --vp {N}+  add per-pass verbosity [00000]\n"
"   -k         keep temporary directory\n"
"   -u         unoptimized translation\n"
"   -w         suppress warnings\n"
"   -W         turn warnings into errors\n"
"   -g         guru mode\n"
"   -P         prologue-searching for function probes\n"
"   -b         bulk (percpu file) mode\n"
"   -s NUM     buffer size in megabytes\n"
"   -I DIR     look in DIR for additional .stp script files\n"
"   -D NM=VAL  emit macro definition into generated C code\n"
"   -B NM=VAL  pass option to kbuild make\n"
"   -G VAR=VAL set global variable to value\n"
"   -R DIR     look in DIR for runtime\n"
"   -r DIR     cross-compile to kernel with given build tree; or else\n"
"   -r RELEASE cross-compile to kernel /lib/modules/RELEASE/build\n"
"   -m MODULE  set probe module name\n"
"   -o FILE    send script output to file\n"
"   -c CMD     start the probes, run CMD, and exit when it finishes\n"
"   -x PID     sets target() to PID\n"
"   -T TIME    terminate the script after TIME seconds\n"
"   -F         run as on-file flight recorder with -o.\n"
"   -S size[,n] switch to next output file after size megabytes\n"
"   -t         collect probe timing information\n"
"   -e SCRIPT  run given script\n"
"   -E SCRIPT  run given script, in addition to the main script\n"
"   -l PROBE   list matching probes\n"
"   -L PROBE   list matching probes and local variables\n"
"   --vm[=RELEASE]\n"
"              run pass 5 in a throwaway qemu guest booting the target kernel\n"
"   --disable-cache, --clean-cache, --skip-badvars,\n"
"   --suppress-handler-errors, --suppress-time-limits (with -g),\n"
"   --privilege=PRIVILEGE_LEVEL,\n"
"   --dump-functions, --dump-probe-aliases, --dump-probe-types\n",
		STAP_VERSION, STAP_COMPAT_VERSION);
}

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "stap: invalid %s '%s'\n", what, arg);
	return -1;
}

static int num_arg(const char *arg, long min, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (!*arg || *end || v < min)
		return -1;
	*out = v;
	return 0;
}

/* -S size[,N]: decimal MB, optionally a comma and a file count */
static int switch_arg(const char *arg)
{
	const char *comma = strchr(arg, ',');
	char *size = comma ? strndup(arg, (size_t)(comma - arg)) : xstrdup(arg);
	long v;
	int rc = num_arg(size, 1, &v) || (comma && num_arg(comma + 1, 1, &v));

	free(size);
	return rc ? -1 : 0;
}

static int one_opt(struct session *s, int c, const char *arg)
{
	long v;

	switch (c) {
	case 'V':
		printf("Systemtap translator/driver (version %s, compatible with SystemTap %s)\n"
		       "License: GPL-2.0-or-later\n", STAP_VERSION, STAP_COMPAT_VERSION);
		return 1;
	case 'h': case OPT_HELP:
		opt_usage(stdout);
		return 1;
	case 'v':
		for (int i = 0; i < 5; i++)
			s->verbose[i]++;
		break;
	case OPT_VP:
		for (int i = 0; i < 5 && arg[i]; i++) {
			if (arg[i] < '0' || arg[i] > '9')
				return bad("--vp value", arg);
			s->verbose[i] += arg[i] - '0';
		}
		break;
	case 'p':
		if (num_arg(arg, 1, &v) || v > 5)
			return bad("pass number (should be 1-5)", arg);
		s->last_pass = (int)v;
		break;
	case 'e':
		if (s->script_text || s->script_file) {
			fputs("stap: only one script may be given\n", stderr);
			return -1;
		}
		s->script_text = arg;
		break;
	case 'E': vec_push(&s->extra_scripts, (void *)arg); break;
	case 'I': vec_push(&s->include_dirs, (void *)arg); break;
	case 'D': vec_push(&s->defines, (void *)arg); break;
	case 'B': vec_push(&s->kbuild_vars, (void *)arg); break;
	case 'G':
		if (!strchr(arg, '='))
			return bad("-G setting (expected NAME=VALUE)", arg);
		vec_push(&s->global_sets, (void *)arg);
		break;
	case 'R': s->runtime_dir = arg; break;
	case 'r':
		if (strchr(arg, '/'))
			s->kernel_build_dir = arg;
		else
			s->kernel_release = arg;
		break;
	case 'm':
		if (strlen(arg) > 55 || strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(arg))
			return bad("module name (use up to 55 letters, digits and '_')", arg);
		s->module_name = arg;
		s->module_named = true;
		s->disable_cache = true;
		break;
	case 'o': s->output_file = arg; break;
	case 'c': s->target_cmd = arg; break;
	case 'x':
		if (num_arg(arg, 1, &s->target_pid))
			return bad("pid", arg);
		break;
	case 'T':
		if (num_arg(arg, 1, &s->timeout_s))
			return bad("timeout", arg);
		break;
	case 's':
		if (num_arg(arg, 1, &s->buffer_mb) || s->buffer_mb > 4095)
			return bad("buffer size (1-4095 MB)", arg);
		break;
	case 'l': case 'L':
		s->list_pattern = arg;
		s->list_vars = c == 'L';
		break;
	case 'g': s->guru = true; break;
	case 'k': s->keep_tmp = true; s->disable_cache = true; break;
	case 'w': s->no_warnings = true; break;
	case 'W': s->warnings_fatal = true; break;
	case 'u': s->unoptimized = true; break;
	case 't': s->timing = true; break;
	case 'b':
		/* the module's transport writes per-CPU records (a define,
		 * so part of the cache key) */
		if (!s->bulk)
			vec_push(&s->defines, (void *)"STP_BULKMODE");
		s->bulk = true;
		break;
	case 'F': s->flight = true; break;
	case 'S':
		if (switch_arg(arg))
			return bad("-S argument (expected size[,N], both > 0)", arg);
		s->switch_arg = arg;
		break;
	case 'P': break;	/* prologue searching: our DWARF probes always skip it */
	case OPT_DISABLE_CACHE: s->disable_cache = true; break;
	case OPT_CLEAN_CACHE: s->clean_cache = true; break;
	case OPT_DUMP_FUNCS: s->dump = DUMP_FUNCTIONS; break;
	case OPT_DUMP_ALIASES: s->dump = DUMP_PROBE_ALIASES; break;
	case OPT_DUMP_TYPES: s->dump = DUMP_PROBE_TYPES; break;
	case OPT_SKIP_BADVARS: s->skip_badvars = true; break;
	case OPT_SUPPRESS: s->suppress_handler_errors = true; break;
	case OPT_NO_TIME_LIMITS: s->suppress_time_limits = true; break;
	case OPT_VM:
		s->vm = true;
		s->vm_release = arg;
		break;
	case OPT_PRIVILEGE:
		if (strcmp(arg, "stapdev") && strcmp(arg, "stapsys") && strcmp(arg, "stapusr"))
			return bad("--privilege level", arg);
		s->privilege = arg;
		break;
	case OPT_RUNTIME:
		if (strcmp(arg, "kernel"))
			return bad("--runtime (only 'kernel' is supported)", arg);
		break;
	default:
		fputs("Try 'stap --help' for more information.\n", stderr);
		return -1;
	}
	return 0;
}

/* split $SYSTEMTAP_DIR/rc into words (whitespace separated) */
static int read_rc(struct session *s, struct vec *words)
{
	const char *dir = getenv("SYSTEMTAP_DIR");
	char *path, *buf = NULL;
	size_t cap = 0;
	FILE *f;

	path = dir ? xasprintf("%s/rc", dir) : xasprintf("%s/.systemtap/rc", getenv("HOME") ? getenv("HOME") : "/");
	f = fopen(path, "r");
	free(path);
	if (!f)
		return 0;
	while (getline(&buf, &cap, f) > 0) {
		for (char *w = strtok(buf, " \t\n"); w; w = strtok(NULL, " \t\n"))
			vec_push(words, xstrdup(w));
	}
	free(buf);
	fclose(f);
	(void)s;
	return 0;
}

static int parse_argv(struct session *s, int argc, char **argv)
{
	int c;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		int r = one_opt(s, c, optarg);

		if (r)
			return r < 0 ? -1 : -2;
	}
	return optind;
}

int opt_parse(struct session *s, int argc, char **argv)
{
	struct vec rc = { 0 };
	int r, first;

	read_rc(s, &rc);
	if (rc.n) {
		struct vec av = { 0 };

		vec_push(&av, argv[0]);
		vec_each(&rc, i)
			vec_push(&av, rc.v[i]);
		vec_push(&av, NULL);
		r = parse_argv(s, rc.n + 1, (char **)av.v);
		vec_free(&av);
		if (r < 0)
			return r == -1 ? -1 : 1;
	}
	first = parse_argv(s, argc, argv);
	if (first < 0)
		return first == -1 ? -1 : 1;
	if (s->suppress_time_limits && !s->guru) {
		fputs("ERROR --suppress-time-limits requires guru mode (-g)\n",
		      stderr);
		return -1;
	}
	for (int i = first; i < argc; i++) {
		if (!s->script_text && !s->script_file && !s->list_pattern && !s->dump)
			s->script_file = argv[i];
		else
			vec_push(&s->args, argv[i]);
	}
	if (!getenv("SYSTEMTAP_RELEASE") || s->kernel_release || s->kernel_build_dir)
		return 0;
	s->kernel_release = getenv("SYSTEMTAP_RELEASE");
	return 0;
}
