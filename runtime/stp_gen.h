/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_gen.h - macros the generated code and embedded-C functions use.
 * Generated bodies have a `struct stp_context *c`, a frame pointer `l` and
 * an `out:` label.
 */
#ifndef STP_GEN_H
#define STP_GEN_H

/* MAXACTION: charge n statements; past the limit the handler ends
 * (stap --suppress-time-limits: no limit) */
#ifdef STAP_SUPPRESS_TIME_LIMITS_ENABLE
#define STP_ACT(n, near) do { } while (0)
#else
#define STP_ACT(n, near) do {						\
	if (unlikely((c->actleft -= (n)) < 0)) {			\
		stp_error_fatal(c, "MAXACTION exceeded", near);		\
		goto out;						\
	}								\
} while (0)
#endif

/* ---- for %{ %} function bodies, as stap's embedded-C API ---- */
#define CONTEXT c
#define THIS l
#define STAP_RETURN(v) do { STAP_RETVALUE = (v); goto out; } while (0)
/* STAP_NEAR: "identifier 'f' at file:line:col" of the function */
#define STAP_ERROR(...) do {						\
	stp_errorf(c, STAP_NEAR, __VA_ARGS__);				\
	goto out;							\
} while (0)
#define STAP_PRINTF(fmt, ...) stp_printf_c(c, fmt, ##__VA_ARGS__)

#endif /* STP_GEN_H */
