/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_map.h - the associative array: one generic implementation,
 * parameterised by the array's key and value layout (struct stp_map_desc,
 * one const per array in the generated code).
 *
 * All entries are preallocated at init: a pool of fixed-size entries
 * (MAXSTRINGLEN bytes per string key or value), a hash table of chains and
 * a free list.  Entries also sit on one list in insertion order; foreach
 * walks that list, a sorted foreach first sorts it (stable merge sort, so
 * ties keep their order), and a full wrap-around array (global a%[N])
 * reuses the entry at its head.  An entry that is deleted keeps its link
 * to the next one, so a foreach whose body deletes the current element
 * goes on with the rest; pool memory stays valid for the whole run.
 *
 * Keys arrive as an array of union stp_kv (n for long keys, s for string
 * keys), the generated code builds it as a compound literal.
 *
 * The hot paths come twice: stp_mapc_*() take the layout d as an argument
 * and are always inlined, so when the generated code passes its const
 * descriptor, hashing and key comparison compile to straight-line code for
 * that array's keys (no loop over key types, constant offsets);
 * stp_map_*() are the same operations with m->d, for everything else.
 */
#ifndef STP_MAP_H
#define STP_MAP_H

struct stp_map_desc {
	const char *name;		/* script name, for messages */
	u8 nkeys;
	u8 ktype[STP_MAP_MAXKEYS];	/* STP_T_LONG / STP_T_STR */
	u8 vtype;			/* STP_T_LONG / STP_T_STR / STP_T_STAT */
	u8 wrap;			/* global a%[N] */
	u32 size;			/* global a[N]; 0 for MAXMAPENTRIES */
	const struct stp_stat_desc *stat;	/* STP_T_STAT values */
};

struct stp_mentry {
	struct stp_mentry *hnext;	/* hash chain, or free list */
	struct stp_mentry *prev, *next;	/* insertion (or sorted) order */
	u32 hash;
	u32 live;
	s64 data[];			/* keys, then the value */
};

struct stp_map {
	const struct stp_map_desc *d;
	u32 max;			/* entries */
	u32 count;
	u32 mask;			/* hash buckets - 1 */
	u32 esize;			/* bytes per entry */
	u32 voff;			/* value offset in data[] (bytes) */
	u32 koff[STP_MAP_MAXKEYS];
	struct stp_mentry **heads;
	struct stp_mentry *first, *last;
	struct stp_mentry *free;
	char *pool;
	char errmsg[64];		/* "Array overflow, check ..." */
};

/* ---- layout ----------------------------------------------------------- */

static inline u32 stp_map_vsize(const struct stp_map_desc *d)
{
	switch (d->vtype) {
	case STP_T_STR:
		return MAXSTRINGLEN;
	case STP_T_STAT:
		return stp_stat_size(d->stat);
	default:
		return sizeof(s64);
	}
}

/* offset of key i in an entry's data[], as stp_map_init lays them out */
static __always_inline u32 stp_md_koff(const struct stp_map_desc *d, int i)
{
	u32 off = 0;
	int j;

	for (j = 0; j < i; j++)
		off = ALIGN(off + (d->ktype[j] == STP_T_STR ? MAXSTRINGLEN :
				   sizeof(s64)), sizeof(s64));
	return off;
}

static __always_inline void *stp_mec_key(const struct stp_map_desc *d,
					 const struct stp_mentry *e, int i)
{
	return (char *)e->data + stp_md_koff(d, i);
}

static __always_inline void *stp_mec_val(const struct stp_map_desc *d,
					 const struct stp_mentry *e)
{
	return (char *)e->data + stp_md_koff(d, d->nkeys);
}

static inline void *stp_me_key(const struct stp_map *m,
			       const struct stp_mentry *e, int i)
{
	return (char *)e->data + m->koff[i];
}

static inline s64 stp_me_long(const struct stp_map *m,
			      const struct stp_mentry *e, int i)
{
	return *(s64 *)stp_me_key(m, e, i);
}

static inline const char *stp_me_str(const struct stp_map *m,
				     const struct stp_mentry *e, int i)
{
	return stp_me_key(m, e, i);
}

