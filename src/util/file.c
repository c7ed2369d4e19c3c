/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - whole-file helpers */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/xalloc.h"

int file_copy(const char *from, const char *to)
{
	char *tmp = xasprintf("%s.tmp%d", to, (int)getpid());
	char buf[65536];
	FILE *in = fopen(from, "r"), *out = in ? fopen(tmp, "w") : NULL;
	size_t n;
	int rc = 0;

	if (!in || !out) {
		rc = -1;
	} else {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (fwrite(buf, 1, n, out) != n)
				rc = -1;
	}
	if (in)
		fclose(in);
	if (out && fclose(out))
		rc = -1;
	if (rc == 0 && rename(tmp, to))
		rc = -1;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

char *file_read(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	size_t cap = 65536, n = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
		cap = (size_t)sb.st_size + 1;	/* + 1: the read that sees EOF */
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t got;

		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

int file_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}
