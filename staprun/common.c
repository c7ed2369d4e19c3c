/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common.c - helpers shared by staprun and stapio */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

void sr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void sr_verbose(int level, const char *prog, const char *fmt, ...)
{
	va_list ap;

	if (level <= 0)
		return;
	if (level > 1)	/* -vv: monotonic ms, comparable across processes */
		fprintf(stderr, "%s[%lld]: ", prog, sr_now_ms());
	else
		fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int sr_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int sr_modname(const char *path, char *buf, size_t n)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 3 && strcmp(base + len - 3, ".ko") == 0)
		len -= 3;
	if (len == 0 || len >= n || len >= 56)	/* MODULE_NAME_LEN - 1 */
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = base[i] == '-' ? '_' : base[i];

		if (!(c == '_' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return -1;
		buf[i] = c;
	}
	buf[len] = 0;
	return 0;
}

void sr_proc_path(char *buf, size_t n, const char *mod, const char *file)
{
	snprintf(buf, n, "/proc/%s/%s/%s", STP_PROC_ROOT, mod, file);
}

int sr_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void sr_exe_dir(char *buf, size_t n, const char *argv0)
{
	ssize_t len = readlink("/proc/self/exe", buf, n - 1);
	char *slash;

	if (len <= 0) {
		snprintf(buf, n, "%s", argv0 ? argv0 : ".");
		len = (ssize_t)strlen(buf);
	}
	buf[len] = 0;
	slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(buf, n, ".");
}

long long sr_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sr_stdio_to_null(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}