static inline void *stp_me_val(const struct stp_map *m,
			       const struct stp_mentry *e)
{
	return (char *)e->data + m->voff;
}

static inline struct stp_mentry *stp_map_entry(const struct stp_map *m, u32 i)
{
	return (struct stp_mentry *)(m->pool + (size_t)i * m->esize);
}

/* the keys of entry e as the generated code passes them */
static inline void stp_map_entry_keys(const struct stp_map *m,
				      const struct stp_mentry *e,
				      union stp_kv *k)
{
	int i;

	for (i = 0; i < m->d->nkeys; i++) {
		if (m->d->ktype[i] == STP_T_STR)
			k[i].s = stp_me_str(m, e, i);
		else
			k[i].n = stp_me_long(m, e, i);
	}
}

/* bytes preallocated for this array (for stap -v) */
static inline size_t stp_map_memsize(const struct stp_map *m)
{
	return (size_t)m->max * m->esize + (m->mask + 1) * sizeof(void *);
}

/* ---- hashing ---------------------------------------------------------- */

static __always_inline u64 stp_hash_mix(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static __always_inline u32 stp_mapc_hash(const struct stp_map_desc *d,
					  const union stp_kv *k)
{
	u64 h = 0x9e3779b97f4a7c15ULL;
	int i;

	/* unrolled: with a constant d, the key types fold away */
#pragma GCC unroll 9
	for (i = 0; i < d->nkeys; i++) {
		if (d->ktype[i] == STP_T_STR) {
			const unsigned char *p = (const unsigned char *)k[i].s;
			int n;

			for (n = 0; p[n] && n < MAXSTRINGLEN - 1; n++)
				h = (h ^ p[n]) * 0x100000001b3ULL;
			h = stp_hash_mix(h + n);
		} else {
			h = stp_hash_mix(h ^ (u64)k[i].n);
		}
	}
	return (u32)h;
}

static inline u32 stp_map_hash(const struct stp_map *m, const union stp_kv *k)
{
	return stp_mapc_hash(m->d, k);
}

static __always_inline bool stp_mapc_key_eq(const struct stp_map_desc *d,
					    const struct stp_mentry *e,
					    const union stp_kv *k, u32 star)
{
	int i;

#pragma GCC unroll 9
	for (i = 0; i < d->nkeys; i++) {
		if (star & (1u << i))
			continue;
		if (d->ktype[i] == STP_T_STR) {
			if (strncmp(stp_mec_key(d, e, i), k[i].s,
				    MAXSTRINGLEN - 1))
				return false;
		} else if (*(s64 *)stp_mec_key(d, e, i) != k[i].n) {
			return false;
		}
	}
	return true;
}

static inline bool stp_map_key_eq(const struct stp_map *m,
				  const struct stp_mentry *e,
				  const union stp_kv *k, u32 star)
{
	return stp_mapc_key_eq(m->d, e, k, star);
}

/* ---- init / teardown (process context) ---------------------------------- */

/* every entry back on the free list (init) */
static inline void stp_map_reset(struct stp_map *m)
{
	u32 i;

	memset(m->heads, 0, (m->mask + 1) * sizeof(*m->heads));
	m->first = m->last = NULL;
	m->free = NULL;
	m->count = 0;
	for (i = m->max; i-- > 0;) {
		struct stp_mentry *e = stp_map_entry(m, i);

		e->live = 0;
		e->prev = e->next = NULL;
		e->hnext = m->free;
		m->free = e;
	}
}

/* delete a: O(entries), any context */
static inline void stp_map_clear(struct stp_map *m)
{
	struct stp_mentry *e;

	for (e = m->first; e; e = e->next) {
		m->heads[e->hash & m->mask] = NULL;
		e->live = 0;
		e->hnext = m->free;
		m->free = e;
	}
	m->first = m->last = NULL;
	m->count = 0;
}

static inline void stp_map_free(struct stp_map *m)
{
	vfree(m->pool);
	vfree(m->heads);
	m->pool = NULL;
	m->heads = NULL;
}

/* zeroed; a script's array too big for the machine is its error (below),
 * not an allocation-failure warning with a call trace in the kernel log,
 * nor a reason for the OOM killer to kill a process */
static inline void *stp_map_vzalloc(size_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			 __GFP_RETRY_MAYFAIL);
#else
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			 __GFP_RETRY_MAYFAIL,
			 PAGE_KERNEL);
