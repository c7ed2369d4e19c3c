/* SPDX-License-Identifier: GPL-2.0-or-later */
/* output.c - stapio's output files: bulk per-CPU files and switching */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "output.h"

#define SR_OUT_MAX_CPUS 8192

/* a file of this sink is a real file (not stdout) */
static int sr_out_is_file(const struct sr_out *o)
{
	return o->file || o->bulk;
}

/* the name of file number fnum of cpu's sink */
static int sr_out_name(const struct sr_out *o, int cpu, long fnum,
		       char *buf, size_t n)
{
	size_t len = 0;
	int w;

	if (o->file) {
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		len = strftime(buf, n, o->file, &tm);
		if (!len)	/* empty or too long: take it as it is */
			len = (size_t)snprintf(buf, n, "%s", o->file);
	}
	if (len >= n)
		return -1;
	if (o->bulk && !o->file)
		w = snprintf(buf, n, "stpd_cpu%d", cpu);
	else if (o->bulk)
		w = snprintf(buf + len, n - len, "_%s%d",
			     o->background ? "cpu" : "", cpu);
	else
		w = 0;
	if (w < 0 || (len += (size_t)w) >= n)
		return -1;
	if (o->switch_mb || fnum > 0)
		w = snprintf(buf + len, n - len, ".%ld", fnum);
	return w < 0 || len + (size_t)w >= n ? -1 : 0;
}

static int sr_out_open_sink(struct sr_out *o, int cpu)
{
	struct sr_out_sink *s = &o->sinks[cpu];
	char name[4096];

	if (sr_out_name(o, cpu, s->fnum, name, sizeof(name))) {
		sr_err("ERROR: output file name too long: '%s'\n", o->file);
		return -1;
	}
	s->fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	s->bytes = 0;
	if (s->fd < 0) {
		sr_err("ERROR: Couldn't open output file '%s': %s\n", name,
		       strerror(errno));
		return -1;
	}
	/* -S size,N: the file N numbers back goes */
	if (o->keep && s->fnum >= o->keep &&
	    !sr_out_name(o, cpu, s->fnum - o->keep, name, sizeof(name)))
		unlink(name);
	return 0;
}

static int sr_out_next(struct sr_out *o, int cpu)
{
	struct sr_out_sink *s = &o->sinks[cpu];

	if (s->fd >= 0 && close(s->fd)) {
		sr_err("ERROR: Couldn't write output: %s\n", strerror(errno));
		s->fd = -1;
		return -1;
	}
	s->fd = -1;
	s->fnum++;
	return sr_out_open_sink(o, cpu);
}

/* make room for sinks 0..cpu; new ones start closed */
static int sr_out_grow(struct sr_out *o, int cpu)
{
	struct sr_out_sink *n;

	if (cpu < o->nsinks)
		return 0;
	if (cpu >= SR_OUT_MAX_CPUS)
		return -1;
	n = realloc(o->sinks, sizeof(*n) * (size_t)(cpu + 1));
	if (!n)
		return -1;
	for (int i = o->nsinks; i <= cpu; i++)
		n[i] = (struct sr_out_sink){ .fd = -1 };
	o->sinks = n;
	o->nsinks = cpu + 1;
	return 0;
}

int sr_out_open(struct sr_out *o)
{
	long cpus = o->bulk ? sysconf(_SC_NPROCESSORS_ONLN) : 1;

	if (cpus < 1)
		cpus = 1;
	if (sr_out_grow(o, (int)cpus - 1)) {
		sr_err("ERROR: out of memory\n");
		return -1;
	}
	if (!sr_out_is_file(o)) {
		o->sinks[0].fd = STDOUT_FILENO;
		return 0;
	}
	/* every online CPU's file exists, even if that CPU never prints */
	for (int i = 0; i < o->nsinks; i++)
		if (sr_out_open_sink(o, i))
			return -1;
	return 0;
}

int sr_out_write(struct sr_out *o, int cpu, const char *buf, size_t n)
{
	unsigned long long limit = (unsigned long long)o->switch_mb << 20;
	struct sr_out_sink *s;

	if (!o->bulk)
		cpu = 0;
	if (cpu < 0 || sr_out_grow(o, cpu)) {
		errno = EINVAL;
		return -1;
	}
	s = &o->sinks[cpu];
	if (s->fd < 0 && sr_out_open_sink(o, cpu))
		return -1;
	while (n) {
		size_t take = n;

		if (limit && s->bytes + n > limit) {
			/* a stream switches at a line end, a record whole */
			size_t room = s->bytes < limit ? limit - s->bytes : 0;
			const char *nl = !o->bulk && room ?
					 memrchr(buf, '\n', room) : NULL;

			if (nl) {
				take = (size_t)(nl - buf) + 1;
			} else if (s->bytes) {
				if (sr_out_next(o, cpu))
					return -1;
				continue;
			}
		}
		if (sr_write_all(s->fd, buf, take))
			return -1;
		s->bytes += take;
		buf += take;
		n -= take;
	}
	return 0;
}

int sr_out_switch_all(struct sr_out *o)
{
	int rc = 0;

	if (!sr_out_is_file(o))
		return 0;
	for (int i = 0; i < o->nsinks; i++)
		if (o->sinks[i].fd >= 0 && sr_out_next(o, i))
			rc = -1;
	return rc;
}

int sr_out_close(struct sr_out *o)
{
	int rc = 0;

	for (int i = 0; sr_out_is_file(o) && i < o->nsinks; i++) {
		if (o->sinks[i].fd >= 0 && close(o->sinks[i].fd)) {
			sr_err("ERROR: Couldn't write output file: %s\n",
			       strerror(errno));
			rc = -1;
		}
	}
	free(o->sinks);
	o->sinks = NULL;
	o->nsinks = 0;
	return rc;
}

int sr_out_parse_switch(const char *arg, long *mb, long *keep)
{
	char size[32];
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	if (len >= sizeof(size))
		return -1;
	memcpy(size, arg, len);
	size[len] = 0;
	*keep = 0;
	if (sr_parse_long(size, 1, 1L << 30, mb))
		return -1;
	return comma ? sr_parse_long(comma + 1, 1, 0x7fffffff, keep) : 0;
}
