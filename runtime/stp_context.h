/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_context.h - what one probe hit runs in: the per-CPU context (locals,
 * output buffer, error state), the session state that decides which probes
 * may run, the locks on globals, error reporting, and stp_probe_run(), the
 * one entry every probe family calls.
 *
 * Locals never live on the kernel stack: the generated code defines
 * union stp_frame (one member per probe handler and per function) and each
 * CPU's context owns MAXNESTING + 1 of them, frame 0 for the probe handler
 * and frame N for a function called at depth N.
 */
#ifndef STP_CONTEXT_H
#define STP_CONTEXT_H

struct stp_context;

typedef void (*stp_probe_fn)(struct stp_context *c);

/* one global's lock a probe handler takes: read or write */
struct stp_lockreq {
	rwlock_t *lock;
	bool write;
	const char *name;		/* the global, for -t's report */
	atomic_t *contended;		/* -t: failed tries to take it */
};

/* a probe handler, as the generated code describes it */
/* stap -t: hits and cycles of one probe handler */
struct stp_timing {
	raw_spinlock_t lock;
	u64 hits, sum, min, max;
	s64 avg, m2;			/* Welford: running mean, squares */
};

struct stp_probe {
	stp_probe_fn fn;
	const char *pp;			/* the probe point, for messages */
	const struct stp_lockreq *locks;	/* in global order */
	unsigned int nlocks;
	unsigned int flags;		/* family-specific */
	const char *loc;		/* "file:line:col" of the probe */
	const char *from;		/* -t: how pp was derived, or NULL */
	struct stp_timing *timing;	/* with -t (STP_TIMING), else NULL */
};

struct stp_context {
	local_t busy;			/* reentrancy guard (this CPU only) */
	int nesting;			/* current frame: 0 probe, N function */
	long actleft;			/* statements left in this hit's budget */
	int unwind;			/* error or `next`: leave every frame */
	bool fatal;			/* the error cannot be caught (try) */
	const struct stp_probe *probe;
	struct pt_regs *regs;		/* registers at the probe, or NULL */
	const char *func;		/* probefunc() without kernel regs: set
					 * by the handler (tp_syscall.*), or NULL */
	const char *last_error;		/* message, or NULL */
	const char *error_near;		/* "operator '/' at file:1:2" */
	const char *fn_near;		/* the embedded-C function running: near
					 * for its errors that name no place */
	void *frames;			/* union stp_frame[MAXNESTING + 1] */
	u64 ol_start, ol_used;		/* overload check: window start, cycles used */
	unsigned int print_len;
	char print_buf[STP_PRINT_BUFSIZE];
	char error_buf[MAXSTRINGLEN];	/* dynamic error messages */
	char report_buf[MAXSTRINGLEN + 256];
	u16 re_work[5 * STP_RE_MAXPROG + 2];	/* stp_regex_match() scratch */
};

/* which probes may run: begin in STARTING, the others in RUNNING, end and
 * error in STOPPING */
enum {
	STP_SS_IDLE,
	STP_SS_STARTING,
	STP_SS_RUNNING,
	STP_SS_STOPPING,
	STP_SS_STOPPED,
};

struct stp_runtime {
	atomic_t state;			/* STP_SS_* */
	atomic_t errors;
	atomic_t skipped;
	atomic_t skipped_reentry;
	atomic_t skipped_lock;
	atomic_t skipped_stack;
	atomic_t too_many_skipped;
	atomic_t aborted;		/* abort(): no end probes */
	atomic_t overloaded;
	const char *lock_timeout;	/* a global whose lock timed out */
	struct stp_context **ctx;	/* [nr_cpu_ids] */
	size_t mem_ctx;			/* bytes of ctx (stap -v) */
	size_t mem_alloc;		/* bytes of arrays, statistics... */
};

static struct stp_runtime stp_rt;

/* ---- contexts ---------------------------------------------------------- */

static void __maybe_unused stp_contexts_free(void)
{
	unsigned int cpu;

	if (!stp_rt.ctx)
		return;
	for_each_possible_cpu(cpu)
		vfree(stp_rt.ctx[cpu]);
	kfree(stp_rt.ctx);
	stp_rt.ctx = NULL;
}