#endif
}

/* 0 or -ENOMEM (with an error naming the array) */
static inline int stp_map_init(struct stp_map *m, const struct stp_map_desc *d)
{
	u32 off = 0, nb = 1;
	int i;

	memset(m, 0, sizeof(*m));
	m->d = d;
	m->max = d->size ? d->size : MAXMAPENTRIES;
	for (i = 0; i < d->nkeys; i++) {
		m->koff[i] = off;
		off += d->ktype[i] == STP_T_STR ? MAXSTRINGLEN : sizeof(s64);
		off = ALIGN(off, sizeof(s64));
	}
	m->voff = off;
	off += stp_map_vsize(d);
	m->esize = ALIGN(sizeof(struct stp_mentry) + off, sizeof(s64));
	while (nb < m->max)
		nb <<= 1;
	m->mask = nb - 1;
	m->heads = stp_map_vzalloc(nb * sizeof(*m->heads));
	m->pool = stp_map_vzalloc((size_t)m->max * m->esize);
	if (!m->heads || !m->pool) {
		char msg[128];

		scnprintf(msg, sizeof(msg), "Couldn't allocate %zu KB for "
			  "global '%s' (%u entries)", ((size_t)m->max *
			  m->esize + nb * sizeof(*m->heads)) >> 10,
			  d->name, m->max);
		stp_transport_error(msg);
		stp_map_free(m);
		return -ENOMEM;
	}
	if (d->size)
		snprintf(m->errmsg, sizeof(m->errmsg),
			 "Array overflow, check size limit (%u)", d->size);
	else
		snprintf(m->errmsg, sizeof(m->errmsg),
			 "Array overflow, check MAXMAPENTRIES");
	stp_map_reset(m);
	return 0;
}

/* ---- lookup ----------------------------------------------------------- */

/* the entry of k, whose hash is h, or NULL */
static __always_inline struct stp_mentry *
stp_mapc_lookup_h(const struct stp_map *m, const struct stp_map_desc *d,
		  const union stp_kv *k, u32 h)
{
	struct stp_mentry *e;

	for (e = m->heads[h & m->mask]; e; e = e->hnext)
		if (e->hash == h && stp_mapc_key_eq(d, e, k, 0))
			return e;
	return NULL;
}

static __always_inline struct stp_mentry *
stp_mapc_lookup(const struct stp_map *m, const struct stp_map_desc *d,
		const union stp_kv *k)
{
	return stp_mapc_lookup_h(m, d, k, stp_mapc_hash(d, k));
}

static inline struct stp_mentry *stp_map_lookup(const struct stp_map *m,
						const union stp_kv *k)
{
	return stp_mapc_lookup(m, m->d, k);
}

/* the value of key k, or NULL */
static inline void *stp_map_find(const struct stp_map *m, const union stp_kv *k)
{
	struct stp_mentry *e = stp_map_lookup(m, k);

	return e ? stp_me_val(m, e) : NULL;
}

static inline void stp_map_unlink(struct stp_map *m, struct stp_mentry *e)
{
	struct stp_mentry **pp = &m->heads[e->hash & m->mask];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	if (e->prev)
		e->prev->next = e->next;
	else
		m->first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		m->last = e->prev;
	/* e->next stays: a foreach standing on e goes on from there */
	e->live = 0;
	e->hnext = m->free;
	m->free = e;
	m->count--;
}

/*
 * The value of key k, created (zero / empty string / empty statistic) when
 * missing.  NULL when the array is full and does not wrap: the caller
 * raises m->errmsg.
 */
static void *stp_map_slot_new(struct stp_map *m, const union stp_kv *k, u32 h);

