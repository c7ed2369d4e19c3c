/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpio.c - a tiny writer of "newc" cpio archives, the format the kernel
 * unpacks into its initramfs.  Only what an initramfs needs: directories,
 * regular files, symlinks; uid/gid 0, mtime 0.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guest/vm.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void cpio_fail(struct guest_cpio *c, int err)
{
	if (!c->err)
		c->err = err ? err : EIO;
}

static void cpio_pad(struct guest_cpio *c, size_t n)
{
	static const char zero[4];

	if (n % 4)
		fwrite(zero, 1, 4 - n % 4, c->f);
}

static void cpio_header(struct guest_cpio *c, const char *name, unsigned mode,
			size_t size)
{
	size_t nlen = strlen(name) + 1;

	fprintf(c->f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		c->ino++, mode, 0u, 0u, (mode & S_IFMT) == S_IFDIR ? 2u : 1u,
		0u, size, 0u, 0u, 0u, 0u, nlen, 0u);
	fwrite(name, 1, nlen, c->f);
	cpio_pad(c, 110 + nlen);
}

int guest_cpio_open(struct guest_cpio *c, const char *path, const char *base)
{
	memset(c, 0, sizeof(*c));
	c->ino = 1000;
	c->f = fopen(path, "wb");
	if (!c->f)
		return -1;
	if (base) {
		FILE *in = fopen(base, "rb");
		char buf[65536];
		size_t n;

		if (!in) {
			cpio_fail(c, errno);
			return 0;
		}
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, c->f);
		fclose(in);
		/* each archive starts 4-aligned; ours always are */
	}
	return 0;
}

void guest_cpio_dir(struct guest_cpio *c, const char *name)
{
	cpio_header(c, name, S_IFDIR | 0755, 0);
}

void guest_cpio_parents(struct guest_cpio *c, const char *name)
{
	char *p = xstrdup(name);

	for (char *s = p + (*p == '/'); (s = strchr(s, '/')); s++) {
		*s = 0;
		guest_cpio_dir(c, *p == '/' ? p + 1 : p);
		*s = '/';
	}
	free(p);
}

void guest_cpio_data(struct guest_cpio *c, const char *name, unsigned mode,
		     const void *data, size_t n)
{
	cpio_header(c, name, S_IFREG | (mode & 07777), n);
	fwrite(data, 1, n, c->f);
	cpio_pad(c, n);
}

int guest_cpio_file(struct guest_cpio *c, const char *name, unsigned mode,
		    const char *host_path)
{
	FILE *in = fopen(host_path, "rb");
	struct stat st;
	char buf[65536];
	size_t n, done = 0;

	if (!in || fstat(fileno(in), &st) < 0) {
		int e = errno;

		if (in)
			fclose(in);
		errno = e;
		return -1;
	}
	if (!mode)
		mode = st.st_mode & 07777;
	cpio_header(c, name, S_IFREG | (mode & 07777), (size_t)st.st_size);
	while (done < (size_t)st.st_size &&
	       (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (n > (size_t)st.st_size - done)
			n = (size_t)st.st_size - done;
		fwrite(buf, 1, n, c->f);
		done += n;
	}
	fclose(in);
	if (done != (size_t)st.st_size) {
		cpio_fail(c, EIO);	/* the file shrank under us */
		return -1;
	}
	cpio_pad(c, done);
	return 0;
}

void guest_cpio_symlink(struct guest_cpio *c, const char *name,
			const char *target)
{
	size_t n = strlen(target);

	cpio_header(c, name, S_IFLNK | 0777, n);
	fwrite(target, 1, n, c->f);
	cpio_pad(c, n);
}

/* does the ELF at path ask for a program interpreter? */
static int cpio_is_dynamic(const char *path)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	int dyn = 0;

	if (!f)
		return -1;
	if (fread(&eh, sizeof(eh), 1, f) == 1 &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize),
				  SEEK_SET) ||
			    fread(&ph, sizeof(ph), 1, f) != 1)
				break;
			if (ph.p_type == PT_INTERP)
				dyn = 1;
		}
	}
	fclose(f);
	return dyn;
}

int guest_cpio_exe(struct guest_cpio *c, const char *name,
		   const char *host_path)
{
	struct strbuf cmd = { 0 };
	char line[1024];
	FILE *p;
	int dyn = cpio_is_dynamic(host_path);

	if (dyn < 0)
		return -1;
	guest_cpio_parents(c, name);
	if (guest_cpio_file(c, name, 0755, host_path) < 0)
		return -1;
	if (!dyn)
		return 0;
	sb_puts(&cmd, "ldd ");
	guest_sh_quote(&cmd, host_path);
	sb_puts(&cmd, " 2>/dev/null");
	p = popen(cmd.s, "r");
	sb_free(&cmd);
	if (!p)
		return -1;
	/* "libc.so.6 => /lib/.../libc.so.6 (0x...)" or "/lib64/ld-... (0x...)" */
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "=> ");

		s = s ? s + 3 : line;
		s += strspn(s, " \t");
		if (*s != '/')
			continue;
		s[strcspn(s, " \t\n")] = 0;
		guest_cpio_parents(c, s + 1);
		if (guest_cpio_file(c, s + 1, 0755, s) < 0)
			cpio_fail(c, errno);
	}
	pclose(p);
	return c->err ? -1 : 0;
}

int guest_cpio_close(struct guest_cpio *c)
{
	int err;

	cpio_header(c, "TRAILER!!!", 0, 0);
	if (ferror(c->f))
		cpio_fail(c, EIO);
	if (fclose(c->f))
		cpio_fail(c, errno);
	c->f = NULL;
	err = c->err;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

void guest_sh_quote(struct strbuf *sb, const char *text)
{
	sb_putc(sb, '\'');
	for (const char *t = text; *t; t++) {
		if (*t == '\'')
			sb_puts(sb, "'\\''");
		else
			sb_putc(sb, *t);
	}
	sb_putc(sb, '\'');
}
