/* klplint model header <linux/container_of.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_CONTAINER_OF_H
#define _KLPM_LINUX_CONTAINER_OF_H

#include <linux/stddef.h>
#include <linux/types.h>

/* The structure of type TYPE whose MEMBER is at address PTR. */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)

/*
 * Same, with the type taken from a pointer variable instead of a type name
 * (which avoids typeof).  The result is a void pointer, to be assigned to a
 * variable of the right type; SAMPLE is not evaluated.
 */
#define __klpm_container_of_ptr(ptr, sample, member) \
	((void *)((char *)(ptr) - __klpm_offsetof_ptr(sample, member)))

#endif /* _KLPM_LINUX_CONTAINER_OF_H */