static int __maybe_unused stp_contexts_alloc(size_t frames_size)
{
	size_t head = ALIGN(sizeof(struct stp_context), 64);
	unsigned int cpu;

	stp_rt.ctx = kcalloc(nr_cpu_ids, sizeof(*stp_rt.ctx), GFP_KERNEL);
	if (!stp_rt.ctx)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct stp_context *c = vzalloc(head + frames_size);

		if (!c) {
			stp_contexts_free();
			return -ENOMEM;
		}
		c->frames = (char *)c + head;
		stp_rt.ctx[cpu] = c;
	}
	stp_rt.mem_ctx = nr_cpu_ids * sizeof(*stp_rt.ctx) +
			 num_possible_cpus() * (head + frames_size);
	return 0;
}

/* ---- session state ------------------------------------------------------ */

/* exit(): no more probes but end/error ones; the transport stops us */
static void __maybe_unused stp_request_exit(void)
{
	atomic_cmpxchg(&stp_rt.state, STP_SS_STARTING, STP_SS_STOPPING);
	atomic_cmpxchg(&stp_rt.state, STP_SS_RUNNING, STP_SS_STOPPING);
	stp_transport_request_exit();
}

/* abort(): like exit(), but end probes do not run and the handler stops */
static void __maybe_unused stp_abort(struct stp_context *c)
{
	atomic_set(&stp_rt.aborted, 1);
	c->unwind = 1;
	c->fatal = true;
	stp_request_exit();
}

/* ---- errors ------------------------------------------------------------- */

/* Raise an error in a probe; the handler unwinds to a catch or its end. */
static void __maybe_unused stp_error(struct stp_context *c, const char *msg,
				     const char *near)
{
	if (c->last_error)
		return;
	c->last_error = msg;
	c->error_near = near ? near : c->fn_near;
	c->unwind = 1;
}

/* an error no try/catch can stop (limits) */
static void __maybe_unused stp_error_fatal(struct stp_context *c,
					   const char *msg, const char *near)
{
	stp_error(c, msg, near);
	c->fatal = true;
}

/* error(msg) from a script: the text is copied */
static void __maybe_unused stp_error_str(struct stp_context *c,
					 const char *msg, const char *near)
{
	if (c->last_error)
		return;
	strscpy(c->error_buf, msg, sizeof(c->error_buf));
	stp_error(c, c->error_buf, near);
}

static void __maybe_unused stp_errorf(struct stp_context *c, const char *near,
				      const char *fmt, ...)
{
	va_list ap;

	if (c->last_error)
		return;
	va_start(ap, fmt);
	vscnprintf(c->error_buf, sizeof(c->error_buf), fmt, ap);
	va_end(ap);
	stp_error(c, c->error_buf, near);
}

/* try/catch caught the error: forget it */
static void __maybe_unused stp_error_clear(struct stp_context *c)
{
	c->last_error = NULL;
	c->error_near = NULL;
	c->unwind = 0;
	c->fatal = false;
}

static void stp_count_error(void)
{
	if (atomic_inc_return(&stp_rt.errors) > MAXERRORS)
		stp_request_exit();
}

static void stp_report_error(struct stp_context *c)
{
	if (c->error_near)
		scnprintf(c->report_buf, sizeof(c->report_buf), "%s near %s",
			  c->last_error, c->error_near);
	else
		strscpy(c->report_buf, c->last_error, sizeof(c->report_buf));
	stp_transport_error(c->report_buf);
	stp_count_error();
}

static void stp_skip(atomic_t *reason)
{
	atomic_inc(reason);
	if (atomic_inc_return(&stp_rt.skipped) > MAXSKIPPED &&
	    !atomic_xchg(&stp_rt.too_many_skipped, 1)) {
		/* an error message, but not counted as one (as stap) */
		stp_transport_error("Skipped too many probes, check MAXSKIPPED "
				    "or try again with stap -t for more details.");
		stp_request_exit();
	}
}

/* ---- locks on globals --------------------------------------------------- */

static void stp_unlock_n(const struct stp_lockreq *l, unsigned int n)
{
	while (n--) {
		if (l[n].write)
			write_unlock(l[n].lock);
		else
			read_unlock(l[n].lock);
	}
}

