/* klplint model header <linux/time.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_TIME_H
#define _KLPM_LINUX_TIME_H

#include <linux/types.h>
#include <linux/ktime.h>

struct timespec64 {
	time64_t tv_sec;
	long tv_nsec;
};

extern void ktime_get_ts64(struct timespec64 *ts);
extern void ktime_get_real_ts64(struct timespec64 *ts);
extern struct timespec64 ns_to_timespec64(s64 nsec);

#endif /* _KLPM_LINUX_TIME_H */
