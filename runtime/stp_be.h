/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_be.h - begin, end and error probes: run once, in the order of their
 * sequence numbers (the translator sorts the table).  end probes are
 * skipped when the session had more than MAXERRORS errors (also those
 * after an end probe that made it so); error probes run only then.
 */
#ifndef STP_BE_H
#define STP_BE_H

enum { STP_BE_BEGIN, STP_BE_END, STP_BE_ERROR };

struct stp_be {
	const struct stp_probe *probe;
	int type;
};

static void __maybe_unused stp_be_run(const struct stp_be *be, int n, int type)
{
	int state = type == STP_BE_BEGIN ? STP_SS_STARTING : STP_SS_STOPPING;
	int i;

	for (i = 0; i < n; i++) {
		/* as stap: past MAXERRORS the remaining end probes are off */
		if (type == STP_BE_END &&
		    atomic_read(&stp_rt.errors) > MAXERRORS)
			break;
		if (be[i].type == type)
			stp_probe_run(be[i].probe, NULL, state);
	}
}

/* at session end: the end probes, or the error probes after errors */
static void __maybe_unused stp_be_run_end(const struct stp_be *be, int n)
{
	if (atomic_read(&stp_rt.aborted))
		return;
	stp_be_run(be, n, atomic_read(&stp_rt.errors) > MAXERRORS ?
		   STP_BE_ERROR : STP_BE_END);
}

#endif /* STP_BE_H */
