/* klplint model header <linux/hash.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_HASH_H
#define _KLPM_LINUX_HASH_H

#include <linux/types.h>

static inline u32 hash_32(u32 val, unsigned int bits) { return (val * 0x61C88647u) >> (32 - bits); }
static inline u32 hash_64(u64 val, unsigned int bits) { return (u32)((val * 0x61C8864680B583EBull) >> (64 - bits)); }
#define hash_long(val, bits) hash_64(val, bits)

#endif /* _KLPM_LINUX_HASH_H */
