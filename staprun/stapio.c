/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stapio.c - talk to a loaded module through /proc/stap/NAME/{ctl,data}.
 *
 *   stapio [-v] [-w] [-o FILE] [-c CMD] [-x PID] [-T SECS] [-S MB[,N]]
 *          [-L | -A] [-D] [-R FD] MODNAME
 *
 * Sends START (with the target pid), relays the data file to stdout (or
 * FILE, or per-CPU files for a bulk-mode module: see output.h), prints
 * WARNING:/ERROR: messages on stderr, turns SIGINT, SIGTERM, SIGHUP, the
 * -T alarm and the -c child's exit into STOP, and returns after the
 * module's DONE once the data file reached EOF.  The -c command runs under
 * /bin/sh, held back until the probes started.  SIGUSR2 switches output
 * files.  SIGQUIT detaches (the module keeps running); so does -L once the
 * probes started; -A attaches to a running module instead of starting it.
 * -R FD (staprun -D): once the probes started, write our pid to FD, close
 * it and put stdin, stdout and stderr on /dev/null.
 * Exit status: 1 if the probes failed to start or any ERROR was reported,
 * SR_STATUS_DETACHED after a detach, else 0.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "output.h"

#define PROG "stapio"
#define SIO_BUF (256 * 1024)
#define SIO_BATCH_US 10000

struct sio {
	/* options */
	int verbose, no_warn;
	const char *cmd, *modname;
	long target, timeout;
	int load_only, attach;		/* -L, -A */
	int ready;			/* -R FD, else -1 */
	struct sr_out out;		/* -o, -S, -D and bulk mode */
	/* state */
	int ctl, data, sigr;		/* fds; sigr: self-pipe read end */
	pid_t child;			/* -c command, 0 if none/reaped */
	int go;				/* write end that releases the child */
	int started, stop_sent, done, ctl_eof, data_eof, discard;
	int errors, got_data, detached;
	unsigned long long dropped, ctl_dropped;
};

/* the handler writes the signal number here; nothing else is global */
static int sio_sigw = -1;

static void sio_on_signal(int sig)
{
	int e = errno;
	char c = (char)sig;

	if (write(sio_sigw, &c, 1) < 0) {
		/* pipe full: a wakeup is pending anyway */
	}
	errno = e;
}

static void sio_usage(void)
{
	sr_err("Usage: stapio [-v] [-w] [-o FILE] [-c CMD] [-x PID] [-T SECS] "
	       "[-S MB[,N]] [-L | -A] [-D] [-R FD] MODNAME\n");
}

static int sio_parse(int argc, char **argv, struct sio *s)
{
	int c;

	long fd;

	while ((c = getopt(argc, argv, "+vwo:c:x:T:S:LADR:")) != -1) {
		switch (c) {
		case 'v': s->verbose++; break;
		case 'w': s->no_warn = 1; break;
		case 'o': s->out.file = optarg; break;
		case 'L': s->load_only = 1; break;
		case 'A': s->attach = 1; break;
		case 'D': s->out.background = 1; break;
		case 'R':
			if (sr_parse_long(optarg, 3, 1 << 20, &fd)) {
				sr_err("ERROR: -R: invalid fd '%s'\n", optarg);
				return -1;
			}
			s->ready = (int)fd;
			fcntl(s->ready, F_SETFD, FD_CLOEXEC);
			break;
		case 'S':
			if (sr_out_parse_switch(optarg, &s->out.switch_mb,
						&s->out.keep)) {
				sr_err("ERROR: -S: expected size[,N] (MB, files), "
				       "got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'c': s->cmd = optarg; break;
		case 'x':
			if (sr_parse_long(optarg, 1, 0x7fffffff, &s->target)) {
				sr_err("ERROR: -x: invalid pid '%s'\n", optarg);
				return -1;
			}
			break;
		case 'T':
			if (sr_parse_long(optarg, 1, 0x7fffffff, &s->timeout)) {
				sr_err("ERROR: -T: invalid timeout '%s'\n", optarg);
				return -1;
			}
			break;
		default: sio_usage(); return -1;
		}
	}
	if (optind != argc - 1) {
		sio_usage();
		return -1;
	}
	s->modname = argv[optind];
	return 0;
}

static int sio_signals(struct sio *s)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
				    SIGALRM, SIGCHLD, SIGUSR2 };
	struct sigaction sa;
	sigset_t set;
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK))
		return -1;
	s->sigr = p[0];
	sio_sigw = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sio_on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	/* staprun hands them over blocked (see there) */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 0;
}

