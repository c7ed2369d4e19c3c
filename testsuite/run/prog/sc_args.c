/* SPDX-License-Identifier: GPL-2.0-or-later */
/* system calls whose argstr decodes flags (testsuite/run/syscalls.case) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct stat st;
	int status;
	pid_t child;
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED) {
		mprotect(p, 4096, PROT_READ);
		munmap(p, 8192);
	}
	access("/tmp", R_OK | W_OK);
	faccessat(AT_FDCWD, "/", F_OK, 0);
	lseek(0, 0, SEEK_END);
	fcntl(0, F_GETFL);
	fstatat(AT_FDCWD, "/", &st, AT_SYMLINK_NOFOLLOW);
	kill(getpid(), 0);
	kill(getpid(), SIGCONT);
	child = fork();
	if (!child)
		_exit(0);
	if (child > 0)
		waitpid(child, &status, __WALL);
	return 0;
}
