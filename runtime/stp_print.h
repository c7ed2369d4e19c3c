/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_print.h - print/printf/sprintf for probe handlers.  Output collects
 * in the context's buffer and goes to the transport when the handler ends
 * (or when the buffer fills), so one hit's output stays together.
 */
#ifndef STP_PRINT_H
#define STP_PRINT_H

/* append n raw bytes to the output */
static void __maybe_unused stp_print_mem(struct stp_context *c,
					 const char *s, size_t n)
{
	if (c->print_len + n > STP_PRINT_BUFSIZE)
		stp_print_flush(c);
	if (n > STP_PRINT_BUFSIZE) {
		stp_transport_write(s, n);
		return;
	}
	memcpy(c->print_buf + c->print_len, s, n);
	c->print_len += n;
}

static void __maybe_unused stp_print_str(struct stp_context *c, const char *s)
{
	stp_print_mem(c, s, strlen(s));
}

/* print(n), printf("%d", n): the decimal number */
static void __maybe_unused stp_print_s64(struct stp_context *c, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	u64 u = v < 0 ? 0 - (u64)v : (u64)v;

	do {
		*--p = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	stp_print_mem(c, p, buf + sizeof(buf) - p);
}

/* printf(fmt, ...): int64_t for numbers, const char * for %s;
 * pass 3 sends formats of plain %d and %s to the two above instead */
static void __maybe_unused stp_printf(struct stp_context *c, const char *near,
				      const char *fmt, ...)
{
	size_t room = STP_PRINT_BUFSIZE - c->print_len;
	struct stp_out o = { c->print_buf + c->print_len, room, 0 };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = stp_vformat(&o, fmt, ap);
	va_end(ap);
	if (o.len > room && c->print_len) {
		/* did not fit: flush and format again into the empty buffer */
		stp_print_flush(c);
		o.buf = c->print_buf;
		o.size = room = STP_PRINT_BUFSIZE;
		o.len = 0;
		va_start(ap, fmt);
		rc = stp_vformat(&o, fmt, ap);
		va_end(ap);
	}
	c->print_len += o.len < room ? o.len : room;
	if (rc)
		stp_error(c, "kernel read fault", near);
}

/* sprintf(fmt, ...) into dst (MAXSTRINGLEN bytes, truncated); returns dst */
static __maybe_unused char *stp_sprintf(struct stp_context *c, char *dst,
					const char *near, const char *fmt, ...)
{
	struct stp_out o = { dst, MAXSTRINGLEN - 1, 0 };
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = stp_vformat(&o, fmt, ap);
	va_end(ap);
	dst[o.len < o.size ? o.len : o.size] = '\0';
	if (rc)
		stp_error(c, "kernel read fault", near);
	return dst;
}

/* C-semantics printf for embedded C (STAP_PRINTF): the kernel's vsnprintf */
static void __maybe_unused __printf(2, 3)
stp_printf_c(struct stp_context *c, const char *fmt, ...)
{
	va_list ap;
	size_t room = STP_PRINT_BUFSIZE - c->print_len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->print_buf + c->print_len, room, fmt, ap);
	va_end(ap);
	if (n >= (int)room && c->print_len) {
		stp_print_flush(c);
		room = STP_PRINT_BUFSIZE;
		va_start(ap, fmt);
		n = vsnprintf(c->print_buf, room, fmt, ap);
		va_end(ap);
	}
	c->print_len += n < (int)room ? n : (int)room - 1;
}

#endif /* STP_PRINT_H */
