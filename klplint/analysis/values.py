"""Abstract values of the executor: integers, unknown symbols, addresses; regions; heap objects and resources.

Everything here is an immutable NamedTuple, so values, memory keys and whole states compare and hash
at tuple speed (states are keyed and merged by equality). Regions carry their `kind` as the *last*
field, with a default: `Global("x")` and `StrLit("x")` are different tuples although both hold "x".
"""
from __future__ import annotations

import enum
from typing import NamedTuple, Optional, Tuple, Union

from klplint import ir

# ------------------------------------------------------------------ regions

class RegionKind(str, enum.Enum):
    """What a region of memory is. The str values are the tags the executor has always used."""

    LOCAL = "l"                 # a local variable or parameter of the frame at `depth`
    STATIC_LOCAL = "sl"         # a function's `static` local
    GLOBAL = "g"                # a file-scope variable
    HEAP = "h"                  # a heap object (allocation, kthread, workqueue...) by heap id
    OBJ = "obj"                 # the `struct klp_object` a hook receives
    MODULE = "mod"              # a `struct module` (obj->mod), by module name
    STRING = "str"              # a string literal
    FUNCTION = "fn"             # a function (its address)
    SYMBOLIC = "s"              # memory behind an unknown pointer, named after its symbol
    KSYM = "ksym"               # a kernel symbol's memory, reached through its address looked up by name
    KLP_STATE = "state"         # a `struct klp_state` with no table variable klplint can name
    PREV_STATE = "prev"         # the klp_state an earlier livepatch installed


class Local(NamedTuple):
    depth: int
    name: str
    kind: RegionKind = RegionKind.LOCAL


class StaticLocal(NamedTuple):
    function: str
    name: str
    kind: RegionKind = RegionKind.STATIC_LOCAL


class Global(NamedTuple):
    name: str
    kind: RegionKind = RegionKind.GLOBAL


class HeapRegion(NamedTuple):
    id: int
    kind: RegionKind = RegionKind.HEAP


class ObjRegion(NamedTuple):
    patch_index: int
    obj_index: int
    kind: RegionKind = RegionKind.OBJ


class ModuleRegion(NamedTuple):
    name: Optional[str]
    kind: RegionKind = RegionKind.MODULE


class StrRegion(NamedTuple):
    text: Optional[str]         # None only for the name of a struct module klplint cannot name
    kind: RegionKind = RegionKind.STRING


class FnRegion(NamedTuple):
    name: str
    kind: RegionKind = RegionKind.FUNCTION


class SymRegion(NamedTuple):
    sym: int
    kind: RegionKind = RegionKind.SYMBOLIC


# The `owner` of a KsymRegion: looked up for the vmlinux object (its pre_patch, ...), whose data is
# set up before any livepatch loads.
VMLINUX = "vmlinux"


class KsymRegion(NamedTuple):
    """The data of the symbol `name`, reached through the address kallsyms_lookup_name() & co.
    resolved at run time: as if the code named an `extern` of it. `owner` is the module it was
    looked up in (the object whose callback looked it up, or a "mod:sym" name), VMLINUX, or None
    when klplint cannot tell (module_init: like an extern, any target's)."""

    name: str
    owner: Optional[str]
    kind: RegionKind = RegionKind.KSYM


class KlpStateRegion(NamedTuple):
    patch_var: str
    state_id: int
    kind: RegionKind = RegionKind.KLP_STATE


class PrevStateRegion(NamedTuple):
    state_id: int
    kind: RegionKind = RegionKind.PREV_STATE


Region = Union[Local, StaticLocal, Global, HeapRegion, ObjRegion, ModuleRegion, StrRegion, FnRegion,
               SymRegion, KsymRegion, KlpStateRegion, PrevStateRegion]

# Memory that a store, memset() or an escape can change (the others are constants or the core's).
WRITABLE = frozenset({RegionKind.GLOBAL, RegionKind.STATIC_LOCAL, RegionKind.LOCAL, RegionKind.HEAP,
                      RegionKind.SYMBOLIC, RegionKind.KSYM})
# Memory a pointer escaping to unknown code cannot make klplint lose track of.
CONSTANT = frozenset({RegionKind.FUNCTION, RegionKind.STRING, RegionKind.OBJ, RegionKind.MODULE})

# A path inside a region: field names, array indexes and the markers below.
PathElem = Union[str, int, tuple]
Path = Tuple[PathElem, ...]
HAVOC = "#h"        # (region, path + (HAVOC,)) in memory: everything under path reads as unknown
ZEROED = "#z"       # ... reads as zero (a local with an initializer list)
KREF = "#kref"      # the count of a kref, next to it
UP = ("up",)        # container_of() from the start of a region: the enclosing object, unnamed

# A memory cell: a region and a path in it (a plain tuple: the hottest dict key of the executor).
Key = Tuple[Region, Path]

# ------------------------------------------------------------------ values

class OriginKind(str, enum.Enum):
    """Where a tracked integer came from (what a NULL dereference of it reports)."""

    ALLOC = "alloc"             # NULL from a failed allocation
    ERRPTR = "errptr"           # an ERR_PTR() value
    OBJ_NAME = "objname"        # obj->name of vmlinux (NULL)
    OBJ_MOD = "objmod"          # obj->mod of a module not loaded (NULL)
    MODULE_STATE = "modstate"   # obj->mod->state
    NO_STATE = "nostate"        # klp_get_state() of a state the patch does not declare (NULL)


