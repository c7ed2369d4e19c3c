/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - whole-file helpers */
#ifndef STAP_UTIL_FILE_H
#define STAP_UTIL_FILE_H

#include <stddef.h>

/* copy from to to, through a temporary file renamed into place, so that
 * a reader (another stap sharing the cache) never sees half a file;
 * 0 or -1 */
int file_copy(const char *from, const char *to);
/* the whole file in a heap buffer, NUL-terminated, its length in *len
 * (when len is not NULL); NULL if unreadable */
char *file_read(const char *path, size_t *len);
/* path := text; 0 or -1 */
int file_write(const char *path, const char *text);

#endif
