/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cache.h - compiled modules kept in $SYSTEMTAP_DIR/cache/XX/stap_<hash>.ko
 * (+ .c).  The key is computed before pass 1 from every input that can
 * change the module, so a hit skips passes 1-4 entirely.
 */
#ifndef STAP_CACHE_H
#define STAP_CACHE_H

struct session;

/* 1 on a hit (s->ko_file set), 0 on a miss (s->module_name set to the
 * key-derived name when the user gave none), -1 when caching is off. */
int cache_lookup(struct session *s);
/* after pass 4: copy the .ko and .c into the cache */
void cache_store(struct session *s);
/*
 * Pass 4: where the compiled transport (runtime/transport/, the same for
 * every module) is kept for this translator, kernel build, runtime and
 * the options that reach kbuild: "$SYSTEMTAP_DIR/cache/transport/KEY.o",
 * its directory created; NULL when caching is off.  Free it.
 */
char *cache_transport_object(struct session *s);
/* --clean-cache */
void cache_clean(struct session *s);

#endif
