"""Models of locks (mutexes, spinlocks, rwlocks, semaphores, RCU read side)."""
from __future__ import annotations

from typing import Optional, Union

from klplint.analysis.callctx import CallCtx
from klplint.analysis.kapi.common import ret, unknown
from klplint.analysis.kapi.gfp import EINTR
from klplint.analysis.kapi.registry import MODELS, Model, model
from klplint.analysis.state import State
from klplint.analysis.values import ONE, WRITABLE, ZERO, Int, Ptr, Sym, Value

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


# A lock: the address of the lock (its wrapper fields stripped), an unknown pointer, or one of these.
LockKey = Union[Ptr, Sym, str]
GLOBAL_LOCK = "global"      # a lock call with no argument
RCU_LOCK = "rcu"            # the RCU read side


def lock_key(v: Optional[Value]) -> Optional[LockKey]:
    if v is None:
        return GLOBAL_LOCK
    if type(v) is Ptr:
        path = v.path
        while path and path[-1] in _LOCK_FIELDS:
            path = path[:-1]
        return Ptr(v.region, path)
    if type(v) is Sym:
        return v
    return None


def _lock_model(cx: CallCtx):
    kind, op = LOCKS[cx.name]
    v = cx.arg(0) if cx.args else None
    key = lock_key(v) if kind != "RCU read lock" else RCU_LOCK
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
        flags = cx.args[1] if len(cx.args) > 1 else None
        if cx.name.endswith("_irqsave") and type(flags) is Ptr:
            # the bundled headers pass &flags: it is written
            out = cx.ex.store(out, (flags.region, flags.path), Sym(-2))
        return ret(cx, ZERO, out)
    if op in ("trylock", "trylock_inv"):
        got, failed = (ONE, ZERO) if op == "trylock" else (ZERO, ONE)
        return [(got, take(s).forked()), (failed, s.forked())]
    # lock_int: 0 when the lock is taken, -EINTR when a signal interrupts the wait
    return [(ZERO, take(s).forked()), (Int(-EINTR), s.note(cx.loc, f"{cx.name}() is interrupted").forked())]


def _set_locks(s: State, locks) -> State:
    n = s.copy()
    n.locks = locks
    return n


for _k, (_kind, _op) in LOCKS.items():
    # every lock call but the RCU read side (no argument) works on the lock's memory
    MODELS[_k] = Model((_k,), _lock_model, sleeps=_kind in ("mutex", "semaphore", "rwsem") and _op != "unlock"
                       and "trylock" not in _op, derefs=(0,) if _kind != "RCU read lock" else ())


@model("spinlock_check")
def _spinlock_check(cx):
    v = cx.arg(0)
    if type(v) is Ptr:
        return ret(cx, Ptr(v.region, v.path + ("rlock",)))
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
    if type(v) is Ptr and v.region.kind in WRITABLE:
        s = cx.ex.clear_region(s, v.region, v.path, havoc=True)
    return ret(cx, ZERO, s)
