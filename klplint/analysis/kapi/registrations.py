"""Models of keyed registrations (notifiers, kprobes, timers, work, module references...)."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import ReleaseUnacquired
from klplint.analysis.kapi.common import _args_text, _unsure, acquire, release_key, res_key, ret, unknown
from klplint.analysis.kapi.gfp import EINVAL, ENOMEM
from klplint.analysis.kapi.pristine import never_set_up
from klplint.analysis.kapi.registry import model
from klplint.analysis.state import State
from klplint.analysis.values import (
    KREF,
    ONE,
    ZERO,
    Int,
    Key,
    Ptr,
    Value,
    fn_name,
    is_null,
)

# ------------------------------------------------------------------ keyed registrations

def _register(kind: str, arg: int = 0, desc: str = "", idempotent: bool = False, fails: bool = True):
    def reg(cx: CallCtx):
        v = cx.arg(arg)
        d = desc or f"the {kind} {cx.arg_text(arg)}"
        s = acquire(cx, kind, v, d, idempotent=idempotent)
        out = [(ZERO, s)]
        if fails:
            out.append((Int(-EINVAL), cx.s.note(cx.loc, f"{cx.name}() may fail")))
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
        if type(kobj) is not Ptr or type(attr) is not Ptr:
            return unknown(cx) if create else ret(cx, ZERO)
        # the file is keyed by the kobject and the attribute: a path element naming the attribute
        v = Ptr(kobj.region, kobj.path + (("attr", attr.region, attr.path),))
        desc = f"the sysfs {kind} {cx.arg_text(1)}"
        if create:
            s = acquire(cx, "sysfs " + kind, v, desc)
            return [(ZERO, s.forked()), (Int(-ENOMEM), cx.s.note(cx.loc, f"{cx.name}() may fail").forked())]
        return ret(cx, ZERO, release_key(cx, "sysfs " + kind, v, desc))
    return f


model("sysfs_create_file", sleeps=True, reads=(0,))(_sysfs("file", True))
model("sysfs_remove_file", sleeps=True)(_sysfs("file", False))
model("sysfs_create_group", sleeps=True, reads=(0,))(_sysfs("group", True))
model("sysfs_remove_group", sleeps=True)(_sysfs("group", False))
model("sysfs_create_bin_file", sleeps=True, reads=(0,))(_sysfs("bin file", True))
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
                s = s.set_res(key, s.res[key]._replace(queue=cx.arg(0)))
        return unknown(cx, s)
    return f


def _disarm(kind: str, arg: int = 0):
    def f(cx: CallCtx):
        v = cx.arg(arg)
        key = res_key(kind, v)
        if key is not None and key not in cx.s.res and never_set_up(cx, v) and not _unsure(cx, arg):
            # cancelling what was never initialised (a reversed transition skipped the post_patch
            # that runs timer_setup()/INIT_WORK()): debug objects and WARN_ON(!work->func) fire
            s = cx.ex.event(cx.s, cx.loc, ReleaseUnacquired(
                cx.name, _args_text(cx), harm="warn", res_kind=kind,
                desc=f"the {kind} {cx.arg_text(arg)}, never set up (all zero, as C leaves a static)"))
            return unknown(cx, s)
        return unknown(cx, release_key(cx, kind, v, f"the {kind} {cx.arg_text(arg)}"))
    return f


model("mod_timer", "add_timer", "timer_reduce", "add_timer_on", derefs=(0,))(_arm("timer", 0))
model("del_timer_sync", "del_timer", "timer_delete", "timer_delete_sync", "timer_shutdown_sync",
      "timer_shutdown", "try_to_del_timer_sync", derefs=(0,))(_disarm("timer"))
model("schedule_work", "system_wq_schedule_work", derefs=(0,))(_arm("work", 0))
model("queue_work", derefs=(0, 1))(_arm("work", 1))
model("queue_work_on", derefs=(1, 2))(lambda cx: _arm("work", 2)(cx))
model("schedule_delayed_work", "mod_delayed_work_system", derefs=(0,))(_arm("delayed work", 0))
model("queue_delayed_work", "mod_delayed_work", derefs=(0, 1))(_arm("delayed work", 1))
model("schedule_delayed_work_on", derefs=(1,))(_arm("delayed work", 1))
model("queue_delayed_work_on", "mod_delayed_work_on", derefs=(1, 2))(lambda cx: _arm("delayed work", 2)(cx))
model("cancel_work_sync", "flush_work", "cancel_work", sleeps=lambda cx: cx.name != "cancel_work",
      derefs=(0,))(_disarm("work"))
model("cancel_delayed_work_sync", "flush_delayed_work", "cancel_delayed_work",
      sleeps=lambda cx: cx.name != "cancel_delayed_work", derefs=(0,))(_disarm("delayed work"))


def _drain_work(cx: CallCtx, s: State, wq: Optional[Value]) -> State:
    for k, r in list(s.res.items()):
        if r.kind in ("work", "delayed work") and r.status == "held" and r.queue is not None \
                and wq is not None and r.queue == wq:
            s = s.set_res(k, r._replace(status="released", rel_loc=cx.loc))
    return s


# 6.1 makes flush_workqueue() a macro around __flush_workqueue() (a warning for the system queues)
@model("flush_workqueue", "__flush_workqueue", "drain_workqueue", sleeps=True, derefs=(0,))
def _flush_wq(cx):
    return unknown(cx, _drain_work(cx, cx.s, cx.arg(0)))


# kref: counts kept next to the object; the release function runs at zero
def _kref_key(v: Optional[Value]) -> Optional[Key]:
    return (v.region, v.path + (KREF,)) if type(v) is Ptr else None


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
        if type(c) is Int:
            s = s.set_mem(key, Int(c.value + 1))
        else:
            s = s.update_mem({}, [key])
    return ret(cx, ZERO, s)


@model("kref_put", derefs=(0,))
def _kref_put(cx):
    v = cx.arg(0)
    key = _kref_key(v)
    s = cx.s
    c = s.mem.get(key) if key is not None else None
    if type(c) is not Int or key is None:
        return unknown(cx, escape=(0,))
    if c.value > 1:
        return ret(cx, ZERO, s.set_mem(key, Int(c.value - 1)))
    s = s.set_mem(key, ZERO)
    rel = cx.arg(1)
    name = fn_name(rel) if rel is not None else None
    fn = cx.ex.module.functions.get(name) if name else None
    if fn is None or fn.body is None:
        return unknown(cx, s, escape=(0,))
    return [(ONE, x) for _, x, _ in cx.ex.call_function(fn, (v,), s, cx.fr.depth + 1, cx.loc)]
