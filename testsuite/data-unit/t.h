/* SPDX-License-Identifier: GPL-2.0-or-later */
/* t.h - tiny test helpers for the data unit tests */
#ifndef DATA_T_H
#define DATA_T_H

#include "shim.h"
#include "../../runtime/data/stp_data.h"

static int t_failed;

#define CHECK(name, cond) do { \
	if (cond) \
		printf("PASS: data %s\n", name); \
	else { \
		printf("FAIL: data %s (%s:%d: %s)\n", name, __FILE__, \
		       __LINE__, #cond); \
		t_failed++; \
	} \
} while (0)

#define K(...) ((union stp_kv[]){ __VA_ARGS__ })

#endif
