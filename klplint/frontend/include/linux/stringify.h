/* klplint model header <linux/stringify.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_STRINGIFY_H
#define _KLPM_LINUX_STRINGIFY_H

/* Two levels so that the argument is macro-expanded before '#' applies. */
#define __stringify_1(...) #__VA_ARGS__
#define __stringify(...) __stringify_1(__VA_ARGS__)

#define FILE_LINE __FILE__ ":" __stringify(__LINE__)

#endif /* _KLPM_LINUX_STRINGIFY_H */