/* the module's bulk-mode parameter: 1 (Y), else 0 */
static int sio_bulkmode(const char *modname)
{
	char path[256];
	int c = 'N';
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", modname,
		 STP_PARAM_BULKMODE);
	f = fopen(path, "r");
	if (f) {
		c = fgetc(f);
		fclose(f);
	}
	return c == 'Y' || c == '1';
}

static int sio_open(struct sio *s)
{
	char path[256];

	sr_proc_path(path, sizeof(path), s->modname, STP_CTL_FILE);
	s->ctl = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (s->ctl < 0) {
		sr_err("ERROR: Couldn't open control channel '%s': %s\n", path,
		       strerror(errno));
		return -1;
	}
	if (s->load_only) {	/* the output waits for staprun -A */
		s->data_eof = 1;
		return 0;
	}
	sr_proc_path(path, sizeof(path), s->modname, STP_DATA_FILE);
	s->data = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->data < 0) {
		sr_err("ERROR: Couldn't open data channel '%s': %s\n", path,
		       strerror(errno));
		return -1;
	}
	s->out.bulk = sio_bulkmode(s->modname);
	if (s->out.switch_mb && !s->out.file && !s->out.bulk) {
		sr_err("ERROR: -S needs -o FILE (or bulk mode)\n");
		return -1;
	}
	return sr_out_open(&s->out);
}

/* -c: fork now, exec once released (so target() exists before it runs) */
static int sio_fork_child(struct sio *s)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
					    SIGALRM, SIGCHLD, SIGPIPE };
		const char *ctrl = ";&|()\n";
		char *cmd;
		char c;

		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);	/* the probes never started */
		/* a simple command is exec'ed by the shell: target() is it */
		if (strpbrk(s->cmd, ctrl) || asprintf(&cmd, "exec %s", s->cmd) < 0)
			cmd = (char *)s->cmd;
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		sr_err("ERROR: Couldn't run '%s': %s\n", s->cmd, strerror(errno));
		_exit(127);
	}
	close(p[0]);
	s->go = p[1];
	s->child = pid;
	s->target = pid;
	return 0;
}

static void sio_release_child(struct sio *s)
{
	if (s->go < 0)
		return;
	if (sr_write_all(s->go, "g", 1))
		sr_err("ERROR: Couldn't start '%s'\n", s->cmd);
	close(s->go);
	s->go = -1;
}

static int sio_send(struct sio *s, uint32_t type, const void *payload,
		    uint32_t len)
{
	char buf[sizeof(struct stp_msg_hdr) + sizeof(struct stp_msg_start)];
	struct stp_msg_hdr h = { .type = type, .len = len };

	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), payload, len);
	if (write(s->ctl, buf, sizeof(h) + len) < 0)
		return -errno;
	return 0;
}

static void sio_stop(struct sio *s, const char *why)
{
	int rc;

	if (s->stop_sent || s->done)
		return;
	s->stop_sent = 1;
	sr_verbose(s->verbose, PROG, "stopping (%s)", why);
	rc = sio_send(s, STP_MSG_STOP, NULL, 0);
	if (rc)
		sr_err("ERROR: Couldn't send STOP: %s\n", strerror(-rc));
}

/* leave the module running; a later staprun -A reconnects */
static void sio_detach(struct sio *s)
{
	int rc;

	if (s->detached || s->done)
		return;
	rc = sio_send(s, STP_MSG_DETACH, NULL, 0);
	if (rc) {
		sr_err("ERROR: Couldn't detach: %s\n", strerror(-rc));
		sio_stop(s, "detach failed");
		return;
	}
	sr_verbose(s->verbose, PROG, "detached");
	s->detached = 1;
}

static void sio_reap(struct sio *s)
{
	int st;

	if (s->child > 0 && waitpid(s->child, &st, WNOHANG) == s->child) {
		s->child = 0;
		sio_stop(s, "the -c command exited");
	}
}

