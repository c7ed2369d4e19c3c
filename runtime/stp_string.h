/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_string.h - script strings: MAXSTRINGLEN-byte buffers, truncated
 * silently, always NUL-terminated.
 */
#ifndef STP_STRING_H
#define STP_STRING_H

/* dst = src; returns dst */
static __maybe_unused char *stp_strcpy(char *dst, const char *src)
{
	if (dst != src)
		strscpy(dst, src, MAXSTRINGLEN);
	return dst;
}

/*
 * dst = t->comm without task_lock: a probe may interrupt the task while
 * it holds its own lock (exec renaming it), so __get_task_comm() would
 * deadlock.  A racing rename can give a mix of old and new names, never
 * an unterminated one.
 */
static __maybe_unused char *stp_task_comm(char *dst,
					  const struct task_struct *t)
{
	char comm[TASK_COMM_LEN];

	memcpy(comm, t->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	return stp_strcpy(dst, comm);
}

/* dst .= src (src may overlap dst); returns dst */
static __maybe_unused char *stp_strcat(char *dst, const char *src)
{
	size_t dl = strnlen(dst, MAXSTRINGLEN - 1);
	size_t sl = strnlen(src, MAXSTRINGLEN - 1);

	if (dl + sl > MAXSTRINGLEN - 1)
		sl = MAXSTRINGLEN - 1 - dl;
	memmove(dst + dl, src, sl);
	dst[dl + sl] = '\0';
	return dst;
}

/* dst = a . b (dst distinct from a and b); returns dst */
static __maybe_unused char *stp_concat(char *dst, const char *a, const char *b)
{
	stp_strcpy(dst, a);
	return stp_strcat(dst, b);
}

/* substr(s, start, len): start counts from 0; out of range gives "" */
static __maybe_unused char *stp_substr(char *dst, const char *s,
				       int64_t start, int64_t len)
{
	size_t sl = strnlen(s, MAXSTRINGLEN - 1);

	if (start < 0 || len <= 0 || (uint64_t)start >= sl) {
		dst[0] = '\0';
		return dst;
	}
	if ((uint64_t)len > sl - start)
		len = sl - start;
	memmove(dst, s + start, len);
	dst[len] = '\0';
	return dst;
}

/* stringat(s, pos): the character code at pos; error out of range */
static int64_t __maybe_unused stp_stringat(struct stp_context *c,
					   const char *s, int64_t pos,
					   const char *near)
{
	if (pos < 0 || (uint64_t)pos >= strnlen(s, MAXSTRINGLEN)) {
		stp_error(c, "Invalid index", near);
		return 0;
	}
	return (unsigned char)s[pos];
}

static int64_t __maybe_unused stp_isinstr(const char *big, const char *little)
{
	return strstr(big, little) != NULL;
}

/* number to decimal string (print of a long); returns dst */
static __maybe_unused char *stp_lltoa(char *dst, int64_t v)
{
	snprintf(dst, MAXSTRINGLEN, "%lld", (long long)v);
	return dst;
}

#endif /* STP_STRING_H */
