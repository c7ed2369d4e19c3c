/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel.c - what the guest boots: the uncompressed ELF inside
 * /boot/vmlinuz-REL (qemu enters it through PVH, which skips real mode and
 * the in-guest decompression), and the base initramfs (busybox, its applet
 * links and /init).  Both are made once and cached under
 * $XDG_CACHE_HOME/stap-guest (default ~/.cache/stap-guest), keyed on the
 * files they come from.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest/vm.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* /rec.sh, sourced by /init (and by tests): rec KEY NAME FILE and
 * val KEY NAME VALUE write one record each on ttyS3.  Each is written by a
 * forked subshell: the shell that calls them catches SIGCHLD without
 * SA_RESTART (and /init, PID 1, gets one whenever an orphan dies), and a tty
 * write that finds a signal pending fails with EINTR, losing the record or
 * part of it.  The subshell gets no signals. */
static const char kernel_rec_sh[] =
	"rec() { ( n=$(wc -c < \"$3\"); { echo \"$1 $n $2\"; cat \"$3\"; echo; } > /dev/ttyS3 ); }\n"
	"val() { ( v=$3; printf '%s %d %s\\n%s\\n' \"$1\" \"${#v}\" \"$2\" \"$v\" > /dev/ttyS3 ); }\n";

/* The guest's /init.  Per-run files come in a second archive; /stap/run.sh
 * is the per-run script, sourced with rec/val/guest_exit defined. */
static const char kernel_init_sh[] =
	"#!/bin/sh\n"
	"export PATH=/stap:/bin:/sbin:/usr/bin:/usr/sbin HOME=/root\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sysfs /sys\n"
	"mount -t devtmpfs devtmpfs /dev\n"
	"mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
	"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n"
	"stty -F /dev/ttyS0 -echo 2>/dev/null\n"
	"for p in 1 2 3; do stty -F /dev/ttyS$p raw -echo; done\n"
	"# the record port stays open for the whole run: a last close shuts\n"
	"# the UART down once a short drain wait has passed (on a slow TCG\n"
	"# host, with bytes still in its FIFO) and a reopen resets the FIFO,\n"
	"# which can lose records still on their way out\n"
	"exec 9>/dev/ttyS3\n"
	"ip link set lo up 2>/dev/null\n"
	". /rec.sh\n"
	"# qemu's isa-debug-exit device ends the VM at once with (N<<1)|1;\n"
	"# 33 means /init ran to its end\n"
	"guest_exit() {\n"
	"\texec 9>&-; sleep 0.2\t# the last records leave the FIFO\n"
	"\tprintf \"\\\\$(printf %o \"$1\")\" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null\n"
	"\treboot -f\n"
	"}\n"
	"# /tmp is the rootfs itself: per-run files may live under it\n"
	"cd /tmp\n"
	"if [ -f /stap/run.sh ]; then . /stap/run.sh; fi\n"
	"val bye - \"$(cut -d' ' -f1 /proc/uptime)\"\n"
	"guest_exit 33\n";

static char *kernel_cache_root(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x && *x == '/')
		return xasprintf("%s/stap-guest", x);
	if (h && *h == '/')
		return xasprintf("%s/.cache/stap-guest", h);
	return xasprintf("/tmp/stap-guest-%u", (unsigned)getuid());
}

static int kernel_mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;

			*s = 0;
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				rc = -1;
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

char *guest_kernel_release(const char *rel)
{
	if (rel && strchr(rel, '/')) {
		char *p = xasprintf("%s/include/config/kernel.release", rel);
		char *r = file_read(p, NULL);

		free(p);
		if (r)
			r[strcspn(r, "\n")] = 0;
		return r;
	}
	return rel ? xstrdup(rel) : NULL;
}

