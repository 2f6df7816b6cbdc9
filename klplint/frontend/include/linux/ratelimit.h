/* klplint model header <linux/ratelimit.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_RATELIMIT_H
#define _KLPM_LINUX_RATELIMIT_H

#include <linux/types.h>

struct ratelimit_state { int interval; int burst; int printed; int missed; unsigned long begin; };
#define DEFINE_RATELIMIT_STATE(name, i, b) struct ratelimit_state name = { .interval = (i), .burst = (b) }
extern int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(state) ___ratelimit(state, __func__)

#endif /* _KLPM_LINUX_RATELIMIT_H */
