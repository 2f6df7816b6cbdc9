"""Models of handles created and destroyed (kthreads, workqueues, kobjects, proc entries...)."""
from __future__ import annotations

from typing import Optional

from klplint.analysis.callctx import CallCtx
from klplint.analysis.events import DeadlockCall
from klplint.analysis.kapi.common import alloc, int_arg, release, ret, unknown
from klplint.analysis.kapi.registrations import _drain_work
from klplint.analysis.kapi.registry import model
from klplint.analysis.values import ZERO, HeapRegion, Ptr, heap_id, is_null, str_value

# ------------------------------------------------------------------ handles

def _handle(kind: str, fail: str = "null", desc: str = ""):
    def create(cx: CallCtx):
        path = None
        if kind == "proc entry":
            path = str_value(cx.arg(0) or ZERO)
            parent = cx.arg(2)
            if parent is not None and not is_null(parent):
                return unknown(cx)          # removed with its parent
        if kind == "debugfs entry":
            parent = cx.arg(1) if cx.name == "debugfs_create_dir" else cx.arg(2)
            if parent is not None and not is_null(parent):
                return unknown(cx)
        if kind == "file":
            path = str_value(cx.arg(0) or ZERO)
        return alloc(cx, kind, zeroed=False, fail=fail, path=path, desc=desc or f"{cx.name}()")
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
        if obj.kind == "proc entry" and obj.path == name and obj.status in ("live", "released"):
            return ret(cx, ZERO, release(cx, Ptr(HeapRegion(hid)), ("proc entry",), s=s, verb="removes"))
    return ret(cx, ZERO)


@model("filp_open", sleeps=True)
def _filp_open(cx):
    path = str_value(cx.arg(0) or ZERO)
    s = cx.s
    ctx = cx.ex.ctx
    if path is not None and path.startswith("/sys/kernel/livepatch") and ctx is not None and ctx.in_hook:
        flags = int_arg(cx, 1)
        if flags is None or flags & 3:
            s = cx.ex.event(s, cx.loc, DeadlockCall(cx.name,
                            f"opens {path} for writing: a write to the livepatch sysfs takes klp_mutex"))
    return alloc(cx, "file", fail="errptr", path=path, s=s, desc=f"the file {path or cx.arg_text(0)}")


@model("kernel_write", "__kernel_write", sleeps=True)
def _kernel_write(cx):
    f = cx.arg(0)
    hid = heap_id(f) if f is not None else None
    s = cx.s
    ctx = cx.ex.ctx
    if hid is not None and ctx is not None and ctx.in_hook:
        obj = s.heap.get(hid)
        if obj is not None and obj.kind == "file" and obj.path is not None \
                and obj.path.startswith("/sys/kernel/livepatch"):
            s = cx.ex.event(s, cx.loc, DeadlockCall(cx.name,
                            f"writes {obj.path}: the livepatch sysfs takes klp_mutex"))
    return unknown(cx, s)