static char *kernel_key(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return NULL;
	return xasprintf("%s %lld %lld.%09ld %llu\n", path, (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			 (unsigned long long)st.st_ino);
}

/* run argv with stdin from in_fd and stdout to out_fd; exit status */
static int kernel_spawn(char *const argv[], int in_fd, int out_fd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(in_fd, 0);
		dup2(out_fd, 1);
		if (nul >= 0)
			dup2(nul, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The bzImage setup header says where the compressed kernel is
 * (payload_offset/payload_length, boot protocol 2.08+); its magic says
 * how it is compressed.  Decompress it with the matching tool into out. */
static int kernel_extract(const char *vmlinuz, const char *out,
			  struct strbuf *err)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *tool[5];
	} fmts[] = {
		{ "\xfd" "7zXZ", 6, { "xz", "-dcq", "--single-stream" } },
		{ "\x28\xb5\x2f\xfd", 4, { "zstd", "-dcq" } },
		{ "\x1f\x8b", 2, { "gzip", "-dcq" } },
		{ "\x02\x21\x4c\x18", 4, { "lz4", "-dcq" } },
		{ "BZh", 3, { "bzip2", "-dcq" } },
		{ "\x5d\x00\x00", 3, { "xz", "-dcq", "--format=lzma" } },
	};
	FILE *f = fopen(vmlinuz, "rb");
	unsigned char hdr[0x250];
	uint32_t off, len;
	size_t base;
	char *buf = NULL, *tmp_in = NULL;
	int rc = -1, in = -1, o = -1;

	if (!f) {
		sb_printf(err, "cannot read %s: %s", vmlinuz, strerror(errno));
		return -1;
	}
	if (fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr) ||
	    memcmp(hdr + 0x202, "HdrS", 4)) {
		sb_printf(err, "%s is not a bzImage", vmlinuz);
		goto out;
	}
	base = ((size_t)(hdr[0x1f1] ? hdr[0x1f1] : 4) + 1) * 512;
	memcpy(&off, hdr + 0x248, 4);
	memcpy(&len, hdr + 0x24c, 4);
	buf = xmalloc(len ? len : 1);
	if (!len || fseek(f, (long)(base + off), SEEK_SET) ||
	    fread(buf, 1, len, f) != len) {
		sb_printf(err, "%s: no compressed payload", vmlinuz);
		goto out;
	}
	tmp_in = xasprintf("%s.payload", out);
	in = open(tmp_in, O_RDWR | O_CREAT | O_TRUNC, 0600);
	o = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (in < 0 || o < 0 || write(in, buf, len) != (ssize_t)len ||
	    lseek(in, 0, SEEK_SET) != 0) {
		sb_printf(err, "cannot write %s: %s", out, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char magic[4];

		if (len < fmts[i].n || memcmp(buf, fmts[i].magic, fmts[i].n))
			continue;
		kernel_spawn((char *const *)fmts[i].tool, in, o);
		/* xz/gzip may complain about the trailing size word: judge
		 * by the result */
		if (pread(o, magic, 4, 0) == 4 && !memcmp(magic, "\177ELF", 4))
			rc = 0;
		else
			sb_printf(err, "%s: '%s' did not produce an ELF kernel",
				  vmlinuz, fmts[i].tool[0]);
		break;
	}
	if (rc && !err->len)
		sb_printf(err, "%s: unknown compression", vmlinuz);
out:
	if (in >= 0)
		close(in);
	if (o >= 0)
		close(o);
	if (tmp_in)
		unlink(tmp_in);
	free(tmp_in);
	free(buf);
	fclose(f);
	return rc;
}

static uint64_t kernel_fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

const char *guest_busybox(void)
{
	static const char *const cand[] = { "/bin/busybox", "/usr/bin/busybox",
					    "/usr/lib/initramfs-tools/bin/busybox" };

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if (access(cand[i], X_OK) == 0)
			return cand[i];
	return NULL;
}

static int kernel_make_base(const char *path, const char *busybox,
			    struct strbuf *err)
{
	static const char *const dirs[] = { "bin", "sbin", "usr", "usr/bin",
		"usr/sbin", "dev", "proc", "sys", "tmp", "root", "stap", "etc",
		"lib", "lib64" };
	struct guest_cpio c;
	char *tmp = xasprintf("%s.%d", path, (int)getpid());
	char *cmd = xasprintf("'%s' --list-full", busybox);
	char line[256];
	FILE *p;
	int rc = -1;

	if (guest_cpio_open(&c, tmp, NULL) < 0) {
		sb_printf(err, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		guest_cpio_dir(&c, dirs[i]);
	guest_cpio_file(&c, "bin/busybox", 0755, busybox);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		char *t;
		int depth = 0;

		line[strcspn(line, "\n")] = 0;
		if (!*line || !strcmp(line, "bin/busybox") || strchr(line, ' '))
			continue;
		/* "usr/bin/awk" -> "../../bin/busybox" */
		for (t = line; (t = strchr(t, '/')); t++)
			depth++;
		if (depth < 1 || depth > 2)
			continue;
		t = depth == 1 ? xstrdup("busybox")
			       : xasprintf("%s/bin/busybox",
					   depth == 2 ? ".." : "../..");
		guest_cpio_symlink(&c, line, t);
		free(t);
	}
	if (p)
		pclose(p);
	guest_cpio_data(&c, "init", 0755, kernel_init_sh, strlen(kernel_init_sh));
	guest_cpio_data(&c, "rec.sh", 0644, kernel_rec_sh, strlen(kernel_rec_sh));
	if (guest_cpio_close(&c) < 0 || rename(tmp, path) < 0) {
		sb_printf(err, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(cmd);
	return rc;
}

int guest_kernel_prepare(struct guest_kernel *k, const char *release,
			 bool verbose, struct strbuf *err)
{
	char *root = kernel_cache_root(), *key = NULL, *old = NULL;
	char *elf = NULL, *keyfile = NULL;
	const char *busybox = guest_busybox();
	int rc = -1;

	memset(k, 0, sizeof(*k));
	k->release = xstrdup(release);
	k->vmlinuz = xasprintf("/boot/vmlinuz-%s", release);
	if (access(k->vmlinuz, R_OK) < 0) {
		sb_printf(err, "no kernel image %s to boot in the guest "
			  "(install linux-image-%s, or name another kernel "
			  "with --vm=RELEASE)", k->vmlinuz, release);
		goto out;
	}
	if (!busybox) {
		sb_puts(err, "no static busybox for the guest (install "
			"busybox-static)");
		goto out;
	}
	k->cache_dir = xasprintf("%s/%s", root, release);
	if (kernel_mkdirs(k->cache_dir) < 0) {
		sb_printf(err, "cannot create %s: %s", k->cache_dir,
			  strerror(errno));
		goto out;
	}

	/* the kernel ELF, keyed on the vmlinuz file */
	elf = xasprintf("%s/vmlinux", k->cache_dir);
	keyfile = xasprintf("%s/vmlinux.key", k->cache_dir);
	key = kernel_key(k->vmlinuz);
	old = file_read(keyfile, NULL);
	if (key && old && !strcmp(key, old) && access(elf, R_OK) == 0) {
		k->image = xstrdup(elf);
	} else {
		char *tmp = xasprintf("%s.%d", elf, (int)getpid());
		struct strbuf why = { 0 };

		if (verbose)
			fprintf(stderr, "Extracting the kernel ELF from %s into %s\n",
				k->vmlinuz, elf);
		if (kernel_extract(k->vmlinuz, tmp, &why) == 0 &&
		    rename(tmp, elf) == 0) {
			file_write(keyfile, key ? key : "");
			k->image = xstrdup(elf);
		} else {
			/* slower, but boots */
			if (verbose)
				fprintf(stderr, "%s; booting the bzImage\n",
					sb_str(&why));
			unlink(tmp);
			k->image = xstrdup(k->vmlinuz);
		}
		sb_free(&why);
		free(tmp);
	}

	/* the base initramfs, keyed on busybox, /init and /rec.sh */
	{
		char *bkey = kernel_key(busybox);
		uint64_t h = kernel_fnv(kernel_init_sh, 0xcbf29ce484222325ULL);

		h = kernel_fnv(kernel_rec_sh, h);
		h = kernel_fnv(bkey ? bkey : "", h);
		free(bkey);
		k->base_cpio = xasprintf("%s/base-%016llx.cpio", root,
					 (unsigned long long)h);
		if (access(k->base_cpio, R_OK) < 0) {
			char *pat = xasprintf("%s/base-*.cpio", root);
			glob_t g;

			if (kernel_make_base(k->base_cpio, busybox, err) < 0) {
				free(pat);
				goto out;
			}
			/* other bases are stale once nobody made one for
			 * an hour (another stap binary may still use one) */
			if (glob(pat, 0, NULL, &g) == 0) {
				for (size_t i = 0; i < g.gl_pathc; i++) {
					struct stat st;

					if (strcmp(g.gl_pathv[i], k->base_cpio) &&
					    stat(g.gl_pathv[i], &st) == 0 &&
					    st.st_mtime < time(NULL) - 3600)
						unlink(g.gl_pathv[i]);
				}
				globfree(&g);
			}
			free(pat);
		}
	}
	rc = 0;
out:
	free(root);
	free(key);
	free(old);
	free(elf);
	free(keyfile);
	return rc;
}

void guest_kernel_free(struct guest_kernel *k)
{
	free(k->release);
	free(k->vmlinuz);
	free(k->image);
	free(k->cache_dir);
	free(k->base_cpio);
	memset(k, 0, sizeof(*k));
}
