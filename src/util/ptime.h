/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ptime.h - stap's pass statistics: "using Nvirt/Nres/Nshr/Ndata kb, in Nusr/Nsys/Nreal ms." */
#ifndef STAP_PTIME_H
#define STAP_PTIME_H

struct ptime {
	long usr_us, sys_us, real_us;
};

void ptime_start(struct ptime *t);
/* writes the "using ... ms." text for the time since ptime_start */
void ptime_format(const struct ptime *t, char *buf, unsigned long len);
/* milliseconds since ptime_start */
long ptime_ms(const struct ptime *t);

#endif
