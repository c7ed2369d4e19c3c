/* SPDX-License-Identifier: GPL-2.0-or-later */
/* getppid-loop [N]: N getppid() system calls (after 1000 to warm up);
 * prints "LOOP ns-per-call".  The benches' hot system call. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i;
	struct timespec a, b;

	for (i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("LOOP %.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
