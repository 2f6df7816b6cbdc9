/* klplint model header <linux/idr.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_IDR_H
#define _KLPM_LINUX_IDR_H

#include <linux/types.h>
#include <linux/gfp.h>

struct idr { void *idr_rt; unsigned int idr_base; unsigned int idr_next; };
#define DEFINE_IDR(name) struct idr name = { 0 }
extern int idr_alloc(struct idr *idr, void *ptr, int start, int end, gfp_t gfp);
extern void *idr_find(const struct idr *idr, unsigned long id);
extern void *idr_remove(struct idr *idr, unsigned long id);
extern void idr_destroy(struct idr *idr);
struct ida { struct idr idr; };
#define DEFINE_IDA(name) struct ida name = { }
extern int ida_alloc(struct ida *ida, gfp_t gfp);
extern void ida_free(struct ida *ida, unsigned int id);

#endif /* _KLPM_LINUX_IDR_H */
