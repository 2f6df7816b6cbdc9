/* klplint model header <linux/bug.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_BUG_H
#define _KLPM_LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/build_bug.h>

/*
 * WARN*() are calls that return their condition (normalised to 0/1), so
 * "if (WARN_ON(x))" keeps its meaning and the analyzer sees the warning.
 * BUG() calls a function that does not return.
 */
extern int __warn_on(int condition);
extern int __warn_on_once(int condition);
extern int __warn(int condition, const char *fmt, ...) __printf(2, 3);
extern int __warn_once(int condition, const char *fmt, ...) __printf(2, 3);
extern void __noreturn __bug(void);

#define WARN_ON(condition)              __warn_on(!!(condition))
#define WARN_ON_ONCE(condition)         __warn_on_once(!!(condition))
#define WARN(condition, fmt, ...)       __warn(!!(condition), fmt, ##__VA_ARGS__)
#define WARN_ONCE(condition, fmt, ...)  __warn_once(!!(condition), fmt, ##__VA_ARGS__)
#define WARN_TAINT(condition, taint, fmt, ...) __warn(!!(condition), fmt, ##__VA_ARGS__)
#define WARN_ON_SMP(condition)          WARN_ON(condition)

#define BUG()                           __bug()
#define BUG_ON(condition)               do { if (condition) BUG(); } while (0)
#define VM_BUG_ON(condition)            BUG_ON(condition)

#endif /* _KLPM_LINUX_BUG_H */
