/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm.h - the machinery under --vm and the run-test harness: initramfs
 * archives, the cached kernel ELF and base initramfs, one qemu boot with
 * its serial ports relayed, and the record protocol the guest speaks.
 * Nothing here knows about struct session.
 *
 * Serial ports: ttyS0 kernel console (host -> guest: signal names, one a
 * line), ttyS1 program stdout, ttyS2 program stderr, ttyS3 records.
 * A record is "KEY LEN NAME\n" + LEN bytes + "\n" (see guest_rec_next).
 */
#ifndef STAP_GUEST_VM_H
#define STAP_GUEST_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/strbuf.h"

/* ---- cpio (newc) writer ---- */
struct guest_cpio {
	FILE *f;
	unsigned ino;
	int err;			/* errno of the first failure */
};

/* Start an archive at path; if base is set, its bytes come first (the
 * kernel unpacks concatenated archives in order). */
int guest_cpio_open(struct guest_cpio *c, const char *path, const char *base);
void guest_cpio_dir(struct guest_cpio *c, const char *name);
/* name and its missing parents ("a/b/c" adds "a", "a/b") */
void guest_cpio_parents(struct guest_cpio *c, const char *name);
void guest_cpio_data(struct guest_cpio *c, const char *name, unsigned mode,
		     const void *data, size_t n);
int guest_cpio_file(struct guest_cpio *c, const char *name, unsigned mode,
		    const char *host_path);
void guest_cpio_symlink(struct guest_cpio *c, const char *name,
			const char *target);
/* an executable plus, if it is dynamic, its interpreter and libraries at
 * their host paths */
int guest_cpio_exe(struct guest_cpio *c, const char *name,
		   const char *host_path);
/* trailer; returns 0 or -1 (errno set) */
int guest_cpio_close(struct guest_cpio *c);

/* ---- the kernel and the base initramfs (cached) ---- */
struct guest_kernel {
	char *release;
	char *vmlinuz;			/* /boot/vmlinuz-REL */
	char *image;			/* what qemu boots: cached ELF or vmlinuz */
	char *cache_dir;		/* CACHE/stap-guest/REL */
	char *base_cpio;		/* CACHE/stap-guest/base-HASH.cpio */
};

/* "6.1.0-56-amd64" from a release or a kernel build directory */
char *guest_kernel_release(const char *release_or_dir);
/* Find /boot/vmlinuz-REL, extract (once) its ELF and build (once) the
 * base initramfs.  On failure returns -1 with a sentence in err. */
int guest_kernel_prepare(struct guest_kernel *k, const char *release,
			 bool verbose, struct strbuf *err);
void guest_kernel_free(struct guest_kernel *k);
/* the static busybox the guest runs, NULL if none */
const char *guest_busybox(void);

/* ---- one boot ---- */
#define GUEST_DONE 33
struct guest_vm {
	/* in */
	const char *image, *initrd;
	const char *append;		/* extra kernel arguments, may be NULL */
	long timeout_ms;		/* whole run; 0: none */
	long boot_timeout_ms;		/* until the first record; 0: none */
	long idle_timeout_ms;		/* after it, the longest silence of the
					 * record port (a wedged guest); 0: none */
	bool forward_signals;		/* SIGINT/TERM/HUP/QUIT go to the guest */
	bool echo_console;		/* copy ttyS0 to stderr as it comes */
	int out_fd, err_fd;		/* ttyS1/ttyS2 go there; -1: to out/err */
	/* called whenever records arrive (rec holds all so far) */
	void (*on_rec)(void *arg, const struct strbuf *rec);
	void *on_rec_arg;
	/* out */
	struct strbuf out, err, rec, console, qemu_err;
	int guest_code;			/* argument of guest_exit, -1 if none;
					 * GUEST_DONE: /init ran to its end */
	bool timed_out, boot_timed_out;
	double seconds;			/* qemu start to exit */
	double last_rec_s;		/* qemu start to the last record */
};

/* Boot and wait.  Returns 0 when qemu ran (see guest_code), -1 when it
 * could not be started (sentence in err). */
int guest_vm_run(struct guest_vm *vm, struct strbuf *err);
void guest_vm_free(struct guest_vm *vm);

/* ---- records on ttyS3 ---- */
struct guest_rec {
	char key[32];
	char name[256];
	const char *data;
	size_t len;
};

/* 1: *r filled, *pos advanced; 0: end (or a truncated tail) */
int guest_rec_next(const struct strbuf *rec, size_t *pos, struct guest_rec *r);

/* 'text' quoted for the guest's sh */
void guest_sh_quote(struct strbuf *sb, const char *text);

/* Lines of a kernel log that show trouble (oops, BUG, WARNING, lockups,
 * leaks), appended to out; returns how many. */
int guest_klog_problems(const char *log, struct strbuf *out);
/* the start of the first such line in log, or NULL */
const char *guest_klog_first_problem(const char *log);

#endif
