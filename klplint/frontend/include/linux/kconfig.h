/* klplint model header <linux/kconfig.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KCONFIG_H
#define _KLPM_LINUX_KCONFIG_H

/*
 * The configuration of a distribution's x86_64 kernel (the options a livepatch
 * module is commonly conditional on): modular, 64-bit, SMP, with livepatch.
 * kbuild force-includes this header before the first line of every file, and
 * so does klplint's bundled mode; any option can be overridden with -D/-U.
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
#ifndef CONFIG_X86
#define CONFIG_X86 1
#endif
#ifndef CONFIG_X86_64
#define CONFIG_X86_64 1
#endif
#ifndef CONFIG_MMU
#define CONFIG_MMU 1
#endif
#ifndef CONFIG_NET
#define CONFIG_NET 1
#endif
#ifndef CONFIG_INET
#define CONFIG_INET 1
#endif
#ifndef CONFIG_IPV6
#define CONFIG_IPV6 1
#endif
#ifndef CONFIG_PRINTK
#define CONFIG_PRINTK 1
#endif
#ifndef CONFIG_KALLSYMS
#define CONFIG_KALLSYMS 1
#endif
#ifndef CONFIG_KPROBES
#define CONFIG_KPROBES 1
#endif
#ifndef CONFIG_FTRACE
#define CONFIG_FTRACE 1
#endif
#ifndef CONFIG_FUNCTION_TRACER
#define CONFIG_FUNCTION_TRACER 1
#endif
#ifndef CONFIG_DYNAMIC_FTRACE
#define CONFIG_DYNAMIC_FTRACE 1
#endif
#ifndef CONFIG_HAVE_RELIABLE_STACKTRACE
#define CONFIG_HAVE_RELIABLE_STACKTRACE 1
#endif
#ifndef CONFIG_JUMP_LABEL
#define CONFIG_JUMP_LABEL 1
#endif
#ifndef CONFIG_SYSFS
#define CONFIG_SYSFS 1
#endif
#ifndef CONFIG_PROC_FS
#define CONFIG_PROC_FS 1
#endif
#ifndef CONFIG_DEBUG_FS
#define CONFIG_DEBUG_FS 1
#endif
#ifndef CONFIG_NUMA
#define CONFIG_NUMA 1
#endif
#ifndef CONFIG_SECURITY
#define CONFIG_SECURITY 1
#endif
#ifndef CONFIG_MULTIUSER
#define CONFIG_MULTIUSER 1
#endif
#ifndef CONFIG_BLOCK
#define CONFIG_BLOCK 1
#endif
#ifndef CONFIG_SWAP
#define CONFIG_SWAP 1
#endif
#ifndef CONFIG_SHMEM
#define CONFIG_SHMEM 1
#endif
#ifndef CONFIG_TRANSPARENT_HUGEPAGE
#define CONFIG_TRANSPARENT_HUGEPAGE 1
#endif
#ifndef CONFIG_X86_LOCAL_APIC
#define CONFIG_X86_LOCAL_APIC 1
#endif
#ifndef CONFIG_GENERIC_BUG
#define CONFIG_GENERIC_BUG 1
#endif
#ifndef CONFIG_BUG
#define CONFIG_BUG 1
#endif
#ifndef CONFIG_STACKTRACE
#define CONFIG_STACKTRACE 1
#endif
#ifndef CONFIG_TRACEPOINTS
#define CONFIG_TRACEPOINTS 1
#endif
#ifndef CONFIG_PREEMPT_NOTIFIERS
#define CONFIG_PREEMPT_NOTIFIERS 1
#endif
#ifndef CONFIG_PREEMPT_DYNAMIC
#define CONFIG_PREEMPT_DYNAMIC 1
#endif
#ifndef CONFIG_RETPOLINE
#define CONFIG_RETPOLINE 1
#endif
#ifndef CONFIG_PAGE_TABLE_ISOLATION
#define CONFIG_PAGE_TABLE_ISOLATION 1
#endif
#ifndef CONFIG_USER_NS
#define CONFIG_USER_NS 1
#endif
#ifndef CONFIG_CGROUPS
#define CONFIG_CGROUPS 1
#endif
#ifndef CONFIG_MEMCG
#define CONFIG_MEMCG 1
#endif
#ifndef CONFIG_BPF_SYSCALL
#define CONFIG_BPF_SYSCALL 1
#endif
#ifndef CONFIG_FUTEX
#define CONFIG_FUTEX 1
#endif
#ifndef CONFIG_EPOLL
#define CONFIG_EPOLL 1
#endif
#ifndef CONFIG_FILE_LOCKING
#define CONFIG_FILE_LOCKING 1
#endif
#ifndef CONFIG_INOTIFY_USER
#define CONFIG_INOTIFY_USER 1
#endif
#ifndef CONFIG_NR_CPUS
#define CONFIG_NR_CPUS 8192
#endif
#ifndef CONFIG_HZ
#define CONFIG_HZ 250
#endif
#ifndef CONFIG_PAGE_OFFSET
#define CONFIG_PAGE_OFFSET 0xffff888000000000UL
#endif
#ifndef CONFIG_PGTABLE_LEVELS
#define CONFIG_PGTABLE_LEVELS 5
#endif
#ifndef CONFIG_ARCH_MMAP_RND_BITS
#define CONFIG_ARCH_MMAP_RND_BITS 28
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
