/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - where stapio writes the script's output (prefix sr_out_):
 * stdout or -o FILE, one file per CPU in bulk mode, and file switching
 * (-S size[,N], SIGUSR2).  File names, as stap's:
 *
 *   -o FILE              FILE            (after a switch: FILE.1, FILE.2 ...)
 *   -o FILE -S ...       FILE.0, FILE.1 ...
 *   bulk, no -o          stpd_cpuN
 *   bulk, -o FILE        FILE_N          (FILE_cpuN in background mode)
 *   bulk with -S         the names above plus .0, .1 ...
 *
 * FILE may hold strftime(3) conversions, expanded when a file is opened.
 */
#ifndef STAPRUN_OUTPUT_H
#define STAPRUN_OUTPUT_H

#include <stddef.h>

struct sr_out_sink {
	int fd;
	long fnum;			/* number of the current file */
	unsigned long long bytes;	/* written to the current file */
};

struct sr_out {
	/* options */
	const char *file;	/* -o FILE, NULL for stdout / stpd_cpuN */
	int bulk;		/* per-CPU files */
	int background;		/* staprun -D: bulk files are FILE_cpuN */
	long switch_mb;		/* -S size: switch after that many MB, 0: never */
	long keep;		/* -S size,N: keep the newest N files, 0: all */
	/* state */
	struct sr_out_sink *sinks;	/* [cpu] in bulk mode, else [0] */
	int nsinks;
};

/* Open the first file(s).  0, or -1 after an ERROR message. */
int sr_out_open(struct sr_out *o);
/* Write a record of CPU cpu (bulk) or stream bytes (cpu ignored).  0, or
 * -1 with errno set. */
int sr_out_write(struct sr_out *o, int cpu, const char *buf, size_t n);
/* SIGUSR2: every file that is a file moves on to its next number. */
int sr_out_switch_all(struct sr_out *o);
/* Close everything: 0, or -1 after an ERROR message. */
int sr_out_close(struct sr_out *o);

/* -S size[,N]: 0, or -1 if malformed */
int sr_out_parse_switch(const char *arg, long *mb, long *keep);

#endif
