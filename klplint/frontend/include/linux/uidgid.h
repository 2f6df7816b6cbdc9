/* klplint model header <linux/uidgid.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_UIDGID_H
#define _KLPM_LINUX_UIDGID_H

#include <linux/cred.h>



#endif /* _KLPM_LINUX_UIDGID_H */
