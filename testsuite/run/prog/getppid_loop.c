// SPDX-License-Identifier: GPL-2.0-or-later
/* Calls getppid() N times (argv[1], default 10) and prints "done". */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int work(int n)
{
	int i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return i;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;

	printf("done %d\n", work(n));
	return 0;
}
