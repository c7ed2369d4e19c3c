/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run_test.c - run_local() against a fake staprun: argv built from the
 * session, exit status passed back.  Usage: run_test EXE_DIR
 * (EXE_DIR/staprun prints its arguments one per line and exits 3).
 * Then with -S and -F, with and without -o, unless a second argument
 * ("once") asks for the first run only.
 */
#include <stdio.h>
#include <string.h>

#include "run/run.h"
#include "session.h"
#include "util/vec.h"

int main(int argc, char **argv)
{
	struct session s;
	int rc;

	if (argc != 2 && argc != 3)
		return 2;
	memset(&s, 0, sizeof(s));
	s.exe_dir = argv[1];
	s.ko_file = "/tmp/stap_x.ko";
	s.output_file = "out file";
	s.target_cmd = "ls -l";
	s.target_pid = 42;
	s.timeout_s = 7;
	s.buffer_mb = 8;
	s.verbose[4] = 2;
	vec_push(&s.global_sets, "g1=5");
	vec_push(&s.global_sets, "g2=a b");
	rc = run_local(&s);
	printf("rc=%d\n", rc);
	fflush(stdout);
	if (argc == 3)
		return 0;
	/* -S passes on; -F is -D with -o (background), else -L (detach) */
	memset(&s.global_sets, 0, sizeof(s.global_sets));
	s.target_cmd = NULL;
	s.target_pid = s.timeout_s = s.buffer_mb = 0;
	s.verbose[4] = 0;
	s.switch_arg = "2,3";
	s.flight = true;
	printf("rc=%d\n", run_local(&s));
	fflush(stdout);
	s.output_file = NULL;
	printf("rc=%d\n", run_local(&s));
	return 0;
}
