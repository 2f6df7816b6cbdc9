/* klplint model header <linux/reboot.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_REBOOT_H
#define _KLPM_LINUX_REBOOT_H

#include <linux/notifier.h>

/*
 * The reboot notifier chain (register_reboot_notifier and its pair are
 * declared in <linux/notifier.h>, where the other notifier chains are) and the
 * actions a notifier is called with.
 */
#define SYS_DOWN        0x0001
#define SYS_RESTART     SYS_DOWN
#define SYS_HALT        0x0002
#define SYS_POWER_OFF   0x0003

extern void kernel_restart(char *cmd);
extern void kernel_halt(void);
extern void kernel_power_off(void);
extern void emergency_restart(void);

#endif /* _KLPM_LINUX_REBOOT_H */