class Origin(NamedTuple):
    kind: OriginKind
    what: object = None                 # the call (ALLOC, ERRPTR), obj's label, the state id
    loc: Optional[ir.Location] = None   # the call (ALLOC, ERRPTR)


MODULE_STATE_ORIGIN = Origin(OriginKind.MODULE_STATE)


class Int(NamedTuple):
    """A known integer (NULL is Int(0)); `origin` says where it came from when that matters."""

    value: int
    origin: Optional[Origin] = None

    @property
    def is_errptr(self) -> bool:
        return self.origin is not None and self.origin.kind is OriginKind.ERRPTR


class Sym(NamedTuple):
    """An unknown value; the path condition may constrain it (State.pc). `addr_of`: the value is the
    run-time resolved address of a symbol (NULL when the lookup failed), whose memory a dereference
    reaches, as `&sym` would name it (kapi/symbols.py)."""

    id: int
    addr_of: Optional[KsymRegion] = None


class Ptr(NamedTuple):
    """An address: a region and a path inside it."""

    region: Region
    path: Path = ()


Value = Union[Int, Sym, Ptr]


class NullAddr(NamedTuple):
    """What `&p->f` designates when p is NULL or an error pointer: no cell, but no dereference either."""

    value: Int


# What an lvalue designates: a memory cell, NullAddr, or None for memory klplint cannot name.
Addr = Union[Key, NullAddr, None]

ZERO = Int(0)
ONE = Int(1)

MODULE_STATES = {"LIVE": 0, "COMING": 1, "GOING": 2, "UNFORMED": 3}
STATE_NAMES = {v: k for k, v in MODULE_STATES.items()}


def is_null(v: Value) -> bool:
    return isinstance(v, Int) and v.value == 0


def fn_value(name: str) -> Ptr:
    return Ptr(FnRegion(name))


def fn_name(v: Value) -> Optional[str]:
    if isinstance(v, Ptr) and isinstance(v.region, FnRegion):
        return v.region.name
    return None


def str_value(v: Value) -> Optional[str]:
    if isinstance(v, Ptr) and isinstance(v.region, StrRegion) and not v.path:
        return v.region.text
    return None


def heap_id(v: Value) -> Optional[int]:
    if isinstance(v, Ptr) and isinstance(v.region, HeapRegion):
        return v.region.id
    return None


# ------------------------------------------------------------------ heap objects and resources

class FailedStep(NamedTuple):
    """The hook or callback whose error return left an object or resource taken."""

    role: str
    ret_loc: Optional[ir.Location]
    ret_text: str
    function: Optional[str]


# What a shadow variable is attached to: the object's address, its unknown value, or an integer
# (its origin dropped).
ShadowObj = Union[Ptr, Sym, Int]


class Heap(NamedTuple):
    """A heap object (allocations, and handles such as kthreads and workqueues)."""

    kind: str                           # heap | shadow | kthread | workqueue | proc entry | file ...
    api: str                            # the call that made it
    site: ir.Location
    desc: str
    name: Optional[str]                 # the C text it was stored to
    status: str                         # live | released | lost
    escaped: bool
    zeroed: bool
    rel_loc: Optional[ir.Location]
    rel_what: Optional[Tuple[Optional[str], Optional[str]]]   # (role, function) that released it
    acq_role: Optional[str]
    acq_fn: Optional[str]
    acq_id: int
    path: Optional[str] = None          # a /proc entry's name, a file's path
    shadow_of: Optional[ShadowObj] = None   # a shadow variable: the object it is attached to...
    shadow_id: Optional[int] = None         # ... and its id
    failed: Optional[FailedStep] = None


class FreedSym(NamedTuple):
    """A path-state flag: the unknown pointer `sym` (a value klplint did not see allocated: a list
    entry, a field of an unknown object) was freed; heap record `hid` stands for what it pointed to,
    so a later dereference of the same value is a use after free and a second free a double free."""
    sym: int
    hid: int


def freed_record(flags, sym: int) -> Optional[int]:
    """The heap record of the freed unknown pointer `sym` on a path with `flags`, if it was freed."""
    if not flags:
        return None
    for f in flags:
        if type(f) is FreedSym and f.sym == sym:
            return f.hid
    return None


class ResKey(NamedTuple):
    """A keyed resource: its kind and the object (address or unknown pointer) it is keyed by."""

    kind: str
    target: Union[Ptr, Sym]


class Res(NamedTuple):
    """A keyed resource: a registration, an armed timer, a module reference..."""

    kind: str
    key: ResKey
    status: str                         # held | released | escaped
    holds: int                          # times taken (counted resources: module references)
    site: ir.Location
    desc: str
    acq_role: Optional[str]
    acq_fn: Optional[str]
    acq_id: int
    rel_loc: Optional[ir.Location] = None
    rel_what: Optional[Tuple[Optional[str], Optional[str]]] = None
    failed: Optional[FailedStep] = None
    queue: Optional[Value] = None       # work queued with queue_work(): the workqueue it is on


def _zero_tail(path: Path) -> Path:
    while path and path[-1] == 0:
        path = path[:-1]
    return path


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


_AGG = _Marker("AGG")
_UNKNOWN = _Marker("UNKNOWN")
