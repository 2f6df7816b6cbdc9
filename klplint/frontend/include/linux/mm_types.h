/* klplint model header <linux/mm_types.h>: klplint's own analysis-friendly text, not kernel source. */
#ifndef _KLPM_LINUX_MM_TYPES_H
#define _KLPM_LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/atomic.h>

struct file;
struct anon_vma;
struct vm_operations_struct;

typedef unsigned long vm_flags_t;
typedef struct { unsigned long pgprot; } pgprot_t;

/* A page frame; the fields hooks touch. */
struct page {
	unsigned long flags;
	struct list_head lru;
	void *mapping;
	unsigned long index;
	unsigned long private;
	atomic_t _mapcount;
	atomic_t _refcount;
};

struct folio {
	struct page page;
};

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	vm_flags_t vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
	void *vm_private_data;
	const struct vm_operations_struct *vm_ops;
	struct anon_vma *anon_vma;
};

struct mm_struct {
	unsigned long mmap_base;
	unsigned long task_size;
	void *pgd;
	atomic_t mm_users;
	atomic_t mm_count;
	int map_count;
	spinlock_t page_table_lock;
	struct rw_semaphore mmap_lock;
	unsigned long total_vm;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long flags;
};

#define VM_READ		0x00000001
#define VM_WRITE	0x00000002
#define VM_EXEC		0x00000004
#define VM_SHARED	0x00000008
#define VM_MAYREAD	0x00000010
#define VM_MAYWRITE	0x00000020
#define VM_GROWSDOWN	0x00000100
#define VM_IO		0x00004000
#define VM_DONTEXPAND	0x00040000
#define VM_DONTDUMP	0x04000000

#endif /* _KLPM_LINUX_MM_TYPES_H */
