/* klplint model header <linux/jiffies.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_JIFFIES_H
#define _KLPM_LINUX_JIFFIES_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/limits.h>

#ifndef HZ
#define HZ 250
#endif
#define USER_HZ 100

extern unsigned long volatile jiffies;
extern u64 jiffies_64;
extern u64 get_jiffies_64(void);

#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

/* Wrap-safe comparisons, as plain arithmetic. */
#define time_after(a, b)                ((long)((b) - (a)) < 0)
#define time_before(a, b)               time_after(b, a)
#define time_after_eq(a, b)             ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)            time_after_eq(b, a)
#define time_in_range(a, b, c)          (time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c)     (time_after_eq(a, b) && time_before(a, c))
#define time_after64(a, b)              ((s64)((b) - (a)) < 0)
#define time_before64(a, b)             time_after64(b, a)
#define time_is_before_jiffies(a)       time_after(jiffies, a)
#define time_is_after_jiffies(a)        time_before(jiffies, a)

/* Conversions are calls. */
extern unsigned long msecs_to_jiffies(const unsigned int m);
extern unsigned long usecs_to_jiffies(const unsigned int u);
extern unsigned long nsecs_to_jiffies(u64 n);
extern unsigned int jiffies_to_msecs(const unsigned long j);
extern unsigned int jiffies_to_usecs(const unsigned long j);
extern u64 jiffies_to_nsecs(const unsigned long j);
extern u64 jiffies64_to_nsecs(u64 j);
extern unsigned long round_jiffies(unsigned long j);
extern unsigned long round_jiffies_relative(unsigned long j);
extern unsigned long round_jiffies_up(unsigned long j);

#endif /* _KLPM_LINUX_JIFFIES_H */
