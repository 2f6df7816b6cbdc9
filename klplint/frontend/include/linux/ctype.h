/* klplint model header <linux/ctype.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CTYPE_H
#define _KLPM_LINUX_CTYPE_H

/* Character classes as plain functions. */
extern int isalnum(int c);
extern int isalpha(int c);
extern int iscntrl(int c);
extern int isdigit(int c);
extern int isgraph(int c);
extern int islower(int c);
extern int isprint(int c);
extern int ispunct(int c);
extern int isspace(int c);
extern int isupper(int c);
extern int isxdigit(int c);
extern int isascii(int c);
extern int toupper(int c);
extern int tolower(int c);
extern char _tolower(const char c);

#endif /* _KLPM_LINUX_CTYPE_H */