static bool stp_lock_all(const struct stp_probe *p)
{
	unsigned int i;

	for (i = 0; i < p->nlocks; i++) {
		const struct stp_lockreq *l = &p->locks[i];
		int tries __maybe_unused = 0;

		while (!(l->write ? write_trylock(l->lock) :
			 read_trylock(l->lock))) {
#ifdef STP_TIMING
			atomic_inc(l->contended);
#endif
#ifndef STAP_SUPPRESS_TIME_LIMITS_ENABLE	/* else: wait as long as it takes */
			if (++tries > MAXTRYLOCK) {
				WRITE_ONCE(stp_rt.lock_timeout, l->name);
				stp_unlock_n(p->locks, i);
				return false;
			}
#endif
			udelay(TRYLOCKDELAY);
		}
	}
	return true;
}

/* ---- output ------------------------------------------------------------- */

static void __maybe_unused stp_print_flush(struct stp_context *c)
{
	if (c->print_len) {
		stp_transport_write(c->print_buf, c->print_len);
		c->print_len = 0;
	}
}

/* ---- running a probe ---------------------------------------------------- */

/*
 * May a probe hit on this CPU run a handler now (session running, none of
 * ours running here)?  For the return points on ftrace: their entry hooks
 * a return only then, as kprobes hooks none while kprobe_running() (which
 * modules cannot read): no return hooked from inside a return handler, and
 * none left pending once the session stops.
 */
static inline bool __maybe_unused stp_probe_may_run(void)
{
	return atomic_read(&stp_rt.state) == STP_SS_RUNNING && stp_rt.ctx &&
	       !local_read(&stp_rt.ctx[smp_processor_id()]->busy);
}

#ifndef STP_NO_OVERLOAD
/* too much of this CPU's time in probes ends the session */
static void stp_overload(struct stp_context *c, u64 t0)
{
	u64 now = get_cycles();

	c->ol_used += now - t0;
	if (now - c->ol_start < STP_OVERLOAD_INTERVAL)
		return;
	if (c->ol_used > STP_OVERLOAD_THRESHOLD &&
	    !atomic_xchg(&stp_rt.overloaded, 1)) {
		scnprintf(c->report_buf, sizeof(c->report_buf),
			  "probe overhead (%llu cycles) exceeded threshold "
			  "(%llu cycles) in last %llu cycles",
			  (unsigned long long)c->ol_used,
			  (unsigned long long)STP_OVERLOAD_THRESHOLD,
			  (unsigned long long)STP_OVERLOAD_INTERVAL);
		stp_transport_error(c->report_buf);
		stp_count_error();
	}
	c->ol_start = now;
	c->ol_used = 0;
}
#endif

static void __maybe_unused stp_timing_init(struct stp_timing *t, int n)
{
	while (n--)
		raw_spin_lock_init(&t[n].lock);
}

static void stp_timing_add(struct stp_timing *t, u64 cycles)
{
	raw_spin_lock(&t->lock);
	if (!t->hits || cycles < t->min)
		t->min = cycles;
	if (cycles > t->max)
		t->max = cycles;
	t->hits++;
	t->sum += cycles;
	if (t->hits == 1) {
		t->avg = (s64)cycles;
	} else {
		s64 delta = (s64)cycles - t->avg;

		t->avg += div64_s64(delta, (s64)t->hits);
		t->m2 += delta * ((s64)cycles - t->avg);
	}
	raw_spin_unlock(&t->lock);
}

/* the sample variance of the times, as stap's integer @variance */
static u64 __maybe_unused stp_timing_variance(const struct stp_timing *t)
{
	return t->hits > 1 ? div64_s64(t->m2, (s64)t->hits - 1) : 0;
}

/*
 * The handler of p in context c, which this CPU holds (busy guard taken,
 * interrupts off): its locks, a fresh action budget, its errors reported.
 * account: charge its time to the overload check (a dispatcher running
 * several handlers for one hit charges the whole hit instead).
 */
static void stp_probe_body(struct stp_context *c, const struct stp_probe *p,
			   struct pt_regs *regs, bool account)
{
	u64 t0;

