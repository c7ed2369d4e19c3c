/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.c - whole-file helpers */
#include <stdio.h>
#include <stdlib.h>
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
