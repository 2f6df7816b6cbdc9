/* klplint model header <linux/slab.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_SLAB_H
#define _KLPM_LINUX_SLAB_H

#include <linux/compiler.h>
#include <linux/cleanup.h>
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/overflow.h>
#include <linux/cache.h>
#include <linux/workqueue.h>

/*
 * Allocators are plain calls: the analyzer reads the gfp_t argument and
 * pairs each allocation with its free by name.  kstrdup, kstrndup, kmemdup
 * and kfree_const are declared in <linux/string.h> (included above).
 */
extern void *kmalloc(size_t size, gfp_t flags) __malloc;
extern void *kzalloc(size_t size, gfp_t flags) __malloc;
extern void *kcalloc(size_t n, size_t size, gfp_t flags) __malloc;
extern void *kmalloc_array(size_t n, size_t size, gfp_t flags) __malloc;
extern void *kmalloc_node(size_t size, gfp_t flags, int node) __malloc;
extern void *kzalloc_node(size_t size, gfp_t flags, int node) __malloc;
extern void *krealloc(const void *p, size_t new_size, gfp_t flags);
extern void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags);
extern void kfree(const void *objp);
extern void kfree_sensitive(const void *objp);
extern void kzfree(const void *objp);
extern size_t ksize(const void *objp);

extern void *kvmalloc(size_t size, gfp_t flags) __malloc;
extern void *kvzalloc(size_t size, gfp_t flags) __malloc;
extern void *kvcalloc(size_t n, size_t size, gfp_t flags) __malloc;
extern void *kvmalloc_array(size_t n, size_t size, gfp_t flags) __malloc;
extern void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags);
extern void kvfree(const void *addr);
extern void kvfree_sensitive(const void *addr, size_t len);

#define ZERO_SIZE_PTR           ((void *)16)
#define ZERO_OR_NULL_PTR(x)     ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Slab caches. */
struct kmem_cache;

#define SLAB_HWCACHE_ALIGN      ((slab_flags_t)0x00002000u)
#define SLAB_CACHE_DMA          ((slab_flags_t)0x00004000u)
#define SLAB_PANIC              ((slab_flags_t)0x00040000u)
#define SLAB_TYPESAFE_BY_RCU    ((slab_flags_t)0x00080000u)
#define SLAB_MEM_SPREAD         ((slab_flags_t)0x00100000u)
#define SLAB_RECLAIM_ACCOUNT    ((slab_flags_t)0x00020000u)
#define SLAB_ACCOUNT            ((slab_flags_t)0x04000000u)

extern struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
					    unsigned int align, slab_flags_t flags,
					    void (*ctor)(void *obj));
extern struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
						     unsigned int align, slab_flags_t flags,
						     unsigned int useroffset, unsigned int usersize,
						     void (*ctor)(void *obj));
extern void kmem_cache_destroy(struct kmem_cache *s);
extern int kmem_cache_shrink(struct kmem_cache *s);
extern void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __malloc;
extern void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags) __malloc;
extern void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node) __malloc;
extern void kmem_cache_free(struct kmem_cache *s, void *objp);

/* A cache named after, and sized for, struct __struct. */
#define KMEM_CACHE(__struct, __flags) \
	kmem_cache_create(#__struct, sizeof(struct __struct), 0, (__flags), NULL)

DEFINE_FREE(kfree, void *, if (_T) kfree(_T))

#endif /* _KLPM_LINUX_SLAB_H */
