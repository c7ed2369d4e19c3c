/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl.c - control messages towards stapio and the session state machine.
 *
 * Outgoing messages (proto.h framing) wait in a small byte queue under a
 * raw spinlock taken with interrupts off (trylock in NMI), so WARN/ERROR
 * can be raised from any context.  The last STP_CTL_RESERVE bytes are kept
 * for STARTED/EXIT/DONE, which are sent once each and so always fit.
 *
 * START and STOP requests, exit() and the ctl file's release only set a
 * request bit; stp_ctl_work (process context) does the work under
 * stp_state_lock.  Probe context reaches it through stp_wake_work, an
 * irq_work, because queue_work() and wake_up() are not NMI-safe.
 * Included by transport.c only.
 */

#define STP_CTL_QUEUE	(64 * 1024)
#define STP_CTL_RESERVE	256

enum stp_state { STP_IDLE, STP_RUNNING, STP_STOPPED };
enum { STP_REQ_START, STP_REQ_STOP };

static char stp_ctl_queue[STP_CTL_QUEUE];
static size_t stp_ctl_used;		/* bytes queued, from the start */
static bool stp_ctl_done_read;		/* DONE went out: EOF from now on */
static DEFINE_RAW_SPINLOCK(stp_ctl_lock);
static DEFINE_MUTEX(stp_ctl_read_lock);	/* one reader copies at a time */
static atomic_long_t stp_ctl_dropped = ATOMIC_LONG_INIT(0);

static DEFINE_MUTEX(stp_state_lock);
static int stp_state = STP_IDLE;	/* under stp_state_lock */
static unsigned long stp_requests;	/* STP_REQ_* bits */
static atomic_t stp_exit_requested = ATOMIC_INIT(0);
static int stp_data_done;		/* no more data will come */
static int stp_shutdown;		/* module_exit in progress */
static int stp_detached;		/* DETACH: closing ctl does not stop */
static pid_t stp_target;

static DECLARE_WAIT_QUEUE_HEAD(stp_data_wq);
static DECLARE_WAIT_QUEUE_HEAD(stp_ctl_wq);

static void stp_ctl_work_fn(struct work_struct *work);
static DECLARE_WORK(stp_ctl_work, stp_ctl_work_fn);

static void stp_wake_fn(struct irq_work *work)
{
	wake_up_interruptible(&stp_data_wq);
	wake_up_interruptible(&stp_ctl_wq);
	if (atomic_read(&stp_exit_requested) && !READ_ONCE(stp_shutdown))
		queue_work(system_long_wq, &stp_ctl_work);
}

static struct irq_work stp_wake_work = IRQ_WORK_INIT(stp_wake_fn);

/* Queue one message.  Any context.  0 or -ENOSPC/-EBUSY (counted). */
static int stp_ctl_send(u32 type, const void *data, u32 len, bool reserved)
{
	struct stp_msg_hdr h = { .type = type, .len = len };
	size_t room = STP_CTL_QUEUE - (reserved ? 0 : STP_CTL_RESERVE);
	unsigned long flags;
	int rc = 0;

	if (in_nmi()) {
		if (!raw_spin_trylock(&stp_ctl_lock)) {
			atomic_long_inc(&stp_ctl_dropped);
			return -EBUSY;
		}
		flags = 0;
	} else {
		raw_spin_lock_irqsave(&stp_ctl_lock, flags);
	}
	if (stp_ctl_used + sizeof(h) + len > room) {
		rc = -ENOSPC;
	} else {
		memcpy(stp_ctl_queue + stp_ctl_used, &h, sizeof(h));
		memcpy(stp_ctl_queue + stp_ctl_used + sizeof(h), data, len);
		stp_ctl_used += sizeof(h) + len;
	}
	if (in_nmi())
		raw_spin_unlock(&stp_ctl_lock);
	else
		raw_spin_unlock_irqrestore(&stp_ctl_lock, flags);
	if (rc)
		atomic_long_inc(&stp_ctl_dropped);
	else if (wq_has_sleeper(&stp_ctl_wq))
		irq_work_queue(&stp_wake_work);
	return rc;
}

static void stp_ctl_text(u32 type, const char *msg)
{
	size_t len = strnlen(msg, STP_MSG_TEXT_MAX);

	while (len && msg[len - 1] == '\n')
		len--;
	stp_ctl_send(type, msg, len, false);
}

static bool stp_ctl_pending(void)
{
	return READ_ONCE(stp_ctl_used) != 0;
}