	if (!stp_lock_all(p)) {
		stp_skip(&stp_rt.skipped_lock);
		return;
	}
	c->probe = p;
	c->regs = regs;
	c->func = NULL;
	c->nesting = 0;
	/* stap 4.8 on this kernel gives every probe the interruptible
	 * budget (measured: 10 x MAXACTION in kprobe, tracepoint and timer
	 * probes alike) */
	c->actleft = MAXACTION_INTERRUPTIBLE;
	c->unwind = 0;
	c->fatal = false;
	c->last_error = NULL;
	c->error_near = NULL;
	c->fn_near = NULL;
	t0 = get_cycles();
	p->fn(c);
#ifndef STP_NO_OVERLOAD
	if (account)
		stp_overload(c, t0);
#endif
	if (p->timing)
		stp_timing_add(p->timing, get_cycles() - t0);
	stp_unlock_n(p->locks, p->nlocks);
	stp_print_flush(c);
#ifndef STP_SUPPRESS_HANDLER_ERRORS
	if (c->last_error)
		stp_report_error(c);
#endif
	c->last_error = NULL;
	c->unwind = 0;
	c->probe = NULL;
	c->regs = NULL;
}

/*
 * From a dispatcher's handler (a probe whose fn picks the handlers one hit
 * runs, e.g. one tracepoint callback shared by many probes): run p as if
 * it had been hit on its own, then give the context back to the caller.
 */
static void __maybe_unused stp_probe_chain(struct stp_context *c,
					   const struct stp_probe *p)
{
	const struct stp_probe *outer = c->probe;
	struct pt_regs *regs = c->regs;

	stp_probe_body(c, p, regs, false);
	c->probe = outer;
	c->regs = regs;
}

/*
 * Run probe p on this CPU if the session is in state `state`; any context.
 * Interrupts stay off for the whole handler: a second probe hit on this CPU
 * comes from the handler itself (its calls into probed functions) or an
 * NMI, and the busy guard skips it.  For a kprobe or ftrace hit (missable)
 * that is what kprobes counts as missed: not a skipped probe, so a probe on
 * a lock function does not end the session at MAXSKIPPED (stap -t still
 * reports it).
 */
static void __maybe_unused stp_probe_enter(const struct stp_probe *p,
					   struct pt_regs *regs, int state,
					   bool missable)
{
	struct stp_context *c;
	unsigned long flags;

	local_irq_save(flags);
	if (atomic_read(&stp_rt.state) != state || unlikely(!stp_rt.ctx))
		goto out;
	c = stp_rt.ctx[smp_processor_id()];
	/* task and IRQ stacks are THREAD_SIZE-aligned and grow down */
	if (unlikely(!in_nmi() &&
		     ((unsigned long)&flags & (THREAD_SIZE - 1)) < MINSTACKSPACE)) {
		stp_skip(&stp_rt.skipped_stack);
		goto out;
	}
	if (local_inc_return(&c->busy) != 1) {
		if (missable)
			atomic_inc(&stp_rt.skipped_reentry);
		else
			stp_skip(&stp_rt.skipped_reentry);
		goto busy;
	}
	stp_probe_body(c, p, regs, state == STP_SS_RUNNING);
busy:
	local_dec(&c->busy);
out:
	local_irq_restore(flags);
}

static void __maybe_unused stp_probe_run(const struct stp_probe *p,
					 struct pt_regs *regs, int state)
{
	stp_probe_enter(p, regs, state, false);
}

/* ---- session start and stop, around the generated parts ----------------- */

static int __maybe_unused stp_rt_start(size_t frames_size)
{
	int rc;

	atomic_set(&stp_rt.errors, 0);
	atomic_set(&stp_rt.skipped, 0);
	atomic_set(&stp_rt.skipped_reentry, 0);
	atomic_set(&stp_rt.skipped_lock, 0);
	atomic_set(&stp_rt.skipped_stack, 0);
	atomic_set(&stp_rt.too_many_skipped, 0);
	atomic_set(&stp_rt.aborted, 0);
	atomic_set(&stp_rt.overloaded, 0);
	stp_rt.lock_timeout = NULL;
	rc = stp_contexts_alloc(frames_size);
	if (rc)
		return rc;
	atomic_set(&stp_rt.state, STP_SS_STARTING);
	return 0;
}

