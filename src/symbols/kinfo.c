/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kinfo.c - the target kernel's release, build tree and cache directories */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "session.h"
#include "symbols/kinfo.h"
#include "util/vec.h"
#include "util/xalloc.h"

static const char *read_release_file(const char *dir)
{
	char *path = xasprintf("%s/include/config/kernel.release", dir);
	FILE *f = fopen(path, "r");
	char buf[256];
	const char *r = NULL;

	free(path);
	if (!f)
		return NULL;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (buf[0])
			r = xstrdup(buf);
	}
	fclose(f);
	return r;
}

struct kinfo *kinfo_get(struct session *s)
{
	struct kinfo *k = s->kinfo;
	struct utsname u;

	if (k)
		return k;
	k = xcalloc(1, sizeof(*k));
	s->kinfo = k;
	k->release = s->kernel_release;
	k->build_dir = s->kernel_build_dir;
	if ((!k->release || !strcmp(k->release, "unknown")) && k->build_dir) {
		const char *r = read_release_file(k->build_dir);

		if (r)
			k->release = r;
	}
	if (!k->release && uname(&u) == 0)
		k->release = xstrdup(u.release);
	if (!k->release)
		k->release = "unknown";
	if (!k->build_dir)
		k->build_dir = xasprintf("/lib/modules/%s/build", k->release);
	return k;
}

void kinfo_cache_dirs(struct session *s, struct vec *out)
{
	struct kinfo *k = kinfo_get(s);
	const char *env = getenv("STAP_DEBUGINFO_DIR");
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CACHE_HOME");

	if (env && *env)
		vec_push(out, xasprintf("%s/%s", env, k->release));
	vec_push(out, xasprintf("/var/cache/stap-debuginfo/%s", k->release));
	if (xdg && *xdg)
		vec_push(out, xasprintf("%s/stap-debuginfo/%s", xdg, k->release));
	else if (home && *home)
		vec_push(out, xasprintf("%s/.cache/stap-debuginfo/%s", home,
					k->release));
}

const char *kinfo_first_file(const char *const *paths)
{
	struct stat st;

	for (; *paths; paths++) {
		if (stat(*paths, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0)
			return *paths;
	}
	return NULL;
}