static void sio_on_signals(struct sio *s)
{
	char sigs[64];
	ssize_t n = read(s->sigr, sigs, sizeof(sigs));

	for (ssize_t i = 0; i < n; i++) {
		if (sigs[i] == SIGCHLD)
			sio_reap(s);
		else if (sigs[i] == SIGALRM)
			sio_stop(s, "-T timeout");
		else if (sigs[i] == SIGUSR2)
			sr_out_switch_all(&s->out);
		else if (sigs[i] == SIGQUIT && s->started)
			sio_detach(s);
		else
			sio_stop(s, strsignal(sigs[i]));
	}
}

/* -R: in the background from now on; the waiting staprun prints our pid */
static void sio_ready(struct sio *s)
{
	if (s->ready < 0)
		return;
	dprintf(s->ready, "%ld", (long)getpid());
	close(s->ready);
	s->ready = -1;
	sr_stdio_to_null();
}

static void sio_started(struct sio *s, const struct stp_msg_started *m)
{
	if (m->status == -EINTR && s->stop_sent) {	/* we asked */
		sr_verbose(s->verbose, PROG, "stopped while starting");
		return;
	}
	if (m->status) {
		sr_err("ERROR: Couldn't start the probes: %s\n",
		       strerror(-m->status));
		s->errors++;
		return;
	}
	s->started = 1;
	sr_verbose(s->verbose, PROG, "probes started");
	sio_release_child(s);
	if (s->timeout)
		alarm((unsigned int)s->timeout);
	if (s->load_only)
		sio_detach(s);
	sio_ready(s);
}

static void sio_message(struct sio *s, const struct stp_msg_hdr *h,
			const char *p)
{
	switch (h->type) {
	case STP_MSG_STARTED:
		if (h->len >= sizeof(struct stp_msg_started))
			sio_started(s, (const void *)p);
		break;
	case STP_MSG_WARN:
		if (!s->no_warn)
			sr_err("WARNING: %.*s\n", (int)h->len, p);
		break;
	case STP_MSG_INFO:
		sr_err("%.*s\n", (int)h->len, p);
		break;
	case STP_MSG_ERROR:
		sr_err("ERROR: %.*s\n", (int)h->len, p);
		s->errors++;
		break;
	case STP_MSG_EXIT:
		sr_verbose(s->verbose, PROG, "the script called exit()");
		break;
	case STP_MSG_DONE:
		if (h->len >= sizeof(struct stp_msg_done)) {
			const struct stp_msg_done *d = (const void *)p;

			s->dropped = d->dropped;
			s->ctl_dropped = d->ctl_dropped;
		}
		s->done = 1;
		sr_verbose(s->verbose, PROG, "module done");
		break;
	default:
		sr_verbose(s->verbose, PROG, "unknown message type %u", h->type);
	}
}

static void sio_read_ctl(struct sio *s)
{
	static char buf[STP_CTL_READ_MIN * 4];
	ssize_t n = read(s->ctl, buf, sizeof(buf));
	size_t off = 0;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		sr_err("ERROR: control channel: %s\n", strerror(errno));
		n = 0;
	}
	if (n == 0) {
		s->ctl_eof = 1;
		return;
	}
	while (off + sizeof(struct stp_msg_hdr) <= (size_t)n) {
		struct stp_msg_hdr h;

		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		if (off + h.len > (size_t)n)
			break;
		sio_message(s, &h, buf + off);
		off += h.len;
	}
}

/* bulk mode: the buffer holds { struct stp_bulk_hdr, bytes } records */
static int sio_write_bulk(struct sio *s, const char *buf, size_t n)
{
	struct stp_bulk_hdr h;
	size_t off = 0;

	while (off + sizeof(h) <= n) {
		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		if (h.len > n - off) {
			errno = EPROTO;
			return -1;
		}
		if (sr_out_write(&s->out, (int)h.cpu, buf + off, h.len))
			return -1;
		off += h.len;
	}
	return 0;
}

/* bytes read, 0 at EOF or when nothing was there */
static ssize_t sio_read_data(struct sio *s)
{
	static char buf[SIO_BUF];
	ssize_t n = read(s->data, buf, sizeof(buf));

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		sr_err("ERROR: data channel: %s\n", strerror(errno));
		n = 0;
	}
	if (n == 0) {
		s->data_eof = 1;
		return 0;
	}
	if (!s->got_data++)
		sr_verbose(s->verbose > 1 ? s->verbose : 0, PROG, "first data");
	if (s->discard)
		return n;
	if (s->out.bulk ? sio_write_bulk(s, buf, (size_t)n)
			: sr_out_write(&s->out, 0, buf, (size_t)n)) {
		if (errno != EPIPE)
			sr_err("ERROR: Couldn't write output: %s\n",
			       strerror(errno));
		s->discard = 1;
		sio_stop(s, "output closed");
	}
	return n;
}

