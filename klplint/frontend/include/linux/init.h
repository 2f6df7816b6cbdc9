/* klplint model header <linux/init.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_INIT_H
#define _KLPM_LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * Section markers.  The analyzer reads the section attribute to know that a
 * function or object is discarded after init (.init.*) or only kept for
 * unloading (.exit.*).
 */
#define __init          __section(".init.text") __cold
#define __exit          __section(".exit.text") __cold
#define __initdata      __section(".init.data")
#define __initconst     __section(".init.rodata")
#define __exitdata      __section(".exit.data")
#define __exit_call     __used __section(".exitcall.exit")
#define __ref           __section(".ref.text") noinline
#define __refdata       __section(".ref.data")
#define __refconst      __section(".ref.rodata")
#define __meminit
#define __meminitdata
#define __meminitconst
#define __memexit
#define __devinit
#define __devexit
#define __devinitdata
#define __init_or_module
#define __initdata_or_module

/* In a module, exit code is always kept. */
#define __exit_p(x)     x

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

extern bool initcall_debug;

#endif /* _KLPM_LINUX_INIT_H */