static __always_inline void *stp_mapc_slot(struct stp_map *m,
					   const struct stp_map_desc *d,
					   const union stp_kv *k)
{
	u32 h = stp_mapc_hash(d, k);
	struct stp_mentry *e = stp_mapc_lookup_h(m, d, k, h);

	if (likely(e))
		return stp_mec_val(d, e);
	return stp_map_slot_new(m, k, h);
}

static inline void *stp_map_slot(struct stp_map *m, const union stp_kv *k)
{
	return stp_mapc_slot(m, m->d, k);
}

/* the slow half of stp_map_slot: k (hash h) is not there, add it */
static noinline __maybe_unused void *stp_map_slot_new(struct stp_map *m, const union stp_kv *k,
				    u32 h)
{
	struct stp_mentry *e;
	int i;

	if (!m->free) {
		if (!m->d->wrap || !m->first)
			return NULL;
		stp_map_unlink(m, m->first);
	}
	e = m->free;
	m->free = e->hnext;
	memset(e->data, 0, m->esize - sizeof(*e));
	for (i = 0; i < m->d->nkeys; i++) {
		if (m->d->ktype[i] == STP_T_STR)
			strscpy(stp_me_key(m, e, i), k[i].s, MAXSTRINGLEN);
		else
			*(s64 *)stp_me_key(m, e, i) = k[i].n;
	}
	e->hash = h;
	e->live = 1;
	smp_wmb();	/* the entry is whole before a reader can reach it */
	e->hnext = m->heads[h & m->mask];
	m->heads[h & m->mask] = e;
	e->next = NULL;
	e->prev = m->last;
	if (m->last)
		m->last->next = e;
	else
		m->first = e;
	m->last = e;
	m->count++;
	return stp_me_val(m, e);
}

/* delete a[k]; deleting a missing key is fine */
static inline void stp_map_del(struct stp_map *m, const union stp_kv *k)
{
	struct stp_mentry *e = stp_map_lookup(m, k);

	if (e)
		stp_map_unlink(m, e);
}

/* does entry e match k, ignoring the keys whose bit is set in star? */
static inline bool stp_map_match(const struct stp_map *m,
				 const struct stp_mentry *e,
				 const union stp_kv *k, u32 star)
{
	return stp_map_key_eq(m, e, k, star);
}

/* [k1, *, k3] in a */
static __always_inline bool stp_mapc_has(const struct stp_map *m,
					 const struct stp_map_desc *d,
					 const union stp_kv *k, u32 star)
{
	struct stp_mentry *e;

	if (!star)
		return stp_mapc_lookup(m, d, k) != NULL;
	for (e = m->first; e; e = e->next)
		if (stp_mapc_key_eq(d, e, k, star))
			return true;
	return false;
}

static inline bool stp_map_has_slice(const struct stp_map *m,
				     const union stp_kv *k, u32 star)
{
	return stp_mapc_has(m, m->d, k, star);
}

/* delete a[k1, *, k3] */
static inline void stp_map_del_slice(struct stp_map *m, const union stp_kv *k,
				     u32 star)
{
	struct stp_mentry *e, *n;

	if (!star) {
		stp_map_del(m, k);
		return;
	}
	for (e = m->first; e; e = n) {
		n = e->next;
		if (stp_map_key_eq(m, e, k, star))
			stp_map_unlink(m, e);
	}
}

/* ---- typed access ------------------------------------------------------- */

static __always_inline s64 stp_mapc_get_long(const struct stp_map *m,
					      const struct stp_map_desc *d,
					      const union stp_kv *k)
{
	struct stp_mentry *e = stp_mapc_lookup(m, d, k);

	return e ? *(s64 *)stp_mec_val(d, e) : 0;
}

static inline s64 stp_map_get_long(const struct stp_map *m, const union stp_kv *k)
{
	return stp_mapc_get_long(m, m->d, k);
}

/* copies the value (or "") into dst, MAXSTRINGLEN bytes; returns dst */
static inline char *stp_map_get_str(const struct stp_map *m,
				    const union stp_kv *k, char *dst)
{
	const char *v = stp_map_find(m, k);

	strscpy(dst, v ? v : "", MAXSTRINGLEN);
	return dst;
}

