/* klplint model header <linux/ktime.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KTIME_H
#define _KLPM_LINUX_KTIME_H

#include <linux/types.h>
#include <linux/jiffies.h>

/* ktime_t (nanoseconds, s64) is in <linux/types.h>. */
#define NSEC_PER_USEC   1000L
#define NSEC_PER_MSEC   1000000L
#define NSEC_PER_SEC    1000000000L
#define USEC_PER_MSEC   1000L
#define USEC_PER_SEC    1000000L
#define MSEC_PER_SEC    1000L

#define ktime_set(secs, nsecs)  ((ktime_t)(secs) * NSEC_PER_SEC + (ktime_t)(nsecs))
#define ktime_add(a, b)         ((a) + (b))
#define ktime_sub(a, b)         ((a) - (b))
#define ktime_add_ns(kt, ns)    ((kt) + (ktime_t)(ns))
#define ktime_add_ms(kt, ms)    ((kt) + (ktime_t)(ms) * NSEC_PER_MSEC)
#define ktime_to_ns(kt)         ((s64)(kt))
#define ktime_to_us(kt)         ((s64)(kt) / NSEC_PER_USEC)
#define ktime_to_ms(kt)         ((s64)(kt) / NSEC_PER_MSEC)
#define ns_to_ktime(ns)         ((ktime_t)(ns))
#define ms_to_ktime(ms)         ((ktime_t)(ms) * NSEC_PER_MSEC)
#define ktime_compare(a, b)     ((a) < (b) ? -1 : ((a) > (b) ? 1 : 0))
#define ktime_after(a, b)       ((a) > (b))
#define ktime_before(a, b)      ((a) < (b))

extern ktime_t ktime_get(void);
extern ktime_t ktime_get_real(void);
extern ktime_t ktime_get_boottime(void);
extern u64 ktime_get_ns(void);
extern u64 ktime_get_real_ns(void);
extern u64 ktime_get_boottime_ns(void);
extern time64_t ktime_get_seconds(void);
extern time64_t ktime_get_real_seconds(void);
extern u64 local_clock(void);

#endif /* _KLPM_LINUX_KTIME_H */
