"""Models of kernel calls: the registry, allocation and release, registrations, locks, GFP flags and
sleeping calls, the livepatch API (deadlocks, shadow variables, states), and unknown calls."""
from __future__ import annotations

from helpers import model_of

from klplint.analysis import kapi
from klplint.analysis.context import StepCtx
from klplint.analysis.execute import Executor
from klplint.analysis.state import State
from klplint.analysis.values import (
    HAVOC,
    ZERO,
    Global,
    Int,
    OriginKind,
    is_null,
)
from klplint.config.settings import Budgets


def run(code, fn, role="post_patch", in_hook=True, atomic=0, binding=None, states=None, args=()):
    m = model_of(code)
    ex = Executor(m, Budgets(), kapi.lookup)
    out = []
    for s in states or [State()]:
        ex.ctx = StepCtx(role, fn, binding, in_hook=in_hook, atomic=atomic, cnt0=s.cnt, patch=m.patches[0]
                         if m.patches else None)
        ex.base_depth = 1
        out += ex.call_function(m.functions[fn], args, s, 1)
    return ex, out


def events(ex, res, kind):
    evs = [e for _, s, _ in res for e in s.events] + list(ex.side_events)
    return [e for e in evs if e.kind == kind]


# ------------------------------------------------------------------ the registry

def test_registry_covers_the_documented_families():
    for name in ("kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "krealloc", "kstrdup", "kstrndup", "kmemdup",
                 "vmalloc", "vzalloc", "kvmalloc", "kvzalloc", "kfree", "vfree", "kvfree", "kfree_const",
                 "register_module_notifier", "unregister_module_notifier", "register_kprobe", "unregister_kprobe",
                 "register_kretprobe", "unregister_kretprobe", "register_ftrace_function",
                 "unregister_ftrace_function", "misc_register", "misc_deregister", "proc_create", "proc_remove",
                 "remove_proc_entry", "debugfs_create_dir", "debugfs_remove", "sysfs_create_file",
                 "sysfs_remove_file", "kobject_create_and_add", "kobject_put", "kthread_run", "kthread_stop",
                 "try_module_get", "module_put", "kref_get", "kref_put", "alloc_workqueue", "destroy_workqueue",
                 "mod_timer", "del_timer_sync", "schedule_delayed_work", "cancel_delayed_work_sync",
                 "mutex_lock", "mutex_unlock", "spin_lock", "spin_unlock", "spin_lock_irqsave",
                 "spin_unlock_irqrestore", "_raw_spin_lock_irqsave", "klp_shadow_alloc", "klp_shadow_get",
                 "klp_shadow_get_or_alloc", "klp_shadow_free", "klp_shadow_free_all", "klp_get_state",
                 "klp_get_prev_state", "klp_enable_patch", "klp_disable_patch", "klp_register_patch",
                 "klp_unregister_patch", "request_module", "__request_module", "filp_open", "kernel_write",
                 "msleep", "schedule", "synchronize_rcu", "wait_for_completion", "flush_work", "cancel_work_sync"):
        assert kapi.lookup(name) is not None, name
    assert kapi.lookup("some_driver_function") is None


def test_model_decorator_registers_every_name():
    @kapi.model("__klplint_test_a", "__klplint_test_b", sleeps=True)
    def fn(cx):
        return kapi.ret(cx, Int(7))
    try:
        assert kapi.lookup("__klplint_test_a") is kapi.lookup("__klplint_test_b")
        assert kapi.lookup("__klplint_test_a").sleeps is True
    finally:
        del kapi.MODELS["__klplint_test_a"], kapi.MODELS["__klplint_test_b"]


# ------------------------------------------------------------------ allocation

ALLOC = r"""
static char *name;
static void *buf;
static int alloc_free(void)
{
	name = kstrdup("lp", GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	buf = krealloc(NULL, 32, GFP_KERNEL);
	kfree(buf);
	kfree(name);
	kfree(NULL);
	return 0;
}
static int twice(void)
{
	void *p = vzalloc(64);
	if (!p)
		return -ENOMEM;
	vfree(p);
	vfree(p);
	return 0;
}
"""


def test_allocations_fork_and_frees_release_kfree_null_is_fine():
    ex, res = run(ALLOC, "alloc_free")
    ok = [s for v, s, _ in res if is_null(v)]
    assert ok and all(o.status == "released" for s in ok for o in s.heap.values())
    assert not events(ex, res, "double_release") and not events(ex, res, "null_deref")
    failed = [s for v, s, _ in res if isinstance(v, Int) and v.value == -12]
    assert failed and any(p.message == "kstrdup() may return NULL" for p in failed[0].trace)


def test_double_free_is_an_event():
    ex, res = run(ALLOC, "twice")
    ev = events(ex, res, "double_release")
    assert len(ev) == 1 and ev[0].payload.call == "vfree" and ev[0].payload.heap.api == "vzalloc"


