/* klplint model header <linux/compiler_attributes.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_COMPILER_ATTRIBUTES_H
#define _KLPM_LINUX_COMPILER_ATTRIBUTES_H

/*
 * Every attribute is spelled as a plain GNU __attribute__((...)) so that a
 * front end which only strips __attribute__((...)) can read the result.
 * Attributes only one of gcc/clang understands are modelled as empty.
 */
#define __section(s)            __attribute__((section(s)))
#define __used                  __attribute__((used))
#define __maybe_unused          __attribute__((unused))
#define __always_unused         __attribute__((unused))
#define __aligned(x)            __attribute__((aligned(x)))
#define __packed                __attribute__((packed))
#define __cold                  __attribute__((cold))
#define __hot                   __attribute__((hot))
#define __weak                  __attribute__((weak))
#define __alias(sym)            __attribute__((alias(#sym)))
#define __noreturn              __attribute__((noreturn))
#define __must_check            __attribute__((warn_unused_result))
#define __pure                  __attribute__((pure))
#define __attribute_const__     __attribute__((const))
#define __malloc                __attribute__((malloc))
#define __deprecated            __attribute__((deprecated))
#define __printf(a, b)          __attribute__((format(printf, a, b)))
#define __scanf(a, b)           __attribute__((format(scanf, a, b)))
#define __flatten               __attribute__((flatten))
#define noinline                __attribute__((noinline))
#define __always_inline         inline __attribute__((always_inline))
#define notrace                 __attribute__((no_instrument_function))
#define fallthrough             __attribute__((fallthrough))

/* Attributes without a portable meaning here: accepted, ignored. */
#define __visible
#define __noclone
#define __nonstring
#define __copy(sym)
#define __designated_init
#define __randomize_layout
#define __no_randomize_layout
#define __latent_entropy
#define __nocfi
#define __noinitretpoline
#define __no_sanitize_address
#define __no_kcsan
#define __counted_by(member)
#define __gnu_inline
#define __inline_maybe_unused

#endif /* _KLPM_LINUX_COMPILER_ATTRIBUTES_H */
