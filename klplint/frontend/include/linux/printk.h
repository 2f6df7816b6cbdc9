/* klplint model header <linux/printk.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PRINTK_H
#define _KLPM_LINUX_PRINTK_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stdarg.h>
#include <linux/kern_levels.h>

/*
 * printk is a real function here (not a macro onto _printk), so every
 * pr_*() call reaches the analyzer as a call to printk, printk_once or
 * printk_ratelimited whose first argument is the full format string.
 */
extern int printk(const char *fmt, ...) __printf(1, 2);
extern int vprintk(const char *fmt, va_list args) __printf(1, 0);
extern int printk_deferred(const char *fmt, ...) __printf(1, 2);
extern int printk_once(const char *fmt, ...) __printf(1, 2);
extern int printk_ratelimited(const char *fmt, ...) __printf(1, 2);
extern int printk_ratelimit(void);
extern void dump_stack(void);
extern void dump_stack_lvl(const char *log_lvl);

/* Console log level, as a plain variable. */
extern int console_loglevel;
extern int default_message_loglevel;
#define CONSOLE_LOGLEVEL_SILENT         0
#define CONSOLE_LOGLEVEL_MIN            1
#define CONSOLE_LOGLEVEL_DEBUG          10
#define CONSOLE_LOGLEVEL_MOTORMOUTH     15
#define CONSOLE_LOGLEVEL_DEFAULT        7
#define CONSOLE_LOGLEVEL_QUIET          4

/* A file may define pr_fmt before including this header. */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)      printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)      printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)       printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)        printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)       printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning(fmt, ...)    printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)     printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)       printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)      printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...)      printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)       printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_default(fmt, ...)    printk(KERN_DEFAULT pr_fmt(fmt), ##__VA_ARGS__)
#define no_printk(fmt, ...)     ((void)0)

#define pr_emerg_once(fmt, ...)  printk_once(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_once(fmt, ...)  printk_once(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_once(fmt, ...)   printk_once(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...)    printk_once(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)   printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_once(fmt, ...) printk_once(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_once(fmt, ...)   printk_once(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_once(fmt, ...)  printk_once(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont_once(fmt, ...)   printk_once(KERN_CONT fmt, ##__VA_ARGS__)

#define pr_emerg_ratelimited(fmt, ...)  printk_ratelimited(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_ratelimited(fmt, ...)  printk_ratelimited(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_ratelimited(fmt, ...)   printk_ratelimited(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)    printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)   printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...) printk_ratelimited(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)   printk_ratelimited(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_ratelimited(fmt, ...)  printk_ratelimited(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

/* Hex dumps. */
enum {
	DUMP_PREFIX_NONE,
	DUMP_PREFIX_ADDRESS,
	DUMP_PREFIX_OFFSET
};
extern void print_hex_dump(const char *level, const char *prefix_str,
			   int prefix_type, int rowsize, int groupsize,
			   const void *buf, size_t len, bool ascii);
extern void print_hex_dump_bytes(const char *prefix_str, int prefix_type,
				 const void *buf, size_t len);

#endif /* _KLPM_LINUX_PRINTK_H */
