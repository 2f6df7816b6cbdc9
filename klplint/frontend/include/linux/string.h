/* klplint model header <linux/string.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_STRING_H
#define _KLPM_LINUX_STRING_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>

extern size_t strlen(const char *s);
extern size_t strnlen(const char *s, size_t maxlen);
extern int strcmp(const char *a, const char *b);
extern int strncmp(const char *a, const char *b, size_t n);
extern int strcasecmp(const char *a, const char *b);
extern int strncasecmp(const char *a, const char *b, size_t n);
extern char *strcpy(char *dst, const char *src);
extern char *strncpy(char *dst, const char *src, size_t n);
extern size_t strlcpy(char *dst, const char *src, size_t size);
extern ssize_t strscpy(char *dst, const char *src, size_t size);
extern ssize_t strscpy_pad(char *dst, const char *src, size_t size);
extern char *strcat(char *dst, const char *src);
extern char *strncat(char *dst, const char *src, size_t n);
extern size_t strlcat(char *dst, const char *src, size_t size);
extern char *strchr(const char *s, int c);
extern char *strrchr(const char *s, int c);
extern char *strnchr(const char *s, size_t count, int c);
extern char *strchrnul(const char *s, int c);
extern char *strstr(const char *haystack, const char *needle);
extern char *strnstr(const char *haystack, const char *needle, size_t len);
extern char *strpbrk(const char *s, const char *accept);
extern char *strsep(char **s, const char *delim);
extern size_t strspn(const char *s, const char *accept);
extern size_t strcspn(const char *s, const char *reject);
extern char *strim(char *s);
extern char *skip_spaces(const char *s);
extern char *strreplace(char *s, char old, char new_char);
extern bool sysfs_streq(const char *a, const char *b);
extern int match_string(const char * const *array, size_t n, const char *string);
extern size_t str_has_prefix(const char *s, const char *prefix);

extern void *memcpy(void *dst, const void *src, size_t n);
extern void *memmove(void *dst, const void *src, size_t n);
extern void *memset(void *s, int c, size_t n);
extern int memcmp(const void *a, const void *b, size_t n);
extern void *memchr(const void *s, int c, size_t n);
extern void *memscan(void *addr, int c, size_t size);
extern void memzero_explicit(void *s, size_t count);

/* Allocating string helpers (gfp_t flags from <linux/gfp.h>). */
extern char *kstrdup(const char *s, gfp_t gfp) __malloc;
extern const char *kstrdup_const(const char *s, gfp_t gfp);
extern char *kstrndup(const char *s, size_t max, gfp_t gfp) __malloc;
extern void *kmemdup(const void *src, size_t len, gfp_t gfp) __malloc;
extern char *kmemdup_nul(const char *s, size_t len, gfp_t gfp) __malloc;
extern void kfree_const(const void *x);
extern void *memdup_user(const void __user *src, size_t len);
extern char *strndup_user(const char __user *s, long n);

#endif /* _KLPM_LINUX_STRING_H */
