/* klplint model header <linux/kconfig.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KCONFIG_H
#define _KLPM_LINUX_KCONFIG_H

/*
 * Configuration the model assumes: a modular 64-bit kernel with livepatch
 * support.  Any of these can be overridden with -D/-U before the first include.
 */
#ifndef CONFIG_MODULES
#define CONFIG_MODULES 1
#endif
#ifndef CONFIG_MODULE_UNLOAD
#define CONFIG_MODULE_UNLOAD 1
#endif
#ifndef CONFIG_LIVEPATCH
#define CONFIG_LIVEPATCH 1
#endif
#ifndef CONFIG_64BIT
#define CONFIG_64BIT 1
#endif
#ifndef CONFIG_SMP
#define CONFIG_SMP 1
#endif

/*
 * IS_ENABLED(CONFIG_X) is 1 when CONFIG_X or CONFIG_X_MODULE is defined to 1,
 * 0 otherwise.  Pure preprocessor: the "1" of a defined option selects a
 * placeholder that adds an extra argument, shifting which argument is taken.
 */
#define __KLPM_ARG_PLACEHOLDER_1 0,
#define __klpm_take_second_arg(__ignored, val, ...) val
#define __klpm_is_defined(x) ___klpm_is_defined(x)
#define ___klpm_is_defined(val) ____klpm_is_defined(__KLPM_ARG_PLACEHOLDER_##val)
#define ____klpm_is_defined(arg1_or_junk) __klpm_take_second_arg(arg1_or_junk 1, 0)
#define __klpm_or(x, y) ___klpm_or(x, y)
#define ___klpm_or(x, y) ____klpm_or(__KLPM_ARG_PLACEHOLDER_##x, y)
#define ____klpm_or(arg1_or_junk, y) __klpm_take_second_arg(arg1_or_junk 1, y)

#define IS_BUILTIN(option) __klpm_is_defined(option)
#define IS_MODULE(option) __klpm_is_defined(option##_MODULE)
#define IS_ENABLED(option) __klpm_or(IS_BUILTIN(option), IS_MODULE(option))
#define IS_REACHABLE(option) IS_ENABLED(option)

/*
 * kbuild passes -DKBUILD_MODNAME='"name"' and -DKBUILD_BASENAME; outside
 * kbuild (a plain compiler or klplint without that information) fall back to
 * a neutral name so that pr_fmt(fmt) KBUILD_MODNAME ": " fmt still works.
 */
#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "unknown"
#endif
#ifndef KBUILD_BASENAME
#define KBUILD_BASENAME "unknown"
#endif

#endif /* _KLPM_LINUX_KCONFIG_H */
