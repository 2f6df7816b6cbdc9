/* klplint model header <linux/kmod.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_KMOD_H
#define _KLPM_LINUX_KMOD_H

#include <linux/compiler.h>
#include <linux/types.h>

/* Asks user space (modprobe) to load a module; may sleep. */
extern int __request_module(bool wait, const char *fmt, ...) __printf(2, 3);
#define request_module(...)             __request_module(true, __VA_ARGS__)
#define request_module_nowait(...)      __request_module(false, __VA_ARGS__)

#define UMH_NO_WAIT     0x00
#define UMH_WAIT_EXEC   0x01
#define UMH_WAIT_PROC   0x02
#define UMH_KILLABLE    0x04
extern int call_usermodehelper(const char *path, char **argv, char **envp, int wait);

#endif /* _KLPM_LINUX_KMOD_H */
