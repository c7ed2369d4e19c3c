/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run.c - pass 5 on this host: run staprun on the built module with the
 * session's options and wait for it.  staprun removes the module on every
 * path; this side only relays signals so that a SIGTERM/SIGHUP/SIGINT sent
 * to stap alone still stops the probes (end probes run) before we return.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/run.h"
#include "session.h"
#include "util/vec.h"
#include "util/xalloc.h"

/* staprun next to stap, in the source tree's build/bin, else on PATH */
static char *run_find_staprun(const struct session *s)
{
	static const char *const rel[] = { "staprun", "build/bin/staprun",
					   "../libexec/stap/staprun" };
	struct stat st;

	for (size_t i = 0; s->exe_dir && i < sizeof(rel) / sizeof(rel[0]); i++) {
		char *p = xasprintf("%s/%s", s->exe_dir, rel[i]);

		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return xstrdup("staprun");
}

static void run_push(struct vec *argv, const char *opt, char *val)
{
	vec_push(argv, (void *)opt);
	if (val)
		vec_push(argv, val);
}

struct vec run_staprun_argv(struct session *s, const char *staprun,
			    const char *ko, const char *output_file)
{
	struct vec argv = { 0 };

	run_push(&argv, staprun, NULL);
	/* staprun's own chatter starts at -vv, as with stap */
	for (int i = 1; i < s->verbose[4] && i < 4; i++)
		run_push(&argv, "-v", NULL);
	if (s->no_warnings)
		run_push(&argv, "-w", NULL);
	if (output_file)
		run_push(&argv, "-o", (char *)output_file);
	if (s->target_cmd)
		run_push(&argv, "-c", (char *)s->target_cmd);
	if (s->target_pid > 0)
		run_push(&argv, "-x", arena_printf(&s->arena, "%ld", s->target_pid));
	if (s->timeout_s > 0)
		run_push(&argv, "-T", arena_printf(&s->arena, "%ld", s->timeout_s));
	if (s->buffer_mb > 0)
		run_push(&argv, "-s", arena_printf(&s->arena, "%ld", s->buffer_mb));
	if (s->switch_arg)
		run_push(&argv, "-S", (char *)s->switch_arg);
	/* -F: with -o in the background (stapio's pid is printed), else
	 * load, start and detach */
	if (s->flight)
		run_push(&argv, output_file ? "-D" : "-L", NULL);
	run_push(&argv, (char *)ko, NULL);
	vec_each(&s->global_sets, i)
		run_push(&argv, vec_get(&s->global_sets, i), NULL);
	/* -v: the module prints its memory use as stap's does (proto.h's
	 * STP_PARAM_VERBOSE) */
	if (s->verbose[4] > 0)
		run_push(&argv, "_stp_verbose=1", NULL);
	vec_push(&argv, NULL);
	return argv;
}

static int run_wait(pid_t pid, const sigset_t *set)
{
	int st;

	for (;;) {
		int sig = sigwaitinfo(set, NULL);
		pid_t w;

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (sig != SIGCHLD) {
			kill(pid, sig);		/* staprun forwards to stapio */
			continue;
		}
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			goto done;
	}
	if (waitpid(pid, &st, 0) != pid)
		return 1;
done:
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "stap: staprun died of signal %d\n", WTERMSIG(st));
	return 1;
}

int run_local(struct session *s)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
	char *staprun = run_find_staprun(s);
	struct vec argv = run_staprun_argv(s, staprun, s->ko_file, s->output_file);
	sigset_t set, old;
	pid_t pid;
	int rc;

	if (s->verbose[4] > 1) {
		fprintf(stderr, "Running");
		for (int i = 0; i < argv.n - 1; i++)
			fprintf(stderr, " %s", (char *)vec_get(&argv, i));
		fputc('\n', stderr);
	}
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(staprun, (char **)argv.v);
		fprintf(stderr, "stap: cannot run '%s': %s\n", staprun,
			strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		fprintf(stderr, "stap: fork: %s\n", strerror(errno));
		rc = 1;
	} else {
		rc = run_wait(pid, &set);
	}
	/* a late Ctrl-C must not kill stap after a clean run */
	while (sigtimedwait(&set, NULL, &(struct timespec){ 0 }) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	vec_free(&argv);
	free(staprun);
	return rc;
}
