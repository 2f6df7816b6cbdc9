/* klplint model header <linux/uio.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_UIO_H
#define _KLPM_LINUX_UIO_H

#include <linux/types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

struct kvec {
	void *iov_base;
	size_t iov_len;
};

struct iov_iter {
	u8 iter_type;
	bool data_source;
	size_t iov_offset;
	size_t count;
	const struct iovec *iov;
	unsigned long nr_segs;
};

extern size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
extern size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

#endif /* _KLPM_LINUX_UIO_H */
