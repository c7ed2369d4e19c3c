/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm.c - one qemu boot: build the command line, relay the four serial
 * ports (FIFO pairs, qemu's "pipe" chardev) while it runs, forward signals
 * to the guest as lines on the console's input, enforce deadlines.
 *
 * qemu runs in its own process group (a terminal's Ctrl-C reaches only
 * us, and we pass it on), and dies with us (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest/vm.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

#define VM_PORTS 4

static const char vm_cmdline[] =
	"console=ttyS0 nokaslr mitigations=off quiet oops=panic panic=-1 "
	"cryptomgr.notests 8250.nr_uarts=4 rdinit=/init";

static double vm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* KVM only where a real kvm_intel/kvm_amd drives /dev/kvm */
static bool vm_use_kvm(void)
{
	int fd;

	if (access("/sys/module/kvm_intel", F_OK) &&
	    access("/sys/module/kvm_amd", F_OK))
		return false;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void vm_arg(struct vec *argv, const char *a)
{
	vec_push(argv, xstrdup(a));
}

static struct vec vm_argv(const struct guest_vm *vm, const char *dir)
{
	const char *qemu = getenv("STAP_GUEST_QEMU");
	const char *extra = getenv("STAP_GUEST_APPEND");
	const char *accel = getenv("STAP_GUEST_ACCEL");
	struct vec argv = { 0 };
	bool kvm;

	if (!accel || !*accel)
		accel = vm_use_kvm() ? "kvm" : "tcg";
	kvm = !strncmp(accel, "kvm", 3);

	vm_arg(&argv, qemu && *qemu ? qemu : "qemu-system-x86_64");
	vm_arg(&argv, "-machine");
	vm_arg(&argv, "pc");
	/* TCG with a thread per CPU, truly parallel.  qemu 7.2 then now and
	 * then keeps running a translation of kernel text from before
	 * text_poke() changed it back (an int3 long gone from memory: the
	 * guest loops on it, or a kprobe there jumps to address 0), rarely,
	 * after ftrace sites were patched by one module after another.
	 * STAP_GUEST_ACCEL=tcg,thread=single avoids that; but there a CPU
	 * switched out holding a script's lock makes the other CPU's probes
	 * time out on it (skipped probes in ordinary scripts) */
	vm_arg(&argv, "-accel");
	vm_arg(&argv, accel);
	if (kvm) {
		vm_arg(&argv, "-cpu");
		vm_arg(&argv, "host");
	}
	if (access("/usr/share/qemu/qboot.rom", R_OK) == 0) {
		vm_arg(&argv, "-bios");
		vm_arg(&argv, "/usr/share/qemu/qboot.rom");
	}
	vm_arg(&argv, "-smp");
	vm_arg(&argv, "2");
	vm_arg(&argv, "-m");
	vm_arg(&argv, "1G");
	vm_arg(&argv, "-nodefaults");
	vm_arg(&argv, "-no-user-config");
	vm_arg(&argv, "-no-reboot");
	vm_arg(&argv, "-display");
	vm_arg(&argv, "none");
	vm_arg(&argv, "-kernel");
	vm_arg(&argv, vm->image);
	vm_arg(&argv, "-initrd");
	vm_arg(&argv, vm->initrd);
	vm_arg(&argv, "-append");
	vec_push(&argv, xasprintf("%s%s%s%s%s", vm_cmdline,
				  vm->append ? " " : "", vm->append ? vm->append : "",
				  extra ? " " : "", extra ? extra : ""));
	for (int i = 0; i < VM_PORTS; i++) {
		vm_arg(&argv, "-chardev");
		vec_push(&argv, xasprintf("pipe,id=s%d,path=%s/s%d", i, dir, i));
		vm_arg(&argv, "-serial");
		vec_push(&argv, xasprintf("chardev:s%d", i));
	}
	vm_arg(&argv, "-device");
	vm_arg(&argv, "isa-debug-exit,iobase=0xf4,iosize=0x04");
	vec_push(&argv, NULL);
	return argv;
}

static void vm_put(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

/* data from port i */
static void vm_take(struct guest_vm *vm, int i, const char *buf, size_t n)
{
	switch (i) {
	case 0:
		sb_add(&vm->console, buf, n);
		if (vm->echo_console)
			vm_put(2, buf, n);
		break;
	case 1:
		if (vm->out_fd >= 0)
			vm_put(vm->out_fd, buf, n);
		else
			sb_add(&vm->out, buf, n);
		break;
	case 2:
		if (vm->err_fd >= 0)
			vm_put(vm->err_fd, buf, n);
		else
			sb_add(&vm->err, buf, n);
		break;
	default:
		sb_add(&vm->rec, buf, n);
		break;
	}
}

/* read what is there; returns bytes read */
static size_t vm_drain(struct guest_vm *vm, int i, int fd)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		vm_take(vm, i, buf, (size_t)n);
		total += (size_t)n;
	}
	return total;
}

static void vm_slurp(const char *path, struct strbuf *sb)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	size_t n;

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	fclose(f);
}

static const char *vm_signame(int sig)
{
	switch (sig) {
	case SIGINT: return "INT";
	case SIGTERM: return "TERM";
	case SIGHUP: return "HUP";
	default: return "QUIT";
	}
}

static pid_t vm_spawn(struct vec *argv, const char *errfile,
		      const sigset_t *old)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigprocmask(SIG_SETMASK, old, NULL);
	{
		int nul = open("/dev/null", O_RDWR);
		int e = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(nul, 0);
		dup2(nul, 1);
		dup2(e >= 0 ? e : nul, 2);
	}
	execvp((char *)vec_get(argv, 0), (char **)argv->v);
	fprintf(stderr, "cannot run %s: %s\n", (char *)vec_get(argv, 0),
		strerror(errno));
	_exit(127);
}

