/* klplint model header <linux/random.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RANDOM_H
#define _KLPM_LINUX_RANDOM_H

#include <linux/types.h>

extern void get_random_bytes(void *buf, size_t len);
extern u8 get_random_u8(void);
extern u16 get_random_u16(void);
extern u32 get_random_u32(void);
extern u64 get_random_u64(void);
extern unsigned int get_random_int(void);
extern unsigned long get_random_long(void);
extern u32 get_random_u32_below(u32 ceil);
extern u32 prandom_u32(void);
extern u32 prandom_u32_max(u32 ep_ro);
extern void prandom_bytes(void *buf, size_t nbytes);

#endif /* _KLPM_LINUX_RANDOM_H */