/* 0, or -ENOSPC when full (message in m->errmsg) */
static inline int stp_map_set_long(struct stp_map *m, const union stp_kv *k,
				   s64 val)
{
	s64 *v = stp_map_slot(m, k);

	if (!v)
		return -ENOSPC;
	*v = val;
	return 0;
}

static inline int stp_map_set_str(struct stp_map *m, const union stp_kv *k,
				  const char *val)
{
	char *v = stp_map_slot(m, k);

	if (!v)
		return -ENOSPC;
	strscpy(v, val, MAXSTRINGLEN);
	return 0;
}

/* ---- iteration and sorting ---------------------------------------------- */

static inline struct stp_mentry *stp_map_first(const struct stp_map *m)
{
	return m->first;
}

/* the next live entry after e (e may have been deleted meanwhile) */
static inline struct stp_mentry *stp_map_next(const struct stp_mentry *e)
{
	for (e = e->next; e && !e->live; e = e->next)
		;
	return (struct stp_mentry *)e;
}

/* sort column: 0 the value, 1..nkeys a key */
struct stp_sort {
	const struct stp_map *m;
	int col;
	int dir;		/* +1 ascending, -1 descending */
	int op;			/* STP_OP_* for statistic values */
};

static inline int stp_cmp_s64(s64 a, s64 b)
{
	return a < b ? -1 : a > b;
}

static inline int stp_map_cmp(const struct stp_sort *s,
			      const struct stp_mentry *a,
			      const struct stp_mentry *b)
{
	const struct stp_map *m = s->m;
	int r;

	if (s->col > 0) {
		int i = s->col - 1;

		if (m->d->ktype[i] == STP_T_STR)
			r = strncmp(stp_me_str(m, a, i), stp_me_str(m, b, i),
				    MAXSTRINGLEN);
		else
			r = stp_cmp_s64(stp_me_long(m, a, i),
					stp_me_long(m, b, i));
	} else if (m->d->vtype == STP_T_STR) {
		r = strncmp(stp_me_val(m, a), stp_me_val(m, b), MAXSTRINGLEN);
	} else if (m->d->vtype == STP_T_STAT) {
		s64 x, y;

		stp_stat_get(stp_me_val(m, a), m->d->stat, s->op, &x);
		stp_stat_get(stp_me_val(m, b), m->d->stat, s->op, &y);
		r = stp_cmp_s64(x, y);
	} else {
		r = stp_cmp_s64(*(s64 *)stp_me_val(m, a),
				*(s64 *)stp_me_val(m, b));
	}
	return s->dir < 0 ? -r : r;
}

static inline struct stp_mentry *stp_map_merge(const struct stp_sort *s,
					       struct stp_mentry *a,
					       struct stp_mentry *b)
{
	struct stp_mentry head, *t = &head;

	while (a && b) {
		if (stp_map_cmp(s, b, a) < 0) {
			t->next = b;
			b = b->next;
		} else {
			t->next = a;
			a = a->next;
		}
		t = t->next;
	}
	t->next = a ? a : b;
	return head.next;
}

/*
 * Sort the entries (stable; ties keep their order) for a sorted foreach.
 * Bottom-up merge sort of the list: no memory, O(n log n), no recursion.
 */
static inline void stp_map_sort(struct stp_map *m, int col, int dir, int op)
{
	struct stp_sort s = { m, col, dir, op };
	struct stp_mentry *run[32] = { NULL };
	struct stp_mentry *e, *n, *prev = NULL;
	int i;

	if (!dir || !m->first || !m->first->next)
		return;
	for (e = m->first; e; e = n) {
		n = e->next;
		e->next = NULL;
		for (i = 0; i < 32 && run[i]; i++) {
			e = stp_map_merge(&s, run[i], e);
			run[i] = NULL;
		}
		run[i < 32 ? i : 31] = e;
	}
	e = NULL;
	for (i = 0; i < 32; i++)
		if (run[i])
			e = e ? stp_map_merge(&s, run[i], e) : run[i];
	m->first = e;
	for (; e; e = e->next) {
		e->prev = prev;
		prev = e;
	}
	m->last = prev;
}

#endif /* STP_MAP_H */
