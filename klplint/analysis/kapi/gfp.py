"""GFP flags and the allocator table: which argument is the gfp mask, which allocators zero."""
from __future__ import annotations

GFP_DIRECT_RECLAIM = 0x400
GFP_NAMES = {0xcc0: "GFP_KERNEL", 0x400cc0: "GFP_KERNEL_ACCOUNT", 0xc00: "GFP_NOIO", 0xc40: "GFP_NOFS",
             0x100cc0: "GFP_USER", 0xdc0: "GFP_KERNEL | __GFP_ZERO"}


def gfp_name(v: int) -> str:
    return GFP_NAMES.get(v, f"GFP mask {v:#x} (__GFP_DIRECT_RECLAIM set)")


# errno values the models return
ENOMEM, EINVAL, ENOENT, EBUSY, EINTR, ENODEV, EEXIST = 12, 22, 2, 16, 4, 19, 17

CALLBACK_ROLES = ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch")

# name -> (gfp argument index or None (always sleeps), zeroed)
ALLOCATORS = {
    "kmalloc": (1, False), "kzalloc": (1, True), "kcalloc": (2, True), "kmalloc_array": (2, False),
    "kmalloc_node": (1, False), "kzalloc_node": (1, True), "kmalloc_array_node": (2, False),
    "kcalloc_node": (2, True), "__kmalloc": (1, False), "__kmalloc_node": (1, False),
    "kvmalloc": (1, False), "kvzalloc": (1, True), "kvcalloc": (2, True), "kvmalloc_array": (2, False),
    "kvmalloc_node": (1, False), "kvzalloc_node": (1, True),
    "kstrdup": (1, False), "kstrndup": (2, False), "kmemdup": (2, False), "kmemdup_nul": (2, False),
    "kstrdup_const": (1, False), "kasprintf": (0, False), "kvasprintf": (0, False),
    "kmem_cache_alloc": (1, False), "kmem_cache_zalloc": (1, True), "kmem_cache_alloc_node": (1, False),
    "vmalloc": (None, False), "vzalloc": (None, True), "vmalloc_user": (None, True),
    "vmalloc_node": (None, False), "vzalloc_node": (None, True), "__vmalloc": (1, False),
    "vmalloc_32": (None, False), "alloc_percpu": (None, True), "__alloc_percpu": (None, True),
    "alloc_percpu_gfp": (1, True), "__alloc_percpu_gfp": (2, True),
}
