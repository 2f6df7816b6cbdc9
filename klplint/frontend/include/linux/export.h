/* klplint model header <linux/export.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_EXPORT_H
#define _KLPM_LINUX_EXPORT_H

#include <linux/compiler.h>

/*
 * An exported symbol becomes a static record in a ___ksymtab section:
 * section name ___ksymtab<suffix>+<symbol>, value = address of the symbol.
 */
struct kernel_symbol {
	const void *value;
	const char *name;
	const char *namespace;
};

#define __EXPORT_SYMBOL(sym, suffix, ns)                                      \
	static const struct kernel_symbol __ksymtab_##sym                     \
	__attribute__((section("___ksymtab" suffix "+" #sym), used)) =        \
	{ (const void *)&sym, #sym, ns }

#define EXPORT_SYMBOL(sym)              __EXPORT_SYMBOL(sym, "", "")
#define EXPORT_SYMBOL_GPL(sym)          __EXPORT_SYMBOL(sym, "_gpl", "")
#define EXPORT_SYMBOL_NS(sym, ns)       __EXPORT_SYMBOL(sym, "", #ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)   __EXPORT_SYMBOL(sym, "_gpl", #ns)

#endif /* _KLPM_LINUX_EXPORT_H */
