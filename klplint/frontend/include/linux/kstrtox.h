/* klplint model header <linux/kstrtox.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KSTRTOX_H
#define _KLPM_LINUX_KSTRTOX_H

#include <linux/compiler.h>
#include <linux/types.h>

extern int __must_check kstrtoull(const char *s, unsigned int base, unsigned long long *res);
extern int __must_check kstrtoll(const char *s, unsigned int base, long long *res);
extern int __must_check kstrtoul(const char *s, unsigned int base, unsigned long *res);
extern int __must_check kstrtol(const char *s, unsigned int base, long *res);
extern int __must_check kstrtouint(const char *s, unsigned int base, unsigned int *res);
extern int __must_check kstrtoint(const char *s, unsigned int base, int *res);
extern int __must_check kstrtou64(const char *s, unsigned int base, u64 *res);
extern int __must_check kstrtos64(const char *s, unsigned int base, s64 *res);
extern int __must_check kstrtou32(const char *s, unsigned int base, u32 *res);
extern int __must_check kstrtos32(const char *s, unsigned int base, s32 *res);
extern int __must_check kstrtou16(const char *s, unsigned int base, u16 *res);
extern int __must_check kstrtos16(const char *s, unsigned int base, s16 *res);
extern int __must_check kstrtou8(const char *s, unsigned int base, u8 *res);
extern int __must_check kstrtos8(const char *s, unsigned int base, s8 *res);
extern int __must_check kstrtobool(const char *s, bool *res);

extern int __must_check kstrtoull_from_user(const char __user *s, size_t count, unsigned int base, unsigned long long *res);
extern int __must_check kstrtoul_from_user(const char __user *s, size_t count, unsigned int base, unsigned long *res);
extern int __must_check kstrtouint_from_user(const char __user *s, size_t count, unsigned int base, unsigned int *res);
extern int __must_check kstrtoint_from_user(const char __user *s, size_t count, unsigned int base, int *res);
extern int __must_check kstrtobool_from_user(const char __user *s, size_t count, bool *res);

extern unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base);
extern long simple_strtol(const char *cp, char **endp, unsigned int base);
extern unsigned long long simple_strtoull(const char *cp, char **endp, unsigned int base);
extern long long simple_strtoll(const char *cp, char **endp, unsigned int base);

#endif /* _KLPM_LINUX_KSTRTOX_H */
