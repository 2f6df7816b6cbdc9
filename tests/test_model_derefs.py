"""Kernel-call models say which arguments the callee dereferences: NULL, released memory and the
target's data before its init count there for KLP201, KLP207, KLP211 and KLP212 as a `->` in the
code does; arguments a callee tests for NULL first are read only when set."""
from __future__ import annotations

import pytest
from harness import assert_findings, callbacks_module

from klplint.analysis import kapi

# A context object from pre_patch: its lock, timer and work, freed in post_unpatch before the call
# under test runs on it (`USE` is replaced by the call).
CTX = r"""
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

struct lp_ctx {
	struct mutex lock;
	spinlock_t slock;
	struct timer_list timer;
	struct work_struct work;
};

static struct lp_ctx *ctx;

static int lp_pre(struct klp_object *obj)
{
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	kfree(ctx);
	USE;
	ctx = NULL;
}
"""

AFTER_FREE = [
    # (the calls, what klplint must say: each call on freed memory is one KLP207)
    ("mutex_lock(&ctx->lock);\n\tmutex_unlock(&ctx->lock)", ("KLP207", "KLP207")),
    ("spin_lock(&ctx->slock);\n\tspin_unlock(&ctx->slock)", ("KLP207", "KLP207")),
    ("del_timer_sync(&ctx->timer)", ("KLP207",)),
    ("cancel_work_sync(&ctx->work)", ("KLP207",)),
    # queued and never cancelled: also still held when the module is gone
    ("schedule_work(&ctx->work)", ("KLP207", "KLP204")),
    ("queue_work(system_wq, &ctx->work)", ("KLP207", "KLP204")),
]


@pytest.mark.parametrize("call,rules", AFTER_FREE, ids=[c.split("(")[0] for c, _ in AFTER_FREE])
def test_a_model_dereferencing_freed_memory_is_a_use_after_release(call, rules):
    src = callbacks_module(CTX.replace("USE", call), {"pre_patch": "lp_pre", "post_unpatch": "lp_post_unpatch"},
                           object_name=None)
    found = assert_findings(src, *rules, family="KLP2")
    assert call.split("(")[0] in next(f.message for f in found if f.rule == "KLP207")


def test_the_same_calls_before_the_free_are_clean():
    src = callbacks_module(CTX.replace("\tkfree(ctx);\n\tUSE;", "\tdel_timer_sync(&ctx->timer);\n"
                                       "\tcancel_work_sync(&ctx->work);\n\tkfree(ctx);"),
                           {"pre_patch": "lp_pre", "post_unpatch": "lp_post_unpatch"}, object_name=None)
    assert_findings(src)


UNCHECKED = r"""
#include <linux/mutex.h>
#include <linux/workqueue.h>

struct lp_ctx {
	struct mutex lock;
};

static struct workqueue_struct *wq;
static struct lp_ctx *ctx;

static void lp_post(struct klp_object *obj)
{
	BODY
}

static void lp_post_unpatch(struct klp_object *obj)
{
	if (wq)
		destroy_workqueue(wq);
	kfree(ctx);
}
"""


@pytest.mark.parametrize("body", [
    "ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);\n\tmutex_init(&ctx->lock);\n\tmutex_lock(&ctx->lock);\n"
    "\tmutex_unlock(&ctx->lock);",
    "wq = alloc_workqueue(\"lp\", 0, 0);\n\tflush_workqueue(wq);",
])
def test_a_model_dereferencing_an_unchecked_allocation_is_klp211(body):
    src = callbacks_module(UNCHECKED.replace("BODY", body), {"post_patch": "lp_post", "post_unpatch": "lp_post_unpatch"},
                           object_name=None)
    assert_findings(src, "KLP211", family="KLP2")


def test_a_model_dereferencing_obj_mod_is_klp201():
    code = r"""
#include <linux/mutex.h>
static void lp_post(struct klp_object *obj)
{
	/* only the address of a member: the dereference is the callee's */
	mutex_lock((struct mutex *)&obj->mod->refcnt);
	mutex_unlock((struct mutex *)&obj->mod->refcnt);
}
"""
    # vmlinux: obj->mod is NULL, and mutex_lock() writes through the address made from it
    assert_findings(callbacks_module(code, {"post_patch": "lp_post"}, object_name=None), "KLP201", family="KLP2")
    assert_findings(callbacks_module(code, {"post_patch": "lp_post"}, object_name="ext4"), family="KLP2")


def test_a_model_reading_the_target_before_its_init_is_klp212():
    code = r"""
#include <linux/workqueue.h>
extern struct workqueue_struct *target_wq;
static struct work_struct kick;
static void lp_post(struct klp_object *obj)
{
	flush_workqueue(target_wq);
}
"""
    assert_findings(callbacks_module(code, {"post_patch": "lp_post"}), "KLP212", family="KLP2")


def test_a_slab_cache_destroyed_then_used():
    code = r"""
static struct kmem_cache *cache;
static void *item;
static int lp_pre(struct klp_object *obj)
{
	cache = kmem_cache_create("lp", 64, 0, 0, NULL);
	return cache ? 0 : -ENOMEM;
}
static void lp_post_unpatch(struct klp_object *obj)
{
	kmem_cache_destroy(cache);
	item = kmem_cache_alloc(cache, GFP_KERNEL);
	kfree(item);
	cache = NULL;
}
"""
    found = assert_findings(callbacks_module(code, {"pre_patch": "lp_pre", "post_unpatch": "lp_post_unpatch"},
                                             object_name=None), "KLP207", family="KLP2")
    assert "kmem_cache_alloc" in found[0].message


def test_a_null_tolerant_read_is_not_a_null_dereference():
    code = r"""
#include <linux/kobject.h>
#include <linux/sysfs.h>
static struct kobject *kobj;
static struct kobj_attribute attr;
static void lp_post(struct klp_object *obj)
{
	kobj = kobject_create_and_add("lp", kernel_kobj);
	if (sysfs_create_file(kobj, &attr.attr))
		pr_warn("no sysfs file\n");
}
static void lp_post_unpatch(struct klp_object *obj)
{
	sysfs_remove_file(kobj, &attr.attr);
	kobject_put(kobj);
}
"""
    assert_findings(callbacks_module(code, {"post_patch": "lp_post", "post_unpatch": "lp_post_unpatch"},
                                     object_name=None), family="KLP2")


def test_declared_arguments_exist_in_the_calls_they_model():
    # every declared index is within the kernel function's parameters as the models read them
    arity = {"queue_work": 2, "queue_work_on": 3, "queue_delayed_work": 3, "queue_delayed_work_on": 4,
             "kmem_cache_free": 2, "flush_workqueue": 1, "mutex_lock": 1, "del_timer_sync": 1}
    for name, n in arity.items():
        m = kapi.lookup(name)
        assert m is not None and m.derefs, name
        assert all(i < n for i in m.derefs + m.reads), name