int guest_vm_run(struct guest_vm *vm, struct strbuf *err)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/stap-guest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char *errfile = NULL;
	struct vec argv = { 0 };
	struct pollfd pfd[VM_PORTS + 1];
	int outs[VM_PORTS], ctl = -1, sfd = -1, st = 0, nsig = 0, rc = -1;
	sigset_t set, old;
	double start, deadline = 0, boot_deadline = 0, idle_deadline = 0;
	pid_t pid = -1;

	vm->guest_code = -1;
	for (int i = 0; i < VM_PORTS; i++)
		outs[i] = -1;
	if (!mkdtemp(dir)) {
		sb_printf(err, "cannot create a temporary directory: %s",
			  strerror(errno));
		free(dir);
		return -1;
	}
	for (int i = 0; i < VM_PORTS; i++) {
		char *in = xasprintf("%s/s%d.in", dir, i);
		char *out = xasprintf("%s/s%d.out", dir, i);

		/* O_RDWR: never blocks, and qemu's opens never block either */
		if (mkfifo(in, 0600) < 0 || mkfifo(out, 0600) < 0 ||
		    (outs[i] = open(out, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0 ||
		    (i == 0 &&
		     (ctl = open(in, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)) {
			sb_printf(err, "cannot create FIFOs in %s: %s", dir,
				  strerror(errno));
			free(in);
			free(out);
			goto out;
		}
		free(in);
		free(out);
	}
	errfile = xasprintf("%s/qemu.err", dir);
	argv = vm_argv(vm, dir);

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (vm->forward_signals || sigs[i] == SIGCHLD)
			sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	start = vm_now();
	pid = vm_spawn(&argv, errfile, &old);
	if (pid < 0 || sfd < 0) {
		sb_printf(err, "cannot start qemu: %s", strerror(errno));
		goto restore;
	}
	if (vm->timeout_ms > 0)
		deadline = start + (double)vm->timeout_ms / 1000;
	if (vm->boot_timeout_ms > 0)
		boot_deadline = start + (double)vm->boot_timeout_ms / 1000;

	for (;;) {
		double now = vm_now(), next = 0;
		int wait_ms = -1;

		if (boot_deadline && vm->rec.len)
			boot_deadline = 0;
		if (deadline && now >= deadline) {
			vm->timed_out = true;
			kill(pid, SIGKILL);
			deadline = 0;
		}
		if (boot_deadline && now >= boot_deadline) {
			vm->boot_timed_out = true;
			kill(pid, SIGKILL);
			boot_deadline = 0;
		}
		/* records stopped coming: the guest is wedged, not slow */
		idle_deadline = 0;
		if (vm->idle_timeout_ms > 0 && vm->rec.len && !vm->timed_out)
			idle_deadline = start + vm->last_rec_s +
					(double)vm->idle_timeout_ms / 1000;
		if (idle_deadline && now >= idle_deadline) {
			vm->timed_out = true;
			kill(pid, SIGKILL);
			idle_deadline = 0;
		}
		if (deadline)
			next = deadline;
		if (boot_deadline && (!next || boot_deadline < next))
			next = boot_deadline;
		if (idle_deadline && (!next || idle_deadline < next))
			next = idle_deadline;
		if (next)
			wait_ms = (int)((next - now) * 1000) + 1;

		pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		for (int i = 0; i < VM_PORTS; i++)
			pfd[i + 1] = (struct pollfd){ .fd = outs[i], .events = POLLIN };
		if (poll(pfd, VM_PORTS + 1, wait_ms) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < VM_PORTS; i++)
			if ((pfd[i + 1].revents & POLLIN) &&
			    vm_drain(vm, i, outs[i]) && i == 3) {
				vm->last_rec_s = vm_now() - start;
				if (vm->on_rec)
					vm->on_rec(vm->on_rec_arg, &vm->rec);
			}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			bool child = false;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if ((int)si.ssi_signo == SIGCHLD) {
					child = true;
					continue;
				}
				/* the guest stops staprun; a third one ends it all */
				if (++nsig >= 3) {
					kill(pid, SIGKILL);
				} else {
					char line[16];

					snprintf(line, sizeof(line), "%s\n",
						 vm_signame((int)si.ssi_signo));
					vm_put(ctl, line, strlen(line));
				}
			}
			if (child && waitpid(pid, &st, WNOHANG) == pid)
				break;
		}
	}
	vm->seconds = vm_now() - start;
	/* what the ports still hold */
	for (int i = 0; i < VM_PORTS; i++)
		vm_drain(vm, i, outs[i]);
	if (WIFEXITED(st) && (WEXITSTATUS(st) & 1))
		vm->guest_code = WEXITSTATUS(st) >> 1;
	vm_slurp(errfile, &vm->qemu_err);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		sb_printf(err, "cannot run qemu: %s", sb_str(&vm->qemu_err));
		goto restore;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
		sb_printf(err, "qemu failed: %s", sb_str(&vm->qemu_err));
		goto restore;
	}
	rc = 0;
restore:
	if (sfd >= 0)
		close(sfd);
	/* a late Ctrl-C must not kill us after a clean run */
	while (sigtimedwait(&set, NULL, &(struct timespec){ 0 }) > 0)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	for (int i = 0; i < VM_PORTS; i++) {
		char *in = xasprintf("%s/s%d.in", dir, i);
		char *o = xasprintf("%s/s%d.out", dir, i);

		if (outs[i] >= 0)
			close(outs[i]);
		unlink(in);
		unlink(o);
		free(in);
		free(o);
	}
	if (ctl >= 0)
		close(ctl);
	if (errfile)
		unlink(errfile);
	rmdir(dir);
	free(errfile);
	free(dir);
	for (int i = 0; i < argv.n; i++)
		free(vec_get(&argv, i));
	vec_free(&argv);
	return rc;
}

void guest_vm_free(struct guest_vm *vm)
{
	sb_free(&vm->out);
	sb_free(&vm->err);
	sb_free(&vm->rec);
	sb_free(&vm->console);
	sb_free(&vm->qemu_err);
}
