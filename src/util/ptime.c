/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "util/ptime.h"

static void now(struct ptime *t)
{
	struct rusage ru;
	struct timespec ts;

	getrusage(RUSAGE_SELF, &ru);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->usr_us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec;
	t->sys_us = ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
	t->real_us = ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

void ptime_start(struct ptime *t)
{
	now(t);
}

long ptime_ms(const struct ptime *t)
{
	struct ptime n;

	now(&n);
	return (n.real_us - t->real_us) / 1000;
}

void ptime_format(const struct ptime *t, char *buf, unsigned long len)
{
	long size = 0, res = 0, shr = 0, text = 0, lib = 0, data = 0;
	long kb = sysconf(_SC_PAGESIZE) / 1024;
	struct ptime n;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld %ld %ld %ld %ld", &size, &res, &shr, &text, &lib, &data) != 6)
			size = res = shr = data = 0;
		fclose(f);
	}
	now(&n);
	snprintf(buf, len, "using %ldvirt/%ldres/%ldshr/%lddata kb, in %ldusr/%ldsys/%ldreal ms.",
		 size * kb, res * kb, shr * kb, data * kb,
		 (n.usr_us - t->usr_us) / 1000, (n.sys_us - t->sys_us) / 1000,
		 (n.real_us - t->real_us) / 1000);
}
