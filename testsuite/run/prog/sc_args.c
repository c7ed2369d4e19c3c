/* SPDX-License-Identifier: GPL-2.0-or-later */
/* system calls whose argstr decodes flags (testsuite/run/syscalls.case) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	struct stat st;
	struct sigaction sa;
	struct timex tx;
	sigset_t set;
	int status, fds[2], s;
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
	umask(022);
	memset(&tx, 0, sizeof(tx));
	syscall(SYS_adjtimex, &tx);	/* glibc's adjtimex is clock_adjtime */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigprocmask(SIG_SETMASK, &set, NULL);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s >= 0)
		close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s >= 0)
		close(s);
	fds[0] = fds[1] = -1;
	if (syscall(SYS_pipe, fds) == 0) {	/* glibc pipe() is pipe2 */
		close(fds[0]);
		close(fds[1]);
	}
	fds[0] = 7;
	fds[1] = 8;
	if (pipe2(fds, O_CLOEXEC) == 0) {
		dup3(fds[0], 10, O_CLOEXEC);
		dup3(fds[1], 11, 0);
	}
	child = fork();
	if (!child)
		_exit(0);
	if (child > 0)
		waitpid(child, &status, __WALL);
	return 0;
}
