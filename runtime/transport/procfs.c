/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procfs.c - /proc/stap/NAME/{ctl,data}: the files stapio talks to (see
 * proto.h for their semantics).  Both are streams (stream_open), so no
 * proc_lseek: no_llseek, which 6.1 defines as NULL, is gone since 6.12.
 * Included by transport.c only.
 */

static struct proc_dir_entry *stp_proc_dir;
static unsigned long stp_open_bits;	/* one opener per file */
static int stp_start_seen;		/* START was written */

enum { STP_OPEN_CTL, STP_OPEN_DATA };

static int stp_open_once(struct inode *inode, struct file *file, int bit)
{
	if (READ_ONCE(stp_shutdown))
		return -ENODEV;
	if (test_and_set_bit(bit, &stp_open_bits))
		return -EBUSY;
	return stream_open(inode, file);
}

/* ---- ctl ---- */

static int stp_ctl_open(struct inode *inode, struct file *file)
{
	return stp_open_once(inode, file, STP_OPEN_CTL);
}

static int stp_ctl_release(struct inode *inode, struct file *file)
{
	/* stapio went away while probes may run: stop them, unless it
	 * detached on purpose */
	if (READ_ONCE(stp_start_seen) && READ_ONCE(stp_state) != STP_STOPPED &&
	    !READ_ONCE(stp_detached))
		stp_request(STP_REQ_STOP);
	clear_bit(STP_OPEN_CTL, &stp_open_bits);
	return 0;
}

static bool stp_ctl_readable(void)
{
	return stp_ctl_pending() || READ_ONCE(stp_ctl_done_read) ||
	       READ_ONCE(stp_shutdown);
}

static ssize_t stp_ctl_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	ssize_t rc;

	for (;;) {
		if (mutex_lock_interruptible(&stp_ctl_read_lock))
			return -ERESTARTSYS;
		if (READ_ONCE(stp_ctl_done_read) || READ_ONCE(stp_shutdown))
			rc = 0;
		else if (stp_ctl_pending())
			rc = stp_ctl_read_msgs(buf, count);
		else
			rc = -EAGAIN;
		mutex_unlock(&stp_ctl_read_lock);
		if (rc != -EAGAIN || (file->f_flags & O_NONBLOCK))
			return rc;
		if (wait_event_interruptible(stp_ctl_wq, stp_ctl_readable()))
			return -ERESTARTSYS;
	}
}

/* a later stapio (staprun -A) reconnects to a started session */
static void stp_ctl_attach(void)
{
	struct stp_msg_started m = { 0 };

	WRITE_ONCE(stp_detached, 0);
	stp_ctl_send(STP_MSG_STARTED, &m, sizeof(m), true);
}

static void stp_ctl_detach(void)
{
	WRITE_ONCE(stp_detached, 1);
	/* no reader left: keep the newest output (else data's release does) */
	if (!test_bit(STP_OPEN_DATA, &stp_open_bits))
		WRITE_ONCE(stp_ring_overwrite, 1);
}

static ssize_t stp_ctl_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct {
		struct stp_msg_hdr h;
		struct stp_msg_start start;
	} m;

	if (count < sizeof(m.h) || count > sizeof(m))
		return -EINVAL;
	if (copy_from_user(&m, buf, count))
		return -EFAULT;
	if (m.h.len != count - sizeof(m.h))
		return -EINVAL;
	switch (m.h.type) {
	case STP_MSG_START:
		if (m.h.len != sizeof(m.start))
			return -EINVAL;
		if (m.start.version != STP_PROTO_VERSION)
			return -EPROTO;
		if ((m.start.flags & STP_START_ATTACH) &&
		    READ_ONCE(stp_start_seen)) {
			stp_ctl_attach();
			break;
		}
		if (xchg(&stp_start_seen, 1))
			return -EALREADY;
		WRITE_ONCE(stp_target, (pid_t)m.start.target_pid);
		stp_request(STP_REQ_START);
		break;
	case STP_MSG_STOP:
		stp_request(STP_REQ_STOP);
		break;
	case STP_MSG_DETACH:
		if (m.h.len)
			return -EINVAL;
		stp_ctl_detach();
		break;
	default:
		return -EINVAL;
	}
	return count;
}

