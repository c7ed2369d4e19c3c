/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp_time.h - gettimeofday_{s,ms,us,ns}(): wall clock, any context */
#ifndef STP_TIME_H
#define STP_TIME_H

static inline int64_t stp_gettimeofday_ns(void)
{
	return ktime_get_real_fast_ns();
}

static inline int64_t stp_gettimeofday_us(void)
{
	return div_s64(stp_gettimeofday_ns(), NSEC_PER_USEC);
}

static inline int64_t stp_gettimeofday_ms(void)
{
	return div_s64(stp_gettimeofday_ns(), NSEC_PER_MSEC);
}

static inline int64_t stp_gettimeofday_s(void)
{
	return div_s64(stp_gettimeofday_ns(), NSEC_PER_SEC);
}

#endif /* STP_TIME_H */
