/* klplint model header <linux/personality.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_PERSONALITY_H
#define _KLPM_LINUX_PERSONALITY_H

#include <linux/types.h>

#define PER_LINUX 0x0000
#define ADDR_NO_RANDOMIZE 0x0040000

#endif /* _KLPM_LINUX_PERSONALITY_H */