static void sio_loop(struct sio *s)
{
	/* done: the module said so; data EOF then means everything is out */
	while (!((s->done || s->ctl_eof) && s->data_eof) && !s->detached) {
		struct pollfd p[3] = {
			{ .fd = s->ctl_eof ? -1 : s->ctl, .events = POLLIN },
			{ .fd = s->data_eof ? -1 : s->data, .events = POLLIN },
			{ .fd = s->sigr, .events = POLLIN },
		};
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			sr_err("ERROR: poll: %s\n", strerror(errno));
			return;
		}
		if (p[2].revents)
			sio_on_signals(s);
		/*
		 * A trickle of output would wake us once per record (and each
		 * wakeup is a context switch a probe may see): after a small
		 * read, let records collect for a moment.  Bounded latency,
		 * far below what a full buffer needs to overflow.
		 */
		n = p[1].revents ? sio_read_data(s) : 0;
		if (n > 0 && n < SIO_BUF / 2 && !s->done && !p[0].revents &&
		    !p[2].revents)
			usleep(SIO_BATCH_US);
		if (p[0].revents)
			sio_read_ctl(s);
		if (s->ctl_eof && !s->done && !s->data_eof)
			sio_read_data(s);	/* module is going away */
	}
}

static void sio_finish_child(struct sio *s)
{
	if (s->go >= 0) {	/* never released: it exits 127 unseen */
		close(s->go);
		s->go = -1;
	}
	if (s->child > 0) {
		sr_verbose(s->verbose, PROG, "terminating the -c command");
		kill(s->child, SIGTERM);
		waitpid(s->child, NULL, 0);
		s->child = 0;
	}
}

/* the module's data buffer size in MB (its parameter), or -1 */
static long sio_bufsize(const char *modname)
{
	char path[256];
	long mb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", modname,
		 STP_PARAM_BUFSIZE);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &mb) != 1)
		mb = -1;
	fclose(f);
	return mb;
}

int main(int argc, char **argv)
{
	struct sio s = { .ctl = -1, .data = -1, .go = -1, .sigr = -1,
			 .ready = -1 };
	struct stp_msg_start start = { .version = STP_PROTO_VERSION };
	int rc;

	if (sio_parse(argc, argv, &s) || sio_signals(&s))
		return 1;
	if (sio_open(&s))	/* -A: someone else's module stays */
		return s.attach && s.ctl < 0 ? SR_STATUS_NOT_ATTACHED : 1;
	if (s.cmd && sio_fork_child(&s)) {
		sr_err("ERROR: Couldn't fork for -c: %s\n", strerror(errno));
		return 1;
	}
	start.target_pid = s.target;
	if (s.attach)
		start.flags |= STP_START_ATTACH;
	rc = sio_send(&s, STP_MSG_START, &start, sizeof(start));
	if (rc) {
		sr_err("ERROR: Couldn't start module '%s': %s\n", s.modname,
		       rc == -EPROTO ? "transport protocol mismatch"
				     : strerror(-rc));
		sio_finish_child(&s);
		return 1;
	}
	sr_verbose(s.verbose, PROG, "START sent (target pid %ld)", s.target);
	sio_loop(&s);
	alarm(0);
	if (s.detached) {
		if (sr_out_close(&s.out))
			return 1;
		return SR_STATUS_DETACHED;
	}
	sio_finish_child(&s);
	if (s.dropped) {
		long mb = sio_bufsize(s.modname);

		if (mb > 0)
			sr_err("WARNING: There were %llu transport failures. "
			       "Try stap -s to increase the buffer size from "
			       "%ld.\n", s.dropped, mb);
		else
			sr_err("WARNING: There were %llu transport failures. "
			       "Try stap -s to increase the buffer size.\n",
			       s.dropped);
	}
	if (s.ctl_dropped)
		sr_err("WARNING: %llu warning/error messages were lost.\n",
		       s.ctl_dropped);
	if (sr_out_close(&s.out))
		s.errors++;
	return (s.errors || !s.started) ? 1 : 0;
}