RCU_FREE = r"""
#include <linux/slab.h>
#include <linux/rcupdate.h>
struct cfg { int v; struct rcu_head rcu; };
typedef void (*rcu_cb)(struct rcu_head *head);
extern void kvfree_call_rcu(struct rcu_head *head, rcu_cb func);
static int rcu_forms(void)
{
	struct cfg *a = kzalloc(sizeof(*a), GFP_KERNEL);
	struct cfg *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct cfg *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct cfg *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!a || !b || !c || !d)
		return -12;
	kvfree_call_rcu(&a->rcu, (rcu_cb)(unsigned long)__builtin_offsetof(struct cfg, rcu));
	kvfree_call_rcu(&b->rcu, (rcu_cb)(void *)b);
	kvfree_call_rcu(NULL, (rcu_cb)(void *)c);
	kfree_rcu(d, rcu);
	return 0;
}
"""


def test_rcu_deferred_frees_release_the_object_in_every_header_form():
    # 6.1's kfree_rcu(p, f) passes &p->f and f's offset, 6.3's &p->f and p, kfree_rcu_mightsleep(p)
    # NULL and p; the bundled headers keep kfree_rcu(p, &p->f) a call
    ex, res = run(RCU_FREE, "rcu_forms")
    done = [s for v, s, _ in res if v == ZERO]
    assert done and all(len(s.heap) == 4 for s in done)
    assert all(o.status == "released" for s in done for o in s.heap.values())
    assert not events(ex, res, "double_release")


# ------------------------------------------------------------------ registrations, handles, locks

REG = r"""
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
static int pre(struct kprobe *p, struct pt_regs *r) { return 0; }
static struct kprobe kp = { .symbol_name = "do_exit", .pre_handler = pre };
static struct kretprobe krp;
static struct task_struct *worker;
static DEFINE_MUTEX(lock);
static DEFINE_SPINLOCK(slock);
static int fn(void *d) { return 0; }
static void reg_twice(void)
{
	register_kprobe(&kp);
	register_kprobe(&kp);
}
static void unreg_never(void)
{
	unregister_kprobe(&kp);
	unregister_kretprobe(&krp);
	kthread_stop(worker);
}
static void start(void)
{
	worker = kthread_run(fn, NULL, "w");
}
static void keep_lock(void)
{
	unsigned long flags;

	mutex_lock(&lock);
	spin_lock_irqsave(&slock, flags);
	spin_unlock_irqrestore(&slock, flags);
}
"""


def test_registering_twice_while_held_is_reacquire():
    ex, res = run(REG, "reg_twice")
    assert events(ex, res, "reacquire")


def test_unbalanced_release_only_where_it_hurts():
    ex, res = run(REG, "unreg_never")
    ev = events(ex, res, "release_unacquired")
    assert sorted(e.payload.call for e in ev) == ["kthread_stop", "unregister_kretprobe"]
    assert all(e.payload.harm == "crash" for e in ev)


def test_kthread_run_may_fail_with_an_error_pointer():
    ex, res = run(REG, "start")
    vals = sorted(type(s.mem[(Global("worker"), ())]).__name__ for _, s, _ in res)
    assert vals == ["Int", "Ptr"]
    err = [s for _, s, _ in res if isinstance(s.mem[(Global("worker"), ())], Int)][0]
    assert err.mem[(Global("worker"), ())].origin.kind is OriginKind.ERRPTR


def test_locks_are_tracked_and_spin_lock_irqsave_pairs_with_restore():
    ex, res = run(REG, "keep_lock")
    assert len(res) == 1
    locks = res[0][1].locks
    assert [l[2] for l in locks] == ["mutex"]


# ------------------------------------------------------------------ GFP flags and sleeping, atomic context

SLEEP = r"""
#include <linux/delay.h>
static void *p;
static int in_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	p = kmalloc(16, GFP_ATOMIC);
	kfree(p);
	p = kmalloc(16, GFP_KERNEL);
	msleep(1);
	return 0;
}
"""


def test_sleeping_calls_are_events_only_in_atomic_context():
    ex, res = run(SLEEP, "in_ctor", role="ctor", atomic=1)
    whats = sorted({e.payload.what for e in events(ex, res, "sleep_atomic")})
    assert whats == ["kmalloc() with GFP_KERNEL may sleep", "msleep() may sleep"]
    ex, res = run(SLEEP, "in_ctor", role="post_patch", atomic=0)
    assert not events(ex, res, "sleep_atomic")


# ------------------------------------------------------------------ the livepatch API