static __poll_t stp_ctl_poll(struct file *file, struct poll_table_struct *wait)
{
	poll_wait(file, &stp_ctl_wq, wait);
	return EPOLLOUT | EPOLLWRNORM |
	       (stp_ctl_readable() ? EPOLLIN | EPOLLRDNORM : 0);
}

static const struct proc_ops stp_ctl_ops = {
	.proc_open = stp_ctl_open,
	.proc_release = stp_ctl_release,
	.proc_read = stp_ctl_read,
	.proc_write = stp_ctl_write,
	.proc_poll = stp_ctl_poll,
};

/* ---- data ---- */

static int stp_data_open(struct inode *inode, struct file *file)
{
	int rc = stp_open_once(inode, file, STP_OPEN_DATA);

	if (!rc)
		stp_ring_overwrite_off();
	return rc;
}

static int stp_data_release(struct inode *inode, struct file *file)
{
	if (READ_ONCE(stp_detached))
		WRITE_ONCE(stp_ring_overwrite, 1);
	clear_bit(STP_OPEN_DATA, &stp_open_bits);
	return 0;
}

static bool stp_data_readable(void)
{
	return !stp_ring_empty() || smp_load_acquire(&stp_data_done) ||
	       READ_ONCE(stp_shutdown);
}

static ssize_t stp_data_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	ssize_t rc;
	int done;

	for (;;) {
		if (mutex_lock_interruptible(&stp_ring_read_lock))
			return -ERESTARTSYS;
		/* read the flag first: all data precedes it */
		done = smp_load_acquire(&stp_data_done) ||
		       READ_ONCE(stp_shutdown);
		rc = stp_ring_read(buf, count);
		mutex_unlock(&stp_ring_read_lock);
		if (rc || done)
			return rc;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(stp_data_wq, stp_data_readable()))
			return -ERESTARTSYS;
	}
}

static __poll_t stp_data_poll(struct file *file, struct poll_table_struct *wait)
{
	poll_wait(file, &stp_data_wq, wait);
	return stp_data_readable() ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct proc_ops stp_data_ops = {
	.proc_open = stp_data_open,
	.proc_release = stp_data_release,
	.proc_read = stp_data_read,
	.proc_poll = stp_data_poll,
};

/* ---- the directory ---- */

static int stp_proc_init(void)
{
	char name[sizeof(STP_PROC_ROOT) + MODULE_NAME_LEN];
	struct path p;

	/* /proc/stap is shared by all our modules and never removed */
	if (kern_path("/proc/" STP_PROC_ROOT, LOOKUP_DIRECTORY, &p) == 0)
		path_put(&p);
	else
		proc_mkdir(STP_PROC_ROOT, NULL);
	/* the module's name at run time: this object is the same for every
	 * module (stap keeps it compiled in its cache) */
	snprintf(name, sizeof(name), STP_PROC_ROOT "/%s", THIS_MODULE->name);
	stp_proc_dir = proc_mkdir(name, NULL);
	if (!stp_proc_dir)
		return -EEXIST;
	if (!proc_create_data(STP_CTL_FILE, 0600, stp_proc_dir,
			      &stp_ctl_ops, NULL) ||
	    !proc_create_data(STP_DATA_FILE, 0400, stp_proc_dir,
			      &stp_data_ops, NULL)) {
		proc_remove(stp_proc_dir);
		stp_proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* waits for every file operation in flight, then closes open files */
static void stp_proc_exit(void)
{
	proc_remove(stp_proc_dir);
	stp_proc_dir = NULL;
}
