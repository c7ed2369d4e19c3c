/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file.h - whole-file helpers */
#ifndef STAP_UTIL_FILE_H
#define STAP_UTIL_FILE_H

/* copy from to to, through a temporary file renamed into place, so that
 * a reader (another stap sharing the cache) never sees half a file;
 * 0 or -1 */
int file_copy(const char *from, const char *to);

#endif
