"""Models of kernel calls: what each one does to the abstract state (a registry, `@model(...)`).

A model gets a `symex.CallCtx` (the executor, the call, its argument values, the state) and
returns the possible (result, state) pairs. Families:

* allocation (kmalloc family, vmalloc family, kstrdup, kmemdup...): a heap object, or NULL
  on a second path; frees (kfree, vfree, kvfree, kfree_const...), kfree(NULL) is fine;
* handles created and destroyed (kthreads, workqueues, kobjects, proc/debugfs entries, slab
  caches, sysctl tables, files): heap objects of their own kind;
* keyed registrations (notifiers, kprobes, kretprobes, ftrace ops, misc devices, sysfs files),
  armed timers and queued work, module references: resources keyed by the address passed;
* locks (mutexes, spinlocks, rwlocks, semaphores, RCU read side): held at the end of a hook is a
  leak;
* the livepatch API: klp_enable_patch & co. (which deadlock from a hook: klp_mutex is held),
  shadow variables (typestate per (obj, id), ctor/dtor run in atomic context), system states;
* sleeping calls and GFP flags (a finding only in atomic context: a shadow ctor/dtor).

A call with no model and no body in the file is unknown: its result is unknown and its pointer
arguments escape (symex.Executor.unknown_call). No model ever invents a finding from an unknown
value.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from . import ir
from .symex import (ONE, ZERO, CallCtx, Heap, I, P, Res, State, fn_name, heap_id, is_null, str_value)

GFP_DIRECT_RECLAIM = 0x400
GFP_NAMES = {0xcc0: "GFP_KERNEL", 0x400cc0: "GFP_KERNEL_ACCOUNT", 0xc00: "GFP_NOIO", 0xc40: "GFP_NOFS",
             0x100cc0: "GFP_USER", 0xdc0: "GFP_KERNEL | __GFP_ZERO"}


def gfp_name(v: int) -> str:
    return GFP_NAMES.get(v, f"GFP mask {v:#x} (__GFP_DIRECT_RECLAIM set)")


# errno values the models return
ENOMEM, EINVAL, ENOENT, EBUSY, EINTR, ENODEV, EEXIST = 12, 22, 2, 16, 4, 19, 17

CALLBACK_ROLES = ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch")


class Model:
    __slots__ = ("names", "fn", "sleeps", "gfp", "derefs", "deadlock")

    def __init__(self, names, fn, sleeps=False, gfp=None, derefs=(), deadlock=None):
        self.names = names
        self.fn = fn
        self.sleeps = sleeps        # bool, or fn(cx) -> bool
        self.gfp = gfp              # index of a gfp_t argument
        self.derefs = derefs        # arguments the callee dereferences
        self.deadlock = deadlock    # fn(cx) -> reason, or None: takes klp_mutex

    def __call__(self, cx: CallCtx):
        s = cx.s
        ex = cx.ex
        ctx = ex.ctx
        for i in self.derefs:
            v = cx.arg(i)
            if v is None:
                continue
            s, alive = check_deref(cx, s, v, i)
            if not alive:
                return ex.crash(s)
        if ctx is not None and ctx.atomic:
            why = None
            if self.sleeps is True or (callable(self.sleeps) and self.sleeps(cx)):
                why = f"{cx.name}() may sleep"
                gi = ALLOCATORS.get(cx.name, (None,))[0]
                g = cx.arg(gi) if gi is not None else None
                if g is not None and g[0] == "I":
                    why = f"{cx.name}() with {gfp_name(g[1])} may sleep"
            elif self.gfp is not None:
                g = cx.arg(self.gfp)
                if g is not None and g[0] == "I" and g[1] & GFP_DIRECT_RECLAIM:
                    why = f"{cx.name}() with {gfp_name(g[1])} may sleep"
            if why:
                s = ex.event(s, "sleep_atomic", cx.loc, what=why, call=cx.name)
        if self.deadlock is not None and ctx is not None and ctx.in_hook:
            reason = self.deadlock(cx)
            if reason:
                s = ex.event(s, "deadlock_call", cx.loc, call=cx.name, why=reason)
        cx.s = s
        return self.fn(cx)


MODELS: Dict[str, Model] = {}


def model(*names, sleeps=False, gfp=None, derefs=(), deadlock=None):
    def deco(fn):
        m = Model(names, fn, sleeps, gfp, derefs, deadlock)
        for n in names:
            MODELS[n] = m
        return fn
    return deco


def lookup(name: str) -> Optional[Model]:
    return MODELS.get(name)


def is_modelled(name: str) -> bool:
    return name in MODELS


# ------------------------------------------------------------------ helpers

def check_deref(cx: CallCtx, s: State, v, i: int) -> Tuple[State, bool]:
    """The callee reads through argument i: NULL from an allocation or from obj, or released memory."""
    ex = cx.ex
    if v[0] == "I" and (v[1] == 0 or (v[2] is not None and v[2][0] == "errptr")) and v[2] is not None:
        s = ex.event(s, "null_deref", cx.loc, origin=v[2], what=f"{cx.name}({cx.arg_text(i)})")
        return s, False
    hid = heap_id(v)
    if hid is not None:
        obj = s.heap.get(hid)
        if obj is not None and obj.status == "released":
            s = ex.event(s, "use_after_release", cx.loc, heap=obj, what=f"{cx.name}({cx.arg_text(i)})")
    return s, True


def unknown(cx: CallCtx, s: Optional[State] = None, escape=()):
    s = s if s is not None else cx.s
    for i in escape:
        v = cx.arg(i)
        if v is not None:
            s = cx.ex.escape(s, v)
    v, s = cx.ex.fresh_sym(s)
    return [(v, s)]


def ret(cx: CallCtx, value, s: Optional[State] = None):
    return [(value, s if s is not None else cx.s)]


def int_arg(cx: CallCtx, i: int) -> Optional[int]:
    v = cx.arg(i)
    if v is None:
        return None
    if v[0] == "I":
        return v[1]
    if v[0] == "S":
        return cx.s.sym_value(v[1])
    return None


def _role_text(cx: CallCtx) -> str:
    ctx = cx.ex.ctx
    if ctx is None:
        return ""
    return ctx.desc or ctx.role or ""


def alloc(cx: CallCtx, kind: str = "heap", zeroed: bool = False, fail: Optional[str] = "null",
          extra=None, desc: Optional[str] = None, s: Optional[State] = None) -> List[Tuple]:
    """A new object: one path where it exists, one where the call failed (NULL or ERR_PTR)."""
    ex = cx.ex
    s = s if s is not None else cx.s
    ctx = ex.ctx
    hid, s1 = s.fresh()
    obj = Heap(kind, cx.name, cx.loc, desc or f"{cx.name}()", None, "live", False, zeroed, None, None,
               ctx.role if ctx else None, ctx.function if ctx else None, hid, extra, None)
    ok = s1.set_heap(hid, obj).note(cx.loc, f"{cx.name}() succeeds")
    out = [(P(("h", hid)), ok)]
    if fail == "null":
        bad = s1.note(cx.loc, f"{cx.name}() may return NULL")
        out.append((I(0, ("alloc", cx.name, cx.loc)), bad))
    elif fail == "errptr":
        bad = s1.note(cx.loc, f"{cx.name}() may fail with an error pointer")
        out.append((I(-ENOMEM, ("errptr", cx.name, cx.loc)), bad))
    if len(out) > 1:
        out = [(v, x.forked()) for v, x in out]
    return out


def release(cx: CallCtx, v, kinds: Tuple[str, ...] = ("heap",), harm_if_null: Optional[str] = None,
            s: Optional[State] = None, verb: str = "frees") -> State:
    """Release the object v points to. NULL is fine unless harm_if_null says what goes wrong."""
    ex = cx.ex
    s = s if s is not None else cx.s
    if v is None:
        return s
    if v[0] == "I":
        if v[1] == 0 or (v[2] is not None and v[2][0] == "errptr"):
            if harm_if_null:
                if v[2] is not None and v[2][0] in ("alloc", "errptr"):
                    ex.crash(ex.event(s, "null_deref", cx.loc, origin=v[2], what=f"{cx.name}({cx.arg_text(0)})"))
                    return s.with_flag("incomplete")
                if not _unsure(cx, 0):
                    return ex.event(s, "release_unacquired", cx.loc, call=cx.name, what=cx.arg_text(0),
                                    harm=harm_if_null, kind=kinds[0])
        return s
    hid = heap_id(v)
    if hid is None:
        return s
    obj = s.heap.get(hid)
    if obj is None:
        return s
    if obj.status == "released":
        return ex.event(s, "double_release", cx.loc, heap=obj, call=cx.name, what=cx.arg_text(0))
    if obj.status != "live":
        return s
    ctx = ex.ctx
    s = s.set_heap(hid, obj._replace(status="released", rel_loc=cx.loc,
                                     rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
    # what was created inside it (sysfs files of a kobject...) goes with it
    dep = [k for k, r in s.res.items() if r.status == "held" and isinstance(k[1], tuple)
           and k[1] and k[1][0] == ("h", hid)]
    for k in dep:
        s = s.set_res(k, s.res[k]._replace(status="released", rel_loc=cx.loc))
    name = obj.name or cx.arg_text(0)
    return s.note(cx.loc, f"{verb} {name}")


def _args_text(cx: CallCtx) -> str:
    return ", ".join(cx.arg_text(i) for i in range(len(cx.call.args)))


def _unsure(cx: CallCtx, i: int = 0) -> bool:
    """Does an argument name a global that code klplint does not run (replacement functions,
    module parameters...) may set? Then its history is unknown: no finding."""
    from .irutil import walk
    names = set()
    for e in cx.call.args:
        names |= {n.name for n in walk(e) if isinstance(n, ir.Name) and n.kind in ("var", "static_local")}
    return bool(names & cx.ex.unsure_globals)


def res_key(kind: str, v):
    if v is None:
        return None
    if v[0] == "P":
        return (kind, (v[1], v[2]))
    if v[0] == "S":
        return (kind, ("sym", v[1]))
    return None


def acquire(cx: CallCtx, kind: str, v, desc: str, idempotent: bool = False, counted: bool = False,
            s: Optional[State] = None) -> State:
    ex = cx.ex
    s = s if s is not None else cx.s
    key = res_key(kind, v)
    if key is None:
        return s
    r = s.res.get(key)
    ctx = ex.ctx
    if r is not None and r.status == "escaped":
        return s
    if r is not None and r.status == "held":
        if counted:
            return s.set_res(key, r._replace(count=r.count + 1))
        if idempotent:
            return s
        s = ex.event(s, "reacquire", cx.loc, res=r, call=cx.name, what=desc)
        return s
    acq, s = s.fresh()
    r = Res(kind, key, "held", 1, cx.loc, desc, ctx.role if ctx else None, ctx.function if ctx else None,
            acq, None, None, None)
    return s.set_res(key, r).note(cx.loc, f"{cx.name}() takes {desc}")


def release_key(cx: CallCtx, kind: str, v, desc: str, harm: Optional[str] = None,
                s: Optional[State] = None, counted: bool = False) -> State:
    ex = cx.ex
    s = s if s is not None else cx.s
    key = res_key(kind, v)
    if key is None:
        return s
    r = s.res.get(key)
    if r is not None and r.status == "escaped":
        return s
    if r is None:
        if harm and not _unsure(cx, 0) and not (v[0] == "S"):
            s = ex.event(s, "release_unacquired", cx.loc, call=cx.name, what=_args_text(cx), desc=desc,
                         harm=harm, kind=kind)
        return s
    if r.status == "released":
        if harm and not _unsure(cx, 0):
            s = ex.event(s, "double_release", cx.loc, res=r, call=cx.name, what=_args_text(cx), harm=harm)
        return s
    ctx = ex.ctx
    if counted and r.count > 1:
        return s.set_res(key, r._replace(count=r.count - 1))
    s = s.set_res(key, r._replace(status="released", count=0, rel_loc=cx.loc,
                                  rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
    return s.note(cx.loc, f"{cx.name}() releases {desc}")


# ------------------------------------------------------------------ pure helpers and no-ops

NO_ESCAPE = (
    "printk", "_printk", "vprintk", "printk_deferred", "_printk_deferred", "__warn_printk", "dump_stack",
    "_dev_info", "_dev_err", "_dev_warn", "_dev_notice", "dev_printk", "__dynamic_pr_debug",
    "snprintf", "scnprintf", "vsnprintf", "vscnprintf", "sscanf", "kstrtoint", "kstrtouint", "kstrtol",
    "kstrtoul", "kstrtoull", "kstrtoll", "kstrtobool", "strlen", "strnlen", "memcmp", "strstr", "strchr",
    "strrchr", "msleep", "msleep_interruptible", "ssleep", "usleep_range", "usleep_range_state", "fsleep",
    "udelay", "ndelay", "mdelay", "schedule", "schedule_timeout", "schedule_timeout_interruptible",
    "schedule_timeout_uninterruptible", "schedule_timeout_killable", "io_schedule", "cond_resched",
    "__cond_resched", "might_sleep", "might_resched", "__might_sleep", "might_fault", "yield", "cpu_relax",
    "synchronize_rcu", "synchronize_rcu_expedited", "synchronize_srcu", "synchronize_net", "rcu_barrier",
    "synchronize_rcu_tasks", "wait_for_completion", "wait_for_completion_timeout",
    "wait_for_completion_interruptible", "wait_for_completion_killable", "complete", "complete_all",
    "reinit_completion", "jiffies_to_msecs", "msecs_to_jiffies", "__msecs_to_jiffies", "usecs_to_jiffies",
    "ktime_get", "ktime_get_real", "ktime_get_ns", "ktime_get_boottime", "get_random_u32", "get_random_int",
    "prandom_u32", "num_online_cpus", "smp_processor_id", "raw_smp_processor_id", "in_interrupt",
    "in_atomic", "irqs_disabled", "local_irq_save", "local_irq_restore", "local_irq_disable",
    "local_irq_enable", "preempt_disable", "preempt_enable", "barrier", "__asm__",
    "static_key_enabled", "static_key_count", "atomic_read", "atomic_set", "atomic_inc", "atomic_dec",
    "atomic_add", "atomic_sub", "atomic_inc_return", "atomic_dec_return", "atomic_dec_and_test",
    "atomic_inc_not_zero", "atomic_long_read", "atomic64_read", "refcount_read", "test_bit", "set_bit",
    "clear_bit", "test_and_set_bit", "test_and_clear_bit", "__builtin_memcpy", "seq_printf", "seq_puts",
    "seq_putc", "seq_write", "trace_printk", "__trace_printk", "__trace_bprintk", "__trace_puts",
    "get_current", "capable", "ns_capable", "add_taint", "pr_cont", "print_hex_dump", "kallsyms_lookup_name",
    "klp_update_patch_state", "klp_patch_pending", "module_name", "module_refcount", "module_is_live",
    "wake_up_process", "kthread_should_stop", "kthread_should_park", "kthread_parkme", "signal_pending",
    "ERR_PTR_placeholder", "kref_read", "mutex_is_locked", "spin_is_locked", "lockdep_assert_held",
    "list_empty", "list_empty_careful", "list_is_singular", "list_is_last", "list_is_head", "list_is_first",
    "hlist_empty", "hlist_unhashed", "work_pending", "delayed_work_pending", "timer_pending", "jiffies",
    "is_module_address", "is_module_text_address", "kernel_text_address", "memchr", "strspn", "strcspn",
    "strcasecmp", "strncasecmp", "ktime_get_real_seconds", "get_seconds", "ktime_get_seconds",
)


def _no_escape(cx: CallCtx):
    return unknown(cx)


SLEEPERS = {
    "msleep", "msleep_interruptible", "ssleep", "usleep_range", "usleep_range_state", "fsleep", "schedule",
    "schedule_timeout", "schedule_timeout_interruptible", "schedule_timeout_uninterruptible",
    "schedule_timeout_killable", "io_schedule", "cond_resched", "__cond_resched", "might_sleep",
    "might_resched", "__might_sleep", "might_fault", "yield", "synchronize_rcu", "synchronize_rcu_expedited",
    "synchronize_srcu", "synchronize_net", "rcu_barrier", "synchronize_rcu_tasks", "wait_for_completion",
    "wait_for_completion_timeout", "wait_for_completion_interruptible", "wait_for_completion_killable",
    "kthread_parkme",
}

for _n in NO_ESCAPE:
    MODELS.setdefault(_n, Model((_n,), _no_escape, sleeps=_n in SLEEPERS))

# Calls that only sleep (their pointer arguments escape like any unknown call's).
for _n in ("copy_from_user", "copy_to_user", "_copy_from_user", "_copy_to_user", "strncpy_from_user",
           "wait_event_interruptible", "wait_event", "wait_event_timeout", "wait_event_killable",
           "prepare_to_wait_event", "down_interruptible", "kernel_read", "vfs_read", "vfs_write",
           "call_usermodehelper", "usermodehelper_read_trylock", "device_register", "device_unregister",
           "class_register", "class_unregister", "cpus_read_lock", "get_online_cpus", "stop_machine",
           "flush_scheduled_work", "rcu_barrier_tasks", "filp_close"):
    MODELS.setdefault(_n, Model((_n,), lambda cx: unknown(cx, escape=range(len(cx.args))), sleeps=True))


@model("__warn_on", "__warn_on_once", "__warn", "__warn_once", "__builtin_expect",
       "__builtin_expect_with_probability", "likely", "unlikely")
def _passthrough(cx: CallCtx):
    v = cx.arg(0)
    return ret(cx, v if v is not None else ZERO)


@model("__builtin_constant_p")
def _constant_p(cx: CallCtx):
    return ret(cx, ZERO)


@model("__bug", "BUG", "panic", "do_exit", "kthread_exit", "kthread_complete_and_exit", "__builtin_trap",
       "__builtin_unreachable")
def _noreturn(cx: CallCtx):
    return cx.ex.crash(cx.s)


# ------------------------------------------------------------------ strings and memory

def _str_cmp(cx: CallCtx, n: Optional[int] = None):
    a, b = str_value(cx.arg(0) or ZERO), str_value(cx.arg(1) or ZERO)
    if a is not None and b is not None:
        if n is not None:
            a, b = a[:n], b[:n]
        return ret(cx, I((a > b) - (a < b)))
    return unknown(cx)


@model("strcmp", derefs=(0, 1))
def _strcmp(cx):
    return _str_cmp(cx)


@model("strncmp", derefs=(0, 1))
def _strncmp(cx):
    return _str_cmp(cx, int_arg(cx, 2))


@model("sysfs_streq", derefs=(0, 1))
def _streq(cx):
    a, b = str_value(cx.arg(0) or ZERO), str_value(cx.arg(1) or ZERO)
    if a is not None and b is not None:
        return ret(cx, I(int(a.rstrip("\n") == b.rstrip("\n"))))
    return unknown(cx)


@model("memset", "__builtin_memset", derefs=(0,))
def _memset(cx):
    v = cx.arg(0)
    s = cx.s
    if v is not None and v[0] == "P" and v[1][0] in ("g", "sl", "l", "h", "s"):
        zero = int_arg(cx, 1) == 0
        s = cx.ex.clear_region(s, v[1], v[2], havoc=not zero, zero=zero)
        if zero and v[1][0] in ("g", "sl"):
            s = cx.ex.clear_region(s, v[1], v[2], havoc=False, zero=False)
            s = s.set_mem((v[1], v[2] + ("#h",)), ONE)   # zeroed statics read as unknown (safe)
    return ret(cx, v or ZERO, s)


@model("memcpy", "memmove", "__builtin_memcpy", "strcpy", "strncpy", "strscpy", "strlcpy", "strcat",
       "strncat", "strlcat", "sprintf", derefs=(0, 1))
def _copy(cx):
    s = cx.s
    dst = cx.arg(0)
    if len(cx.args) > 1:
        s = cx.ex.escape(s, cx.args[1])      # whatever was copied may now live somewhere else
    if dst is not None and dst[0] == "P" and dst[1][0] in ("g", "sl", "l", "h", "s"):
        s = cx.ex.clear_region(s, dst[1], dst[2], havoc=True)
    v, s = cx.ex.fresh_sym(s)
    return [(v, s)]


# ------------------------------------------------------------------ errors as pointers

@model("IS_ERR")
def _is_err(cx):
    v = cx.arg(0)
    if v is None:
        return unknown(cx)
    if v[0] == "I":
        return ret(cx, I(int(v[2] is not None and v[2][0] == "errptr" or v[1] < 0)))
    if v[0] == "P":
        return ret(cx, ZERO)
    return unknown(cx)


@model("IS_ERR_OR_NULL")
def _is_err_or_null(cx):
    v = cx.arg(0)
    if v is None:
        return unknown(cx)
    if v[0] == "I":
        return ret(cx, I(int(v[1] == 0 or v[1] < 0 or (v[2] is not None and v[2][0] == "errptr"))))
    if v[0] == "P":
        return ret(cx, ZERO)
    s = cx.s
    t = s.constrain(v[1], eq=0)
    f = s.constrain(v[1], ne=0)
    out = []
    if t is not None:
        out.append((ONE, t.forked() if f is not None else t))
    if f is not None:
        g, f = cx.ex.fresh_sym(f)
        out.append((g, f.forked() if t is not None else f))
    return out


@model("PTR_ERR", "PTR_ERR_OR_ZERO")
def _ptr_err(cx):
    v = cx.arg(0)
    if v is not None and v[0] == "I":
        return ret(cx, I(v[1]))
    if v is not None and v[0] == "P":
        return ret(cx, ZERO if cx.name == "PTR_ERR_OR_ZERO" else I(-EINVAL))
    return unknown(cx)


@model("ERR_PTR")
def _err_ptr(cx):
    v = cx.arg(0)
    if v is not None and v[0] == "I":
        return ret(cx, I(v[1], ("errptr", "ERR_PTR", cx.loc)) if v[1] else ZERO)
    return unknown(cx)


@model("ERR_CAST")
def _err_cast(cx):
    return ret(cx, cx.arg(0) or ZERO)


# ------------------------------------------------------------------ allocation

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


def _gfp_sleeps(cx: CallCtx) -> bool:
    gi, _ = ALLOCATORS[cx.name]
    if gi is None:
        return True
    v = cx.arg(gi)
    return v is not None and v[0] == "I" and bool(v[1] & GFP_DIRECT_RECLAIM)


GFP_NOFAIL = 0x8000


def _allocate(cx: CallCtx):
    gi, zeroed = ALLOCATORS[cx.name]
    g = cx.arg(gi) if gi is not None else None
    nofail = g is not None and g[0] == "I" and bool(g[1] & GFP_NOFAIL)
    if cx.name in ("kmem_cache_alloc", "kmem_cache_zalloc", "kmem_cache_alloc_node"):
        c = cx.arg(0)
        if c is not None and c[0] == "I" and c[2] is not None:
            s, _ = check_deref(cx, cx.s, c, 0)
            return cx.ex.crash(s)
    return alloc(cx, "heap", zeroed=zeroed, fail=None if nofail else "null")


for _n in ALLOCATORS:
    MODELS[_n] = Model((_n,), _allocate, sleeps=_gfp_sleeps,
                       derefs=(0,) if _n in ("kstrdup", "kstrndup", "kmemdup", "kmemdup_nul", "kstrdup_const")
                       else ())


@model("krealloc", "krealloc_array", "kvrealloc", gfp=None)
def _krealloc(cx):
    old = cx.arg(0)
    gi = {"krealloc": 2, "krealloc_array": 3, "kvrealloc": 3}[cx.name]
    s = cx.s
    if cx.ex.ctx is not None and cx.ex.ctx.atomic:
        g = cx.arg(gi)
        if g is not None and g[0] == "I" and g[1] & GFP_DIRECT_RECLAIM:
            s = cx.ex.event(s, "sleep_atomic", cx.loc, what=f"{cx.name}() with {gfp_name(g[1])} may sleep",
                            call=cx.name)
    out = []
    for v, x in alloc(cx, "heap", s=s):
        if v[0] == "P":
            x = release(cx, old, s=x, verb="moves")
        out.append((v, x))
    return out


@model("kfree", "kvfree", "vfree", "kfree_sensitive", "kzfree", "kvfree_sensitive", "kfree_const",
       "free_percpu")
def _kfree(cx):
    return ret(cx, ZERO, release(cx, cx.arg(0)))


@model("kmem_cache_free")
def _kmem_cache_free(cx):
    return ret(cx, ZERO, release(cx, cx.arg(1)))


@model("kvfree_call_rcu", "kfree_call_rcu")
def _kfree_rcu(cx):
    target = cx.arg(1) if len(cx.args) > 1 else cx.arg(0)
    return ret(cx, ZERO, release(cx, target))


@model("__get_free_pages", "get_zeroed_page", "__get_free_page", sleeps=lambda cx: (
        (cx.arg(0) or ZERO)[0] == "I" and bool((cx.arg(0) or ZERO)[1] & GFP_DIRECT_RECLAIM)))
def _get_pages(cx):
    return alloc(cx, "heap", zeroed=cx.name == "get_zeroed_page")


@model("free_pages", "free_page")
def _free_pages(cx):
    return ret(cx, ZERO, release(cx, cx.arg(0)))


# ------------------------------------------------------------------ handles

def _handle(kind: str, fail: str = "null", desc: str = ""):
    def create(cx: CallCtx):
        extra = None
        if kind == "proc entry":
            extra = str_value(cx.arg(0) or ZERO)
            parent = cx.arg(2)
            if parent is not None and not is_null(parent):
                return unknown(cx)          # removed with its parent
        if kind == "debugfs entry":
            parent = cx.arg(1) if cx.name == "debugfs_create_dir" else cx.arg(2)
            if parent is not None and not is_null(parent):
                return unknown(cx)
        if kind == "file":
            path = str_value(cx.arg(0) or ZERO)
            extra = path
        return alloc(cx, kind, zeroed=False, fail=fail, extra=extra, desc=desc or f"{cx.name}()")
    return create


def _destroy(kind: str, arg: int = 0, harm: Optional[str] = None):
    def destroy(cx: CallCtx):
        return ret(cx, ZERO, release(cx, cx.arg(arg), (kind,), harm_if_null=harm, verb="releases"))
    return destroy


model("kthread_create_on_node", "kthread_create", "kthread_run", "kthread_create_on_cpu",
      "kthread_run_on_cpu", sleeps=True)(_handle("kthread", "errptr", "a kthread"))
model("kthread_stop", sleeps=True)(_destroy("kthread", harm="crash"))
model("alloc_workqueue", "alloc_ordered_workqueue", "create_workqueue", "create_singlethread_workqueue",
      "create_freezable_workqueue", sleeps=True)(_handle("workqueue", "null", "a workqueue"))
model("kobject_create_and_add", sleeps=True)(_handle("kobject", "null", "a kobject"))
model("kobject_put")(_destroy("kobject"))
model("kmem_cache_create", "kmem_cache_create_usercopy", sleeps=True)(_handle("kmem_cache", "null", "a slab cache"))
model("kmem_cache_destroy", sleeps=True)(_destroy("kmem_cache"))
model("proc_create", "proc_create_data", "proc_mkdir", "proc_mkdir_data", "proc_create_single",
      "proc_create_single_data", "proc_create_seq", "proc_create_seq_private", "proc_symlink",
      sleeps=True)(_handle("proc entry", "null", "a /proc entry"))
model("proc_remove", sleeps=True)(_destroy("proc entry"))
model("debugfs_create_dir", "debugfs_create_file", "debugfs_create_file_unsafe",
      sleeps=True)(_handle("debugfs entry", "errptr", "a debugfs entry"))
model("debugfs_remove", "debugfs_remove_recursive", sleeps=True)(_destroy("debugfs entry"))
model("register_sysctl_table", "register_sysctl", "register_sysctl_paths",
      sleeps=True)(_handle("sysctl table", "null", "a sysctl table"))
model("unregister_sysctl_table", sleeps=True)(_destroy("sysctl table"))
model("class_create", sleeps=True)(_handle("device class", "errptr", "a device class"))
model("class_destroy", sleeps=True)(_destroy("device class"))


@model("destroy_workqueue", sleeps=True)
def _destroy_wq(cx):
    s = release(cx, cx.arg(0), ("workqueue",), harm_if_null="crash", verb="destroys")
    s = _drain_work(cx, s, cx.arg(0))
    return ret(cx, ZERO, s)


@model("remove_proc_entry", "remove_proc_subtree", sleeps=True)
def _remove_proc(cx):
    name = str_value(cx.arg(0) or ZERO)
    parent = cx.arg(1)
    s = cx.s
    if name is None or (parent is not None and not is_null(parent)):
        return ret(cx, ZERO)
    for hid, obj in sorted(s.heap.items()):
        if obj.kind == "proc entry" and obj.extra == name and obj.status in ("live", "released"):
            return ret(cx, ZERO, release(cx, P(("h", hid)), ("proc entry",), s=s, verb="removes"))
    return ret(cx, ZERO)


@model("filp_open", sleeps=True)
def _filp_open(cx):
    path = str_value(cx.arg(0) or ZERO)
    s = cx.s
    ctx = cx.ex.ctx
    if path is not None and path.startswith("/sys/kernel/livepatch") and ctx is not None and ctx.in_hook:
        flags = int_arg(cx, 1)
        if flags is None or flags & 3:
            s = cx.ex.event(s, "deadlock_call", cx.loc, call=cx.name,
                            why=f"opens {path} for writing: a write to the livepatch sysfs takes klp_mutex")
    return alloc(cx, "file", fail="errptr", extra=path, s=s, desc=f"the file {path or cx.arg_text(0)}")


@model("kernel_write", "__kernel_write", sleeps=True)
def _kernel_write(cx):
    f = cx.arg(0)
    hid = heap_id(f) if f is not None else None
    s = cx.s
    ctx = cx.ex.ctx
    if hid is not None and ctx is not None and ctx.in_hook:
        obj = s.heap.get(hid)
        if obj is not None and obj.kind == "file" and isinstance(obj.extra, str) \
                and obj.extra.startswith("/sys/kernel/livepatch"):
            s = cx.ex.event(s, "deadlock_call", cx.loc, call=cx.name,
                            why=f"writes {obj.extra}: the livepatch sysfs takes klp_mutex")
    return unknown(cx, s)


# ------------------------------------------------------------------ keyed registrations

def _register(kind: str, arg: int = 0, desc: str = "", idempotent: bool = False, fails: bool = True):
    def reg(cx: CallCtx):
        v = cx.arg(arg)
        d = desc or f"the {kind} {cx.arg_text(arg)}"
        s = acquire(cx, kind, v, d, idempotent=idempotent)
        out = [(ZERO, s)]
        if fails:
            out.append((I(-EINVAL), cx.s.note(cx.loc, f"{cx.name}() may fail")))
            out = [(r, x.forked()) for r, x in out]
        return out
    return reg


def _unregister(kind: str, arg: int = 0, harm: Optional[str] = None):
    def unreg(cx: CallCtx):
        v = cx.arg(arg)
        s = release_key(cx, kind, v, f"the {kind} {cx.arg_text(arg)}", harm=harm)
        return ret(cx, ZERO, s)
    return unreg


_PAIRS = [
    # (register names, unregister names, kind, argument, harm of an unbalanced unregister)
    (("register_module_notifier",), ("unregister_module_notifier",), "module notifier", 0, None),
    (("register_reboot_notifier",), ("unregister_reboot_notifier",), "reboot notifier", 0, None),
    (("register_netdevice_notifier",), ("unregister_netdevice_notifier",), "netdevice notifier", 0, None),
    (("register_die_notifier",), ("unregister_die_notifier",), "die notifier", 0, None),
    (("register_keyboard_notifier",), ("unregister_keyboard_notifier",), "keyboard notifier", 0, None),
    (("register_pm_notifier",), ("unregister_pm_notifier",), "PM notifier", 0, None),
    (("register_oom_notifier",), ("unregister_oom_notifier",), "OOM notifier", 0, None),
    (("cpu_pm_register_notifier",), ("cpu_pm_unregister_notifier",), "CPU PM notifier", 0, None),
    (("atomic_notifier_chain_register", "blocking_notifier_chain_register", "raw_notifier_chain_register",
      "srcu_notifier_chain_register"),
     ("atomic_notifier_chain_unregister", "blocking_notifier_chain_unregister",
      "raw_notifier_chain_unregister", "srcu_notifier_chain_unregister"), "notifier", 1, None),
    (("register_kprobe",), ("unregister_kprobe",), "kprobe", 0, None),
    (("register_kretprobe",), ("unregister_kretprobe",), "kretprobe", 0, "crash"),
    (("register_ftrace_function",), ("unregister_ftrace_function",), "ftrace ops", 0, "warn"),
    (("misc_register",), ("misc_deregister",), "misc device", 0, "crash"),
    (("register_filesystem",), ("unregister_filesystem",), "filesystem", 0, None),
    (("register_trace_event",), ("unregister_trace_event",), "trace event", 0, None),
    (("nf_register_net_hook",), ("nf_unregister_net_hook",), "netfilter hook", 1, None),
    (("register_shrinker",), ("unregister_shrinker",), "shrinker", 0, "crash"),
    (("register_chrdev_region", "alloc_chrdev_region"), ("unregister_chrdev_region",), "chrdev region", 0, None),
    (("cdev_add",), ("cdev_del",), "cdev", 0, None),
    (("input_register_handler",), ("input_unregister_handler",), "input handler", 0, None),
    (("register_sysrq_key",), ("unregister_sysrq_key",), "sysrq key", 1, None),
]

for _regs, _unregs, _kind, _arg, _harm in _PAIRS:
    model(*_regs, sleeps=True)(_register(_kind, _arg))
    model(*_unregs, sleeps=True)(_unregister(_kind, _arg, _harm))


def _sysfs(kind: str, create: bool):
    def f(cx: CallCtx):
        kobj, attr = cx.arg(0), cx.arg(1)
        if kobj is None or attr is None or kobj[0] != "P" or attr[0] != "P":
            return unknown(cx) if create else ret(cx, ZERO)
        v = ("P", kobj[1], kobj[2] + (("attr",) + attr[1:],))
        desc = f"the sysfs {kind} {cx.arg_text(1)}"
        if create:
            s = acquire(cx, "sysfs " + kind, v, desc)
            return [(ZERO, s.forked()), (I(-ENOMEM), cx.s.note(cx.loc, f"{cx.name}() may fail").forked())]
        return ret(cx, ZERO, release_key(cx, "sysfs " + kind, v, desc))
    return f


model("sysfs_create_file", sleeps=True)(_sysfs("file", True))
model("sysfs_remove_file", sleeps=True)(_sysfs("file", False))
model("sysfs_create_group", sleeps=True)(_sysfs("group", True))
model("sysfs_remove_group", sleeps=True)(_sysfs("group", False))
model("sysfs_create_bin_file", sleeps=True)(_sysfs("bin file", True))
model("sysfs_remove_bin_file", sleeps=True)(_sysfs("bin file", False))


# module references
@model("try_module_get")
def _try_module_get(cx):
    v = cx.arg(0)
    if v is None or is_null(v):
        return ret(cx, ONE)
    s = acquire(cx, "module reference", v, f"a reference on {cx.arg_text(0)}", counted=True)
    return [(ONE, s.forked()), (ZERO, cx.s.note(cx.loc, "try_module_get() fails: the module is going").forked())]


@model("__module_get")
def _module_get(cx):
    v = cx.arg(0)
    if v is None or is_null(v):
        return ret(cx, ZERO)
    return ret(cx, ZERO, acquire(cx, "module reference", v, f"a reference on {cx.arg_text(0)}", counted=True))


@model("module_put")
def _module_put(cx):
    v = cx.arg(0)
    if v is None or is_null(v):
        return ret(cx, ZERO)
    return ret(cx, ZERO, release_key(cx, "module reference", v, f"a reference on {cx.arg_text(0)}",
                                     harm="warn", counted=True))


# timers and work: armed or queued until cancelled (idempotent both ways)
def _arm(kind: str, arg: int):
    def f(cx: CallCtx):
        v = cx.arg(arg)
        s = acquire(cx, kind, v, f"the {kind} {cx.arg_text(arg)}", idempotent=True)
        if kind in ("work", "delayed work") and arg == 1:
            key = res_key(kind, v)
            if key in s.res:
                s = s.set_res(key, s.res[key]._replace(failed=("wq", cx.arg(0))))
        return unknown(cx, s)
    return f


def _disarm(kind: str, arg: int = 0):
    def f(cx: CallCtx):
        v = cx.arg(arg)
        return unknown(cx, release_key(cx, kind, v, f"the {kind} {cx.arg_text(arg)}"))
    return f


model("mod_timer", "add_timer", "timer_reduce", "add_timer_on")(_arm("timer", 0))
model("del_timer_sync", "del_timer", "timer_delete", "timer_delete_sync", "timer_shutdown_sync",
      "timer_shutdown", "try_to_del_timer_sync")(_disarm("timer"))
model("schedule_work", "system_wq_schedule_work")(_arm("work", 0))
model("queue_work")(_arm("work", 1))
model("queue_work_on")(lambda cx: _arm("work", 2)(cx))
model("schedule_delayed_work", "mod_delayed_work_system")(_arm("delayed work", 0))
model("queue_delayed_work", "mod_delayed_work")(_arm("delayed work", 1))
model("schedule_delayed_work_on")(_arm("delayed work", 1))
model("queue_delayed_work_on", "mod_delayed_work_on")(lambda cx: _arm("delayed work", 2)(cx))
model("cancel_work_sync", "flush_work", "cancel_work", sleeps=lambda cx: cx.name != "cancel_work")(_disarm("work"))
model("cancel_delayed_work_sync", "flush_delayed_work", "cancel_delayed_work",
      sleeps=lambda cx: cx.name != "cancel_delayed_work")(_disarm("delayed work"))


def _drain_work(cx: CallCtx, s: State, wq) -> State:
    for k, r in list(s.res.items()):
        if r.kind in ("work", "delayed work") and r.status == "held" and r.failed and r.failed[0] == "wq" \
                and wq is not None and r.failed[1] == wq:
            s = s.set_res(k, r._replace(status="released", rel_loc=cx.loc))
    return s


@model("flush_workqueue", "drain_workqueue", sleeps=True)
def _flush_wq(cx):
    return unknown(cx, _drain_work(cx, cx.s, cx.arg(0)))


# kref: counts kept next to the object; the release function runs at zero
def _kref_key(v):
    return (v[1], v[2] + ("#kref",)) if v is not None and v[0] == "P" else None


@model("kref_init", derefs=(0,))
def _kref_init(cx):
    key = _kref_key(cx.arg(0))
    if key is None:
        return ret(cx, ZERO)
    return ret(cx, ZERO, cx.s.set_mem(key, ONE))


@model("kref_get", derefs=(0,))
def _kref_get(cx):
    key = _kref_key(cx.arg(0))
    s = cx.s
    if key is not None:
        c = s.mem.get(key)
        if c is not None and c[0] == "I":
            s = s.set_mem(key, I(c[1] + 1))
        else:
            s = s.update_mem({}, [key])
    return ret(cx, ZERO, s)


@model("kref_put", derefs=(0,))
def _kref_put(cx):
    v = cx.arg(0)
    key = _kref_key(v)
    s = cx.s
    c = s.mem.get(key) if key is not None else None
    if c is None or c[0] != "I":
        return unknown(cx, escape=(0,))
    if c[1] > 1:
        return ret(cx, ZERO, s.set_mem(key, I(c[1] - 1)))
    s = s.set_mem(key, ZERO)
    rel = cx.arg(1)
    name = fn_name(rel) if rel is not None else None
    fn = cx.ex.module.functions.get(name) if name else None
    if fn is None or fn.body is None:
        return unknown(cx, s, escape=(0,))
    return [(ONE, x) for _, x, _ in cx.ex.call_function(fn, (v,), s, cx.fr.depth + 1, cx.loc)]


# ------------------------------------------------------------------ locks

LOCKS = {
    # name -> (kind, 'lock' | 'unlock' | 'trylock' | 'lock_int')
    "mutex_lock": ("mutex", "lock"), "mutex_lock_nested": ("mutex", "lock"), "mutex_lock_io": ("mutex", "lock"),
    "mutex_lock_interruptible": ("mutex", "lock_int"), "mutex_lock_killable": ("mutex", "lock_int"),
    "mutex_trylock": ("mutex", "trylock"), "mutex_unlock": ("mutex", "unlock"),
    "down": ("semaphore", "lock"), "down_interruptible": ("semaphore", "lock_int"),
    "down_killable": ("semaphore", "lock_int"), "down_trylock": ("semaphore", "trylock_inv"),
    "up": ("semaphore", "unlock"),
    "down_read": ("rwsem", "lock"), "down_write": ("rwsem", "lock"), "up_read": ("rwsem", "unlock"),
    "up_write": ("rwsem", "unlock"), "down_read_trylock": ("rwsem", "trylock"),
    "down_write_trylock": ("rwsem", "trylock"),
    "rcu_read_lock": ("RCU read lock", "lock"), "rcu_read_unlock": ("RCU read lock", "unlock"),
    "__rcu_read_lock": ("RCU read lock", "lock"), "__rcu_read_unlock": ("RCU read lock", "unlock"),
}
for _k in ("spin_lock", "spin_lock_bh", "spin_lock_irq", "spin_lock_irqsave", "spin_lock_nested",
           "_raw_spin_lock", "_raw_spin_lock_bh", "_raw_spin_lock_irq", "_raw_spin_lock_irqsave",
           "raw_spin_lock", "raw_spin_lock_bh", "raw_spin_lock_irq", "raw_spin_lock_irqsave",
           "read_lock", "write_lock", "read_lock_bh", "write_lock_bh", "read_lock_irq", "write_lock_irq",
           "read_lock_irqsave", "write_lock_irqsave", "_raw_read_lock", "_raw_write_lock",
           "_raw_read_lock_irqsave", "_raw_write_lock_irqsave", "_raw_read_lock_bh", "_raw_write_lock_bh",
           "_raw_read_lock_irq", "_raw_write_lock_irq"):
    LOCKS[_k] = ("spinlock", "lock")
for _k in ("spin_unlock", "spin_unlock_bh", "spin_unlock_irq", "spin_unlock_irqrestore",
           "_raw_spin_unlock", "_raw_spin_unlock_bh", "_raw_spin_unlock_irq", "_raw_spin_unlock_irqrestore",
           "raw_spin_unlock", "raw_spin_unlock_bh", "raw_spin_unlock_irq", "raw_spin_unlock_irqrestore",
           "read_unlock", "write_unlock", "read_unlock_bh", "write_unlock_bh", "read_unlock_irq",
           "write_unlock_irq", "read_unlock_irqrestore", "write_unlock_irqrestore", "_raw_read_unlock",
           "_raw_write_unlock", "_raw_read_unlock_irqrestore", "_raw_write_unlock_irqrestore",
           "_raw_read_unlock_bh", "_raw_write_unlock_bh", "_raw_read_unlock_irq", "_raw_write_unlock_irq"):
    LOCKS[_k] = ("spinlock", "unlock")
for _k in ("spin_trylock", "spin_trylock_bh", "spin_trylock_irq", "spin_trylock_irqsave", "_raw_spin_trylock",
           "raw_spin_trylock", "read_trylock", "write_trylock"):
    LOCKS[_k] = ("spinlock", "trylock")

_LOCK_FIELDS = ("rlock", "raw_lock", "wait_lock", "lock", "dep_map")


def lock_key(v) -> Optional[tuple]:
    if v is None:
        return ("global",)
    if v[0] == "P":
        path = v[2]
        while path and path[-1] in _LOCK_FIELDS:
            path = path[:-1]
        return (v[1], path)
    if v[0] == "S":
        return ("sym", v[1])
    return None


def _lock_model(cx: CallCtx):
    kind, op = LOCKS[cx.name]
    v = cx.arg(0) if cx.args else None
    key = lock_key(v) if kind != "RCU read lock" else ("rcu",)
    if key is None:
        return unknown(cx)
    s = cx.s
    label = cx.arg_text(0) if kind != "RCU read lock" else "the RCU read lock"

    def take(x):
        return _set_locks(x, x.locks + ((key, cx.loc, kind, label),))

    if op == "unlock":
        locks = list(s.locks)
        for i in range(len(locks) - 1, -1, -1):
            if locks[i][0] == key:
                del locks[i]
                return ret(cx, ZERO, _set_locks(s, tuple(locks)))
        return ret(cx, ZERO)
    if op == "lock":
        out = take(s)
        if cx.name.endswith("_irqsave") and len(cx.args) > 1 and cx.args[1][0] == "P":
            # the bundled headers pass &flags: it is written
            out = cx.ex.store(out, (cx.args[1][1], cx.args[1][2]), ("S", -2))
        return ret(cx, ZERO, out)
    if op in ("trylock", "trylock_inv"):
        got, failed = (ONE, ZERO) if op == "trylock" else (ZERO, ONE)
        return [(got, take(s).forked()), (failed, s.forked())]
    # lock_int: 0 when the lock is taken, -EINTR when a signal interrupts the wait
    return [(ZERO, take(s).forked()), (I(-EINTR), s.note(cx.loc, f"{cx.name}() is interrupted").forked())]


def _set_locks(s: State, locks) -> State:
    n = s.copy()
    n.locks = locks
    return n


for _k, (_kind, _op) in LOCKS.items():
    MODELS[_k] = Model((_k,), _lock_model, sleeps=_kind in ("mutex", "semaphore", "rwsem") and _op != "unlock"
                       and "trylock" not in _op)


@model("spinlock_check")
def _spinlock_check(cx):
    v = cx.arg(0)
    if v is not None and v[0] == "P":
        return ret(cx, P(v[1], v[2] + ("rlock",)))
    return ret(cx, v or ZERO)


@model("mutex_init", "__mutex_init", "spin_lock_init", "__raw_spin_lock_init", "raw_spin_lock_init",
       "rwlock_init", "__rwlock_init", "init_rwsem", "__init_rwsem", "sema_init", "init_completion",
       "init_waitqueue_head", "__init_waitqueue_head", "INIT_LIST_HEAD", "INIT_HLIST_HEAD", "kref_init_placeholder",
       "timer_setup", "init_timer_key", "__init_timer", "INIT_WORK", "INIT_DELAYED_WORK", "__init_work",
       "INIT_DEFERRABLE_WORK", "hrtimer_init", "atomic_notifier_chain_init", "__mutex_init_placeholder")
def _init_object(cx):
    """Initialising a lock, list, timer or work item: its memory is (re)written, nothing is taken."""
    v = cx.arg(0)
    s = cx.s
    if v is not None and v[0] == "P" and v[1][0] in ("g", "sl", "l", "h", "s"):
        s = cx.ex.clear_region(s, v[1], v[2], havoc=True)
    return ret(cx, ZERO, s)


# ------------------------------------------------------------------ the livepatch API

def _patch_of(cx: CallCtx, v):
    """The model.Patch a `&patch` argument designates, or None."""
    if v is None or v[0] != "P" or v[1][0] != "g" or v[2]:
        return None
    for p in cx.ex.module.patches:
        if p.var == v[1][1]:
            return p
    return None


def _core_call_deadlock(cx: CallCtx):
    return f"{cx.name}() takes klp_mutex, which the core holds while it runs hooks and callbacks"


def _request_module_deadlock(cx: CallCtx):
    if cx.name == "__request_module":
        wait = int_arg(cx, 0)
        if wait == 0:
            return None
    return (f"{cx.name}() waits for modprobe, and loading a module takes klp_mutex in "
            "klp_module_coming(), which the core holds while it runs hooks and callbacks")


@model("klp_enable_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_enable_patch(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    if ctx is not None and ctx.enable is not None:
        p = _patch_of(cx, cx.arg(0))
        if p is None and cx.arg(0) is not None and cx.arg(0)[0] == "P":
            return ret(cx, ZERO)          # another patch of this file
        if p is None or p is ctx.patch or p.var == ctx.patch.var:
            return ctx.enable(cx)
    return unknown(cx)


@model("klp_register_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_register_patch(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    return ret(cx, ZERO, cx.s.with_flag("registered"))


@model("klp_unregister_patch", "klp_disable_patch", sleeps=True, deadlock=_core_call_deadlock)
def _klp_unregister(cx):
    ctx = cx.ex.ctx
    if ctx is not None and ctx.in_hook:
        return unknown(cx)
    return ret(cx, ZERO)


@model("request_module", "__request_module", "request_module_nowait", sleeps=True,
       deadlock=lambda cx: None if cx.name == "request_module_nowait" else _request_module_deadlock(cx))
def _request_module(cx):
    v, s = cx.ex.fresh_sym(cx.s)
    return [(v, s)]


@model("klp_is_module")
def _klp_is_module(cx):
    v = cx.arg(0)
    if v is not None and v[0] == "P" and v[1][0] == "obj":
        b = cx.ex.ctx.binding if cx.ex.ctx else None
        if b is not None and b.region == v[1]:
            return ret(cx, I(int(b.name is not None)))
    return unknown(cx)


def state_id(cx: CallCtx, i: int) -> Optional[int]:
    return int_arg(cx, i)


@model("klp_get_state")
def _klp_get_state(cx):
    p = _patch_of(cx, cx.arg(0))
    sid = state_id(cx, 1)
    if p is None or sid is None:
        return unknown(cx)
    table = p.states
    if table is None or sid not in p.state_ids():
        return ret(cx, I(0, ("nostate", sid)))
    for k, st in enumerate(table.walked):
        if st.id == sid:
            if table.var:
                return ret(cx, P(("g", table.var), (k,)))
            return ret(cx, P(("state", p.var, sid)))
    return unknown(cx)


@model("klp_get_prev_state")
def _klp_get_prev_state(cx):
    ctx = cx.ex.ctx
    sid = state_id(cx, 0)
    s = cx.s
    if ctx is not None and ctx.role not in CALLBACK_ROLES:
        s = cx.ex.event(s, "prev_state_context", cx.loc, role=ctx.role)
        return ret(cx, ZERO, s)
    if sid is None:
        return unknown(cx, s)
    # whether an earlier patch installed this state is fixed for the whole scenario
    key = (("prev", sid), ("#installed",))
    known = s.mem.get(key)
    if known is not None:
        return ret(cx, known, s)
    yes = P(("prev", sid))
    a = s.set_mem(key, yes).note(cx.loc, f"an earlier livepatch installed state {sid}").forked()
    b = s.set_mem(key, ZERO).note(cx.loc, f"no earlier livepatch installed state {sid}").forked()
    return [(yes, a), (ZERO, b)]


# shadow variables

def shadow_obj_key(v):
    if v is None:
        return None
    if v[0] == "P":
        return ("p", v[1], v[2])
    if v[0] == "S":
        return ("s", v[1])
    if v[0] == "I":
        return ("i", v[1])
    return None


def _run_callback(cx: CallCtx, fnv, args, s: State, atomic: bool, what: str):
    """Run a same-file function the kernel calls back (shadow ctor/dtor): [(ret, state)]."""
    name = fn_name(fnv) if fnv is not None else None
    fn = cx.ex.module.functions.get(name) if name else None
    if fn is None or fn.body is None:
        return [(ZERO, s)]
    ctx = cx.ex.ctx
    if atomic and ctx is not None:
        ctx.atomic += 1
    try:
        s = s.note(cx.loc, f"{cx.name}() runs {name}() {what}")
        res = cx.ex.call_function(fn, args, s, cx.fr.depth + 1, cx.loc)
    finally:
        if atomic and ctx is not None:
            ctx.atomic -= 1
    return [(v, x) for v, x, _ in res]


def _shadow_new(cx: CallCtx, s: State, okey, sid, existing_check: bool):
    out = []
    ctor = cx.arg(4)
    for v, x in alloc(cx, "shadow", zeroed=True, extra=(okey, sid), s=s,
                      desc=f"shadow variable {sid if sid is not None else cx.arg_text(1)} of {cx.arg_text(0)}"):
        hid = heap_id(v)
        if hid is None:
            out.append((v, x))
            continue
        if okey is not None and sid is not None:
            x = x.set_shadow((okey, sid), hid)
        if ctor is not None and fn_name(ctor):
            for r, y in _run_callback(cx, ctor, (cx.arg(0) or ZERO, v, cx.arg(5) or ZERO), x, True,
                                      "with a spinlock held and interrupts off"):
                ts, fs = cx.ex.truth(r, y)
                for z in fs:
                    out.append((v, z))
                for z in ts:     # the ctor failed: the variable is freed, NULL returned
                    z = z.set_heap(hid, z.heap[hid]._replace(status="released", escaped=True))
                    if okey is not None and sid is not None:
                        z = z.set_shadow((okey, sid), None)
                    out.append((I(0, ("alloc", cx.name, cx.loc)), z))
        else:
            out.append((v, x))
    return out


def _live_shadow(s: State, okey, sid):
    if okey is None or sid is None:
        return None
    hid = s.shadow.get((okey, sid))
    if hid is None:
        return None
    obj = s.heap.get(hid)
    return hid if obj is not None and obj.status == "live" else None


@model("klp_shadow_alloc", gfp=3)
def _shadow_alloc(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = cx.s
    hid = _live_shadow(s, okey, sid)
    if hid is not None:
        s = cx.ex.event(s, "shadow_exists", cx.loc, heap=s.heap[hid], id=sid, obj=cx.arg_text(0))
        return [(I(0, ("alloc", cx.name, cx.loc)), s)]
    return _shadow_new(cx, s, okey, sid, True)


@model("klp_shadow_get_or_alloc", gfp=3)
def _shadow_get_or_alloc(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    hid = _live_shadow(cx.s, okey, sid)
    if hid is not None:
        return ret(cx, P(("h", hid)))
    return _shadow_new(cx, cx.s, okey, sid, False)


@model("klp_shadow_get")
def _shadow_get(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = cx.s
    if okey is not None and sid is not None and (okey, sid) in s.shadow:
        hid = s.shadow[(okey, sid)]
        obj = s.heap.get(hid)
        if obj is not None and obj.status == "live":
            return ret(cx, P(("h", hid)))
        if obj is not None and obj.status == "released" and not obj.escaped:
            return ret(cx, ZERO)
    return unknown(cx)


def _free_shadows(cx: CallCtx, s: State, hids, dtor, sid, label: str):
    states = [s]
    for hid in hids:
        nxt = []
        for x in states:
            obj = x.heap[hid]
            if dtor is not None and fn_name(dtor):
                okey = obj.extra[0] if obj.extra else None
                objv = ("P", okey[1], okey[2]) if okey and okey[0] == "p" else (("S", okey[1]) if okey and okey[0] == "s" else ZERO)
                for _, y in _run_callback(cx, dtor, (objv, P(("h", hid))), x, True,
                                          "with a spinlock held and interrupts off"):
                    nxt.append(y)
            else:
                nxt.append(x)
        states = []
        for x in nxt:
            obj = x.heap[hid]
            ctx = cx.ex.ctx
            x = x.set_heap(hid, obj._replace(status="released", rel_loc=cx.loc,
                                             rel_what=(ctx.role if ctx else None, ctx.function if ctx else None)))
            states.append(x.note(cx.loc, f"{cx.name}() frees {label}"))
    return states


def _record_free(cx: CallCtx, s: State, sid) -> State:
    ctx = cx.ex.ctx
    cx.ex.shadow_frees.append((sid, ctx.role if ctx else None))
    return s


@model("klp_shadow_free")
def _shadow_free(cx):
    okey, sid = shadow_obj_key(cx.arg(0)), state_id(cx, 1)
    s = _record_free(cx, cx.s, sid)
    dtor = cx.arg(2)
    hid = _live_shadow(s, okey, sid)
    if hid is not None:
        return [(ZERO, x) for x in _free_shadows(cx, s, [hid], dtor, sid, f"shadow variable {sid}")]
    if okey is not None and okey[0] != "p":
        # an object klplint cannot name: any shadow of this id may be the one freed
        for (k, i), h in list(s.shadow.items()):
            if i == sid and k[0] != "p":
                obj = s.heap.get(h)
                if obj is not None and obj.status == "live":
                    s = s.set_heap(h, obj._replace(escaped=True))
    if dtor is not None and fn_name(dtor):
        data, s = cx.ex.fresh_sym(s)
        return [(ZERO, x) for _, x in _run_callback(cx, dtor, (cx.arg(0) or ZERO, data), s, True,
                                                     "with a spinlock held and interrupts off")]
    return ret(cx, ZERO, s)


@model("klp_shadow_free_all")
def _shadow_free_all(cx):
    sid = state_id(cx, 0)
    s = _record_free(cx, cx.s, sid)
    dtor = cx.arg(1)
    if sid is None:
        for h, obj in list(s.heap.items()):
            if obj.kind == "shadow" and obj.status == "live":
                s = s.set_heap(h, obj._replace(escaped=True))
        return ret(cx, ZERO, s)
    hids = sorted(h for (k, i), h in s.shadow.items() if i == sid and s.heap[h].status == "live")
    if hids:
        return [(ZERO, x) for x in _free_shadows(cx, s, hids, dtor, sid, f"every shadow variable {sid}")]
    if dtor is not None and fn_name(dtor):
        sym1, s = cx.ex.fresh_sym(s)
        sym2, s = cx.ex.fresh_sym(s)
        return [(ZERO, x) for _, x in _run_callback(cx, dtor, (sym1, sym2), s, True,
                                                     "with a spinlock held and interrupts off")]
    return ret(cx, ZERO, s)
