/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_test.c - a hand-written stand-in for a generated module, laid out the
 * way the translator emits one: include the transport, define the session
 * hooks.  Probes are an hrtimer (hard interrupt context, interrupts off)
 * and, with sched=N, the sched_switch tracepoint (scheduler context, run
 * queue locked), which calls exit() at its Nth hit.
 */
#include "transport/transport.c"
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/tracepoint.h>

static int exit_at = 5;		/* tick that calls exit(); 0 = never */
module_param(exit_at, int, 0444);
static int flood;		/* records written at flood_tick (0: begin) */
module_param(flood, int, 0444);
static int flood_tick;
module_param(flood_tick, int, 0444);
static int fail_start;		/* begin reports an error and fails */
module_param(fail_start, int, 0444);
static char *greeting = "hello";
module_param(greeting, charp, 0444);

static int sched;
module_param(sched, int, 0444);

static struct hrtimer stp_test_timer;
static int ticks;
static struct tracepoint *stp_test_tp;
static atomic_t switches = ATOMIC_INIT(0);

static __printf(1, 2) void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	stp_transport_write(buf, n);
}

static void stp_test_flood(void)
{
	int i;

	for (i = 0; i < flood; i++)
		out("flood %d ........................................\n", i);
}

static enum hrtimer_restart stp_test_tick(struct hrtimer *t)
{
	ticks++;
	out("tick %d irqs_off=%d hardirq=%d\n", ticks, !!irqs_disabled(),
	    !!in_hardirq());
	if (flood_tick && ticks == flood_tick)
		stp_test_flood();
	if (ticks == exit_at) {
		stp_transport_warn("exit from hardirq");
		stp_transport_request_exit();
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(t, ms_to_ktime(100));
	return HRTIMER_RESTART;
}

static void stp_test_sched(void *data, bool preempt, struct task_struct *prev,
			   struct task_struct *next, unsigned int prev_state)
{
	int n = atomic_inc_return(&switches);

	if (n > sched)
		return;
	out("sched %d\n", n);
	if (n == sched) {
		stp_transport_warn("exit from sched_switch");
		stp_transport_request_exit();
	}
}

static void stp_test_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_switch"))
		stp_test_tp = tp;
}

static int stp_test_sched_start(void)
{
	for_each_kernel_tracepoint(stp_test_find_tp, NULL);
	if (!stp_test_tp)
		return -ENOENT;
	return tracepoint_probe_register(stp_test_tp, stp_test_sched, NULL);
}

int stp_session_start(void)
{
	out("begin %s target=%d\n", greeting, stp_transport_target());
	if (!flood_tick)
		stp_test_flood();
	if (fail_start) {
		stp_transport_error("begin failed on purpose");
		return -EINVAL;
	}
	stp_transport_warn("a warning from begin");
	if (sched) {
		int rc = stp_test_sched_start();

		if (rc)
			return rc;
	}
	hrtimer_init(&stp_test_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	stp_test_timer.function = stp_test_tick;
	hrtimer_start(&stp_test_timer, ms_to_ktime(100), HRTIMER_MODE_REL_HARD);
	return 0;
}

void stp_session_stop(void)
{
	hrtimer_cancel(&stp_test_timer);
	if (sched) {
		tracepoint_probe_unregister(stp_test_tp, stp_test_sched, NULL);
		tracepoint_synchronize_unregister();
	}
	out("end ticks=%d\n", ticks);
}
