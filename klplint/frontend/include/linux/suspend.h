/* klplint model header <linux/suspend.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SUSPEND_H
#define _KLPM_LINUX_SUSPEND_H

#include <linux/types.h>



#endif /* _KLPM_LINUX_SUSPEND_H */
