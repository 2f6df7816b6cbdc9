/* klplint model header <linux/kallsyms.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KALLSYMS_H
#define _KLPM_LINUX_KALLSYMS_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/bitops.h>

#define KSYM_NAME_LEN 512
#define KSYM_SYMBOL_LEN (sizeof("%s+%#lx/%#lx [%s %s]") + KSYM_NAME_LEN + \
			 2 * (BITS_PER_LONG * 3 / 10) + 56 + 1)

struct module;

extern unsigned long kallsyms_lookup_name(const char *name);
extern int kallsyms_on_each_symbol(int (*fn)(void *data, const char *name,
					     struct module *mod, unsigned long addr),
				   void *data);
extern const char *kallsyms_lookup(unsigned long addr, unsigned long *symbolsize,
				   unsigned long *offset, char **modname, char *namebuf);
extern int sprint_symbol(char *buffer, unsigned long address);
extern int sprint_symbol_no_offset(char *buffer, unsigned long address);
extern int sprint_backtrace(char *buffer, unsigned long address);
extern int lookup_symbol_name(unsigned long addr, char *symname);
extern int kallsyms_lookup_size_offset(unsigned long addr, unsigned long *symbolsize,
				       unsigned long *offset);
extern int module_kallsyms_on_each_symbol(const char *modname,
					  int (*fn)(void *data, const char *name, unsigned long addr),
					  void *data);

#endif /* _KLPM_LINUX_KALLSYMS_H */