LP = r"""
#include <linux/kmod.h>
#include <linux/fs.h>
#include <linux/sched/task.h>
#define SV 7
static struct klp_func funcs[] = { { .old_name = "f", .new_func = NULL }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_state states[] = { { .id = 3, .version = 1 }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, .states = states };
static int ctor(void *obj, void *data, void *arg)
{
	might_sleep();
	return 0;
}
static void core_calls(void)
{
	klp_disable_patch(&patch);
	request_module("nf_nat");
	request_module_nowait("nf_nat");
}
static void write_sysfs(void)
{
	struct file *f = filp_open("/sys/kernel/livepatch/lp/enabled", O_WRONLY, 0);

	if (!IS_ERR(f))
		kernel_write(f, "0", 1, NULL);
}
static void shadows(void)
{
	void *a = klp_shadow_alloc(&init_task, SV, 8, GFP_KERNEL, ctor, NULL);
	void *b = klp_shadow_alloc(&init_task, SV, 8, GFP_KERNEL, NULL, NULL);
	void *c = klp_shadow_get_or_alloc(&init_task, SV, 8, GFP_KERNEL, NULL, NULL);
	if (a && a != c)
		BUG();
}
static int states_api(void)
{
	struct klp_state *s = klp_get_state(&patch, 3);
	struct klp_state *u = klp_get_state(&patch, 4);
	struct klp_state *p1 = klp_get_prev_state(3);
	struct klp_state *p2 = klp_get_prev_state(3);
	if (u)
		return -1;
	if (!!p1 != !!p2)
		return -2;
	s->data = NULL;
	return p1 ? 1 : 0;
}
"""


def test_core_calls_and_request_module_deadlock_only_from_hooks():
    ex, res = run(LP, "core_calls", in_hook=True)
    assert sorted(e.payload.call for e in events(ex, res, "deadlock_call")) == ["__request_module",
                                                                                "klp_disable_patch"]
    ex, res = run(LP, "core_calls", role="lp_exit", in_hook=False)
    assert not events(ex, res, "deadlock_call")


def test_writing_the_livepatch_sysfs_from_a_hook_deadlocks():
    ex, res = run(LP, "write_sysfs", in_hook=True)
    calls = sorted({e.payload.call for e in events(ex, res, "deadlock_call")})
    assert calls == ["filp_open", "kernel_write"]


def test_shadow_typestate_ctor_and_get_or_alloc():
    ex, res = run(LP, "shadows")
    assert events(ex, res, "shadow_exists")               # the second klp_shadow_alloc
    assert events(ex, res, "sleep_atomic")                 # might_sleep() in the ctor
    assert not any(True for _ in events(ex, res, "null_deref"))
    # get_or_alloc returned the first variable on every path where it exists: BUG() unreachable
    assert res


def test_states_api_is_consistent_per_path():
    ex, res = run(LP, "states_api", role="pre_patch")
    assert sorted(v.value for v, _, _ in res) == [0, 1]       # prev state: both worlds, never mixed
    s = res[0][1]
    assert s.mem[(Global("states"), (0, "data"))] == ZERO
    ex, res = run(LP, "states_api", role="lp_init", in_hook=False)
    assert events(ex, res, "prev_state_context")


# ------------------------------------------------------------------ unknown calls

UNKNOWN = r"""
struct ctx { void *p; };
static struct ctx g;
static void give_away(void)
{
	g.p = kzalloc(8, GFP_KERNEL);
	vendor_register(&g);
}
"""


def test_unknown_call_escapes_and_havocs_what_it_is_given():
    ex, res = run(UNKNOWN, "give_away")
    for _, s, _ in res:
        assert all(o.escaped for o in s.heap.values())
        assert (Global("g"), (HAVOC,)) in s.mem


PRECISION = r"""
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
struct s { int x; };
static int show(struct seq_file *m, void *v) { return 0; }
static void idioms(void)
{
	struct s *a = kzalloc(sizeof(*a), GFP_KERNEL | __GFP_NOFAIL);
	struct s *b = kzalloc(sizeof(*b), GFP_KERNEL);

	a->x = 1;
	BUG_ON(!b);
	b->x = 2;
	kfree(a);
	kfree(b);
	proc_create_single("lp_stats", 0444, NULL, show);
}
static void by_name(void)
{
	remove_proc_entry("lp_stats", NULL);
}
"""


def test_nofail_bug_on_and_proc_entries_removed_by_name():
    ex, res = run(PRECISION, "idioms")
    assert not events(ex, res, "null_deref")
    # b == NULL ends in BUG(): every surviving path allocated and freed both
    assert res and all(sum(o.kind == "heap" and o.status == "released" for o in s.heap.values()) == 2
                       for _, s, _ in res)
    states = [s for _, s, _ in res]
    ex2, res2 = run(PRECISION, "by_name", states=states)
    proc = [o for _, s, _ in res2 for o in s.heap.values() if o.kind == "proc entry"]
    assert proc and all(o.status == "released" for o in proc)
