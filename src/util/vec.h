/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vec.h - growable array of pointers (heap-backed; owner frees with vec_free) */
#ifndef STAP_VEC_H
#define STAP_VEC_H

#include <stddef.h>

struct vec {
	void **v;
	int n, cap;	/* cap < 0: v is not the vector's own heap array (the
			   parser puts AST vectors in the arena); vec_push
			   moves it to the heap when it must grow, vec_free
			   leaves it alone */
};

void vec_push(struct vec *vec, void *p);
void vec_free(struct vec *vec);

#define vec_get(vec, i) ((vec)->v[(i)])
#define vec_each(vec, i) for (int i = 0; i < (vec)->n; i++)

#endif
