/* klplint model header <linux/pagewalk.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PAGEWALK_H
#define _KLPM_LINUX_PAGEWALK_H

#include <linux/mm.h>



#endif /* _KLPM_LINUX_PAGEWALK_H */
