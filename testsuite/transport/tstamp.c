/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tstamp CMD...: run CMD, report ms to its first output line and to exit */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long long t0 = now_ms(), first = -1;
	char line[4096];
	int p[2], st;
	pid_t pid;
	FILE *f;

	if (argc < 2 || pipe(p))
		return 2;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	while (fgets(line, sizeof(line), f)) {
		if (first < 0)
			first = now_ms() - t0;
		fputs(line, stdout);
	}
	waitpid(pid, &st, 0);
	fprintf(stderr, "TIME first-output=%lldms exit=%lldms\n", first,
		now_ms() - t0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