/* begin probes are done: the others may run, unless exit() came first */
static void __maybe_unused stp_rt_running(void)
{
	atomic_cmpxchg(&stp_rt.state, STP_SS_STARTING, STP_SS_RUNNING);
}

/* registration failed: nothing runs, nothing stays */
static void __maybe_unused stp_rt_abort(void)
{
	atomic_set(&stp_rt.state, STP_SS_STOPPED);
	stp_contexts_free();
}

/* first half of stop: false when the session is not running */
static bool __maybe_unused stp_rt_stopping(void)
{
	int s = atomic_read(&stp_rt.state);

	if (s == STP_SS_IDLE || s == STP_SS_STOPPED)
		return false;
	atomic_set(&stp_rt.state, STP_SS_STOPPING);
	return true;
}

/* stap -t: "----- probe hit report:" on the output, one line a probe;
 * then the globals whose locks were contended (gl: NULL-lock ended) */
static void __maybe_unused stp_rt_report(const struct stp_probe *probes, int n,
					 const struct stp_lockreq *gl)
{
	char line[512];
	int i, len;

	len = scnprintf(line, sizeof(line), "----- probe hit report: \n");
	stp_transport_write(line, len);
	for (i = 0; i < n; i++) {
		const struct stp_probe *p = &probes[i];
		struct stp_timing *t = p->timing;

		if (!t || !t->hits)
			continue;
		len = scnprintf(line, sizeof(line),
				"%s, (%s), hits: %llu, cycles: %llumin/%lluavg/%llumax, variance: %llu, from: %s, index: %d\n",
				p->pp, p->loc ? p->loc : "", t->hits, t->min,
				div64_u64(t->sum, t->hits), t->max,
				stp_timing_variance(t), p->from ? p->from : p->pp,
				i);
		stp_transport_write(line, len);
	}
	/* stap 4.8 follows with the module-refresh timings (module load
	 * notifications re-registering probes); ours (stp_kmod.h) are not
	 * timed yet, so the section stays empty */
	len = scnprintf(line, sizeof(line), "----- refresh report:\n");
	stp_transport_write(line, len);
	for (; gl && gl->lock; gl++) {
		int ctr = atomic_read(gl->contended);

		if (!ctr)
			continue;
		len = scnprintf(line, sizeof(line),
				"'__global_%s' lock contention occurred %d times\n",
				gl->name, ctr);
		stp_transport_write(line, len);
	}
}

/* second half: report what went wrong, free the contexts */
static void __maybe_unused stp_rt_stopped(void)
{
	int errors = atomic_read(&stp_rt.errors);
	int skipped = atomic_read(&stp_rt.skipped);

	atomic_set(&stp_rt.state, STP_SS_STOPPED);
	if (errors || skipped) {
		char msg[128];

		scnprintf(msg, sizeof(msg),
			  "Number of errors: %d, skipped probes: %d",
			  errors, skipped);
		stp_transport_warn(msg);
	}
#ifdef STP_TIMING
	if (atomic_read(&stp_rt.skipped_lock)) {
		char msg[128];

		scnprintf(msg, sizeof(msg),
			  "Skipped due to global '__global_%s' lock timeout: %d",
			  stp_rt.lock_timeout ? stp_rt.lock_timeout : "?",
			  atomic_read(&stp_rt.skipped_lock));
		stp_transport_warn(msg);
	}
	if (atomic_read(&stp_rt.skipped_reentry)) {
		char msg[128];

		scnprintf(msg, sizeof(msg),
			  "Skipped due to reentrancy: %d",
			  atomic_read(&stp_rt.skipped_reentry));
		stp_transport_warn(msg);
	}
	if (atomic_read(&stp_rt.skipped_stack)) {
		char msg[128];

		scnprintf(msg, sizeof(msg), "Skipped due to low stack: %d",
			  atomic_read(&stp_rt.skipped_stack));
		stp_transport_warn(msg);
	}
#endif
	stp_contexts_free();
}

#include "stp_meminfo.h"

#endif /* STP_CONTEXT_H */