/*
 * Copy out the whole messages that fit: bounce through a kernel buffer,
 * since copy_to_user may fault and must not run under a raw spinlock.
 * Caller holds stp_ctl_read_lock.
 */
static ssize_t stp_ctl_read_msgs(char __user *ubuf, size_t count)
{
	static char bounce[STP_CTL_QUEUE];	/* under stp_ctl_read_lock */
	struct stp_msg_hdr h;
	size_t n = 0;
	bool done = false;

	raw_spin_lock_irq(&stp_ctl_lock);
	while (n + sizeof(h) <= stp_ctl_used) {
		memcpy(&h, stp_ctl_queue + n, sizeof(h));
		if (n + sizeof(h) + h.len > count)
			break;
		if (h.type == STP_MSG_DONE)
			done = true;
		n += sizeof(h) + h.len;
	}
	memcpy(bounce, stp_ctl_queue, n);
	memmove(stp_ctl_queue, stp_ctl_queue + n, stp_ctl_used - n);
	stp_ctl_used -= n;
	raw_spin_unlock_irq(&stp_ctl_lock);

	if (!n && stp_ctl_used)
		return -EINVAL;		/* buffer smaller than one message */
	if (copy_to_user(ubuf, bounce, n))
		return -EFAULT;
	if (done)
		WRITE_ONCE(stp_ctl_done_read, true);
	return n;
}

static u64 stp_dropped(void)
{
	return atomic_long_read(&stp_ring_dropped);
}

/* the session is over: tell the reader, who drains data to EOF */
static void stp_finish(void)
{
	struct stp_msg_done d = {
		.dropped = stp_dropped(),
		.ctl_dropped = atomic_long_read(&stp_ctl_dropped),
	};

	stp_state = STP_STOPPED;
	smp_store_release(&stp_data_done, 1);
	stp_ctl_send(STP_MSG_DONE, &d, sizeof(d), true);
	wake_up_interruptible(&stp_data_wq);
	wake_up_interruptible(&stp_ctl_wq);
}

static void stp_do_start(void)
{
	struct stp_msg_started m = { 0 };

	m.status = stp_session_start();
	stp_ctl_send(STP_MSG_STARTED, &m, sizeof(m), true);
	if (m.status)
		stp_finish();
	else
		stp_state = STP_RUNNING;
}

static void stp_ctl_work_fn(struct work_struct *work)
{
	mutex_lock(&stp_state_lock);
	if (stp_state == STP_IDLE &&
	    test_and_clear_bit(STP_REQ_START, &stp_requests))
		stp_do_start();
	if (stp_state != STP_STOPPED &&
	    (test_bit(STP_REQ_STOP, &stp_requests) ||
	     atomic_read(&stp_exit_requested))) {
		if (stp_state == STP_RUNNING)
			stp_session_stop();
		stp_finish();
	}
	mutex_unlock(&stp_state_lock);
}

bool stp_transport_stopping(void)
{
	return test_bit(STP_REQ_STOP, &stp_requests) || READ_ONCE(stp_shutdown);
}

static void stp_request(int bit)
{
	set_bit(bit, &stp_requests);
	if (!READ_ONCE(stp_shutdown))
		queue_work(system_long_wq, &stp_ctl_work);
}

/* module_exit: stop synchronously whatever is still running */
static void stp_ctl_shutdown(void)
{
	irq_work_sync(&stp_wake_work);
	cancel_work_sync(&stp_ctl_work);
	mutex_lock(&stp_state_lock);
	if (stp_state == STP_RUNNING)
		stp_session_stop();
	stp_state = STP_STOPPED;
	mutex_unlock(&stp_state_lock);
	irq_work_sync(&stp_wake_work);
}

/* ---- the API of transport.h (control half) ---- */

void stp_transport_warn(const char *msg)
{
	stp_ctl_text(STP_MSG_WARN, msg);
}

void stp_transport_error(const char *msg)
{
	stp_ctl_text(STP_MSG_ERROR, msg);
}

void stp_transport_info(const char *msg)
{
	stp_ctl_text(STP_MSG_INFO, msg);
}

void stp_transport_request_exit(void)
{
	if (atomic_xchg(&stp_exit_requested, 1))
		return;
	stp_ctl_send(STP_MSG_EXIT, NULL, 0, true);
	if (!READ_ONCE(stp_shutdown))
		irq_work_queue(&stp_wake_work);
}

pid_t stp_transport_target(void)
{
	return READ_ONCE(stp_target);
}
