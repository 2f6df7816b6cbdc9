/* klplint model header <linux/kernel.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KERNEL_H
#define _KLPM_LINUX_KERNEL_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#include <linux/stdarg.h>
#include <linux/stringify.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/container_of.h>
#include <linux/minmax.h>
#include <linux/kstrtox.h>
#include <linux/bitops.h>

/* Sizes and arithmetic. */
#define ARRAY_SIZE(arr)         (sizeof(arr) / sizeof((arr)[0]))
#define ALIGN(x, a)             (((x) + ((a) - 1)) & ~((a) - 1))
#define ALIGN_DOWN(x, a)        ((x) & ~((a) - 1))
#define IS_ALIGNED(x, a)        (((x) & ((a) - 1)) == 0)
#define PTR_ALIGN(p, a)         ((void *)ALIGN((unsigned long)(p), (a)))
#define DIV_ROUND_UP(n, d)      (((n) + (d) - 1) / (d))
#define DIV_ROUND_CLOSEST(x, d) (((x) + ((d) / 2)) / (d))
#define roundup(x, y)           ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)         ((x) - ((x) % (y)))
#define round_up(x, y)          ((((x) - 1) | ((y) - 1)) + 1)
#define round_down(x, y)        ((x) & ~((y) - 1))
#define abs(x)                  ((x) < 0 ? -(x) : (x))
#define BIT(nr)                 (1UL << (nr))
#define BIT_ULL(nr)             (1ULL << (nr))
#define GENMASK(h, l)           (((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define upper_32_bits(n)        ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)        ((u32)((n) & 0xffffffff))
#define SZ_1K                   0x00000400
#define SZ_4K                   0x00001000
#define SZ_1M                   0x00100000

/* Formatting. */
extern int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
extern int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
extern int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
extern int vsprintf(char *buf, const char *fmt, va_list args) __printf(2, 0);
extern int vsnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
extern int vscnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
extern int sscanf(const char *buf, const char *fmt, ...) __scanf(2, 3);
extern char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3) __malloc;
extern char *kvasprintf(gfp_t gfp, const char *fmt, va_list args) __printf(2, 0) __malloc;
extern const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list args) __printf(2, 0);
extern int num_to_str(char *buf, int size, unsigned long long num, unsigned int width);

/* Scheduling points and context checks. */
extern void might_sleep(void);
extern void might_fault(void);
extern int cond_resched(void);
#define might_sleep_if(cond)    do { if (cond) might_sleep(); } while (0)

/* Fatal errors and taint. */
extern void __noreturn panic(const char *fmt, ...) __printf(1, 2);
extern void add_taint(unsigned int flag, int lockdep_ok);
extern int test_taint(unsigned int flag);
#define TAINT_LIVEPATCH         15
#define LOCKDEP_STILL_OK        1
#define LOCKDEP_NOW_UNRELIABLE  0

/* Tracing buffer. */
extern int trace_printk(const char *fmt, ...) __printf(1, 2);

/* System state. */
enum system_states {
	SYSTEM_BOOTING,
	SYSTEM_SCHEDULING,
	SYSTEM_FREEING_INITMEM,
	SYSTEM_RUNNING,
	SYSTEM_HALT,
	SYSTEM_POWER_OFF,
	SYSTEM_RESTART,
	SYSTEM_SUSPEND
};
extern enum system_states system_state;

#endif /* _KLPM_LINUX_KERNEL_H */
