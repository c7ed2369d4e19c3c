/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ring.c - the data channel: one byte ring per possible CPU.
 *
 * Each ring has a single producer (its CPU, with interrupts off and a busy
 * flag against NMI nesting) and a single consumer (the data file's reader,
 * under stp_ring_read_lock), so head and tail are free-running counters
 * published with release/acquire and no lock is ever taken on the write
 * side.  A record is { u32 len, u32 seq } + len bytes, padded to 8 bytes so
 * the header never wraps; seq is global and lets the reader merge CPUs back
 * into the order of writing.  A record that does not fit is dropped whole
 * and counted.  Rings exist for the CPUs online at load time (possible
 * CPUs can number hundreds); a CPU that comes up later has none and its
 * records count as dropped.
 *
 * Overwrite mode (a detached session with no reader, see proto.h): a record
 * that does not fit pushes the oldest ones out instead, so the producer
 * moves tail too.  That is safe only with no reader: stp_ring_overwrite_off()
 * waits for every producer that may still see the flag set before a reader
 * starts.  Bulk mode prefixes each record read with its CPU (proto.h).
 * Included by transport.c only.
 */

struct stp_ring {
	char *buf;
	unsigned long head;		/* bytes ever written (producer) */
	unsigned long tail;		/* bytes ever consumed (reader) */
	int busy;			/* a write is in progress on this CPU */
};

struct stp_rec_hdr {
	u32 len;
	u32 seq;
};

#define STP_REC_ALIGN	8

static struct stp_ring __percpu *stp_rings;
static unsigned long stp_ring_size;	/* power of two */
static atomic_t stp_ring_seq = ATOMIC_INIT(0);
static atomic_long_t stp_ring_dropped = ATOMIC_LONG_INIT(0);
static DEFINE_MUTEX(stp_ring_read_lock);
static int stp_ring_overwrite;		/* no reader: drop oldest records */
static bool stp_ring_bulk;		/* reads carry struct stp_bulk_hdr */

static unsigned long stp_ring_mask(void)
{
	return stp_ring_size - 1;
}

static int stp_ring_alloc(unsigned long mb)
{
	int cpu;

	stp_ring_size = roundup_pow_of_two(mb << 20);
	stp_rings = alloc_percpu(struct stp_ring);
	if (!stp_rings)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct stp_ring *r = per_cpu_ptr(stp_rings, cpu);

		r->buf = vmalloc(stp_ring_size);
		if (!r->buf)
			return -ENOMEM;	/* caller frees */
	}
	return 0;
}

size_t stp_transport_mem(void)
{
	size_t n = 0;
	int cpu;

	if (!stp_rings)
		return 0;
	for_each_possible_cpu(cpu)
		if (per_cpu_ptr(stp_rings, cpu)->buf)
			n += stp_ring_size;
	return n;
}

static void stp_ring_free(void)
{
	int cpu;

	if (!stp_rings)
		return;
	for_each_possible_cpu(cpu)
		vfree(per_cpu_ptr(stp_rings, cpu)->buf);
	free_percpu(stp_rings);
	stp_rings = NULL;
}

static void stp_ring_put(struct stp_ring *r, unsigned long pos,
			 const void *src, size_t len)
{
	unsigned long off = pos & stp_ring_mask();
	size_t first = min_t(size_t, len, stp_ring_size - off);

	memcpy(r->buf + off, src, first);
	memcpy(r->buf, (const char *)src + first, len - first);
}

/* the tail past the oldest records whose discarding leaves need bytes
 * free (need <= stp_ring_size) */
static unsigned long stp_ring_skip(const struct stp_ring *r,
				   unsigned long head, unsigned long tail,
				   unsigned long need)
{
	struct stp_rec_hdr old;

	while (need > stp_ring_size - (head - tail)) {
		memcpy(&old, r->buf + (tail & stp_ring_mask()), sizeof(old));
		tail += ALIGN(sizeof(old) + old.len, STP_REC_ALIGN);
	}
	return tail;
}

/* overwrite mode: free need bytes by discarding the oldest records */
static bool stp_ring_make_room(struct stp_ring *r, unsigned long head,
			       unsigned long need)
{
	if (!READ_ONCE(stp_ring_overwrite) || need > stp_ring_size)
		return false;
	smp_store_release(&r->tail, stp_ring_skip(r, head, r->tail, need));
	return true;
}

/*
 * A reader is coming: no producer may move tail from now on.  A ring the
 * detached session filled keeps its newest three quarters: the rest is
 * room for what is written while the reader drains it, which would
 * otherwise be dropped as transport failures (the reader is the only
 * consumer, and none reads yet).
 */
