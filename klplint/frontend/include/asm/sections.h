/* klplint model header <asm/sections.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_ASM_SECTIONS_H
#define _KLPM_ASM_SECTIONS_H

#include <linux/types.h>

extern char _text[], _stext[], _etext[];
extern char _sdata[], _edata[];
extern char __init_begin[], __init_end[];

#endif /* _KLPM_ASM_SECTIONS_H */
