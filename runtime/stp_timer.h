/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_timer.h - timer.{s,ms,us,ns,jiffies,hz}(N)[.randomize(M)] on
 * hrtimers, and timer.profile as one pinned hrtimer per CPU firing every
 * tick.  Started and stopped from process context.
 */
#ifndef STP_TIMER_H
#define STP_TIMER_H

struct stp_timer {
	struct hrtimer t;
	const struct stp_probe *probe;
	u64 period_ns;
	u64 rand_ns;		/* randomize: +- this much per period */
};

static ktime_t stp_timer_next(const struct stp_timer *st)
{
	u64 ns = st->period_ns;

	if (st->rand_ns) {
		u64 r = get_random_u32() % (2 * st->rand_ns + 1);

		ns = ns + r > st->rand_ns ? ns + r - st->rand_ns : 1;
	}
	return ns_to_ktime(ns);
}

static enum hrtimer_restart stp_timer_fire(struct hrtimer *t)
{
	struct stp_timer *st = container_of(t, struct stp_timer, t);

	stp_probe_run(st->probe, NULL, STP_SS_RUNNING);
	hrtimer_forward_now(t, stp_timer_next(st));
	return HRTIMER_RESTART;
}

static int __maybe_unused stp_timers_start(struct stp_timer *ts, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		hrtimer_init(&ts[i].t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		ts[i].t.function = stp_timer_fire;
		hrtimer_start(&ts[i].t, stp_timer_next(&ts[i]),
			      HRTIMER_MODE_REL);
	}
	return 0;
}

static void __maybe_unused stp_timers_stop(struct stp_timer *ts, int n)
{
	int i;

	for (i = 0; i < n; i++)
		hrtimer_cancel(&ts[i].t);
}

/* ---- timer.profile ------------------------------------------------------- */

struct stp_profile_slot {
	struct hrtimer t;
	const struct stp_probe *probe;
};

struct stp_profile {
	const struct stp_probe *probe;
	struct stp_profile_slot *slots;	/* [nr_cpu_ids] */
};

static enum hrtimer_restart stp_profile_fire(struct hrtimer *t)
{
	struct stp_profile_slot *s = container_of(t, struct stp_profile_slot, t);

	stp_probe_run(s->probe, get_irq_regs(), STP_SS_RUNNING);
	hrtimer_forward_now(t, ns_to_ktime(TICK_NSEC));
	return HRTIMER_RESTART;
}

static void stp_profile_start_cpu(void *data)
{
	struct stp_profile *sp = data;

	hrtimer_start(&sp->slots[smp_processor_id()].t, ns_to_ktime(TICK_NSEC),
		      HRTIMER_MODE_REL_PINNED);
}

static int __maybe_unused stp_profile_start(struct stp_profile *sp)
{
	struct stp_profile_slot *slots;
	unsigned int cpu;

	slots = kcalloc(nr_cpu_ids, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		hrtimer_init(&slots[cpu].t, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED);
		slots[cpu].t.function = stp_profile_fire;
		slots[cpu].probe = sp->probe;
	}
	sp->slots = slots;
	cpus_read_lock();
	on_each_cpu(stp_profile_start_cpu, sp, 1);
	cpus_read_unlock();
	return 0;
}

static void __maybe_unused stp_profile_stop(struct stp_profile *sp)
{
	struct stp_profile_slot *slots = sp->slots;
	unsigned int cpu;

	if (!slots)
		return;
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&slots[cpu].t);
	kfree(slots);
	sp->slots = NULL;
}

#endif /* STP_TIMER_H */
