/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stamp CMD ARGS...: run CMD, print ms from start to its first output
 * line, the kprobes registered then, and ms to its exit */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int kprobes(void)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
	int n = 0, ch;

	if (!f)
		return -1;
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	int p[2], st;
	double t0 = now_ms(), first = -1;
	char line[4096];
	FILE *in;
	pid_t pid;
	int kp = -1;

	if (argc < 2 || pipe(p))
		return 2;
	pid = fork();
	if (!pid) {
		dup2(p[1], 1);
		close(p[0]);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	close(p[1]);
	in = fdopen(p[0], "r");
	while (fgets(line, sizeof(line), in)) {
		if (first < 0) {
			first = now_ms() - t0;
			kp = kprobes();
		}
		printf("OUT %s", line);
	}
	waitpid(pid, &st, 0);
	printf("STAMP first_ms=%.0f kprobes=%d total_ms=%.0f status=%d\n",
	       first, kp, now_ms() - t0, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
