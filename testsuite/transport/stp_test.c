/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_test.c - a hand-written stand-in for a generated module, laid out the
 * way the translator emits one: include the transport, define the session
 * hooks.  Probes are an hrtimer (hard interrupt context, interrupts off).
 */
#include "transport/transport.c"
#include <linux/hrtimer.h>
#include <linux/ktime.h>

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

static struct hrtimer stp_test_timer;
static int ticks;

static void out(const char *fmt, ...)
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
	hrtimer_init(&stp_test_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	stp_test_timer.function = stp_test_tick;
	hrtimer_start(&stp_test_timer, ms_to_ktime(100), HRTIMER_MODE_REL_HARD);
	return 0;
}

void stp_session_stop(void)
{
	hrtimer_cancel(&stp_test_timer);
	out("end ticks=%d\n", ticks);
}