static void stp_ring_overwrite_off(void)
{
	int cpu;

	if (!xchg(&stp_ring_overwrite, 0))
		return;
	/* producers run with interrupts off: an RCU grace period waits for
	 * every one that may have seen the flag set */
	synchronize_rcu();
	mutex_lock(&stp_ring_read_lock);
	for_each_possible_cpu(cpu) {
		struct stp_ring *r = per_cpu_ptr(stp_rings, cpu);

		if (r->buf)
			smp_store_release(&r->tail, stp_ring_skip(r,
				smp_load_acquire(&r->head), r->tail,
				stp_ring_size / 4));
	}
	mutex_unlock(&stp_ring_read_lock);
}

/* Producer side: any context, never sleeps.  0, -ENOSPC or -EBUSY. */
static int stp_ring_write(const char *data, size_t len)
{
	struct stp_ring *r;
	struct stp_rec_hdr h;
	unsigned long flags, head, need;
	int rc = 0;

	need = ALIGN(sizeof(h) + len, STP_REC_ALIGN);
	local_irq_save(flags);
	r = this_cpu_ptr(stp_rings);
	if (unlikely(!r->buf)) {	/* CPU came online after load */
		rc = -ENODEV;
		goto out;
	}
	if (READ_ONCE(r->busy)) {	/* NMI inside a write on this CPU */
		rc = -EBUSY;
		goto out;
	}
	WRITE_ONCE(r->busy, 1);
	barrier();
	head = r->head;
	if (need > stp_ring_size - (head - smp_load_acquire(&r->tail)) &&
	    !stp_ring_make_room(r, head, need)) {
		rc = -ENOSPC;
	} else {
		h.len = len;
		h.seq = atomic_inc_return(&stp_ring_seq);
		memcpy(r->buf + (head & stp_ring_mask()), &h, sizeof(h));
		stp_ring_put(r, head + sizeof(h), data, len);
		smp_store_release(&r->head, head + need);
	}
	barrier();
	WRITE_ONCE(r->busy, 0);
out:
	local_irq_restore(flags);
	if (rc)
		atomic_long_inc(&stp_ring_dropped);
	return rc;
}

/* Consumer side helpers: caller holds stp_ring_read_lock. */
static bool stp_ring_empty(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct stp_ring *r = per_cpu_ptr(stp_rings, cpu);

		if (r->buf && smp_load_acquire(&r->head) != READ_ONCE(r->tail))
			return false;
	}
	return true;
}

/* the ring holding the oldest record, or NULL; its header in *h, its CPU
 * in *cpu */
static struct stp_ring *stp_ring_oldest(struct stp_rec_hdr *h, int *cpu)
{
	struct stp_ring *best = NULL;
	struct stp_rec_hdr cur;
	int c;

	for_each_possible_cpu(c) {
		struct stp_ring *r = per_cpu_ptr(stp_rings, c);

		if (!r->buf || smp_load_acquire(&r->head) == r->tail)
			continue;
		memcpy(&cur, r->buf + (r->tail & stp_ring_mask()), sizeof(cur));
		if (!best || (s32)(cur.seq - h->seq) < 0) {
			best = r;
			*h = cur;
			*cpu = c;
		}
	}
	return best;
}

static int stp_ring_get_user(struct stp_ring *r, unsigned long pos,
			     char __user *dst, size_t len)
{
	unsigned long off = pos & stp_ring_mask();
	size_t first = min_t(size_t, len, stp_ring_size - off);

	if (copy_to_user(dst, r->buf + off, first))
		return -EFAULT;
	if (copy_to_user(dst + first, r->buf, len - first))
		return -EFAULT;
	return 0;
}

/* Copy whole records, oldest first.  Bytes copied, 0 if empty, -errno. */
static ssize_t stp_ring_read(char __user *ubuf, size_t count)
{
	size_t extra = stp_ring_bulk ? sizeof(struct stp_bulk_hdr) : 0;
	struct stp_rec_hdr h;
	struct stp_ring *r;
	size_t done = 0;
	int cpu = 0;

	while ((r = stp_ring_oldest(&h, &cpu)) != NULL) {
		struct stp_bulk_hdr bh = { .cpu = cpu, .len = h.len };

		if (extra + h.len > count - done) {
			if (!done)
				return -EINVAL;
			break;
		}
		if ((extra && copy_to_user(ubuf + done, &bh, extra)) ||
		    stp_ring_get_user(r, r->tail + sizeof(h),
				      ubuf + done + extra, h.len))
			return done ? done : -EFAULT;
		done += extra + h.len;
		smp_store_release(&r->tail, r->tail +
				  ALIGN(sizeof(h) + h.len, STP_REC_ALIGN));
	}
	return done;
}
