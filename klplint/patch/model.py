"""The patch model extract.py builds from the IR: patches, objects, funcs, hooks, callbacks, states."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Generic, Optional, Tuple, TypeVar

from klplint import ir

T = TypeVar("T")

HOOK_ROLES = ("patch_hook", "unpatch_hook")
CALLBACK_ROLES = ("pre_patch", "post_patch", "pre_unpatch", "post_unpatch")
PATCH_SIDE = ("patch_hook", "pre_patch", "post_patch")
UNPATCH_SIDE = ("unpatch_hook", "pre_unpatch", "post_unpatch")


@dataclass(frozen=True)
class FuncRef:
    """A function pointer written in a table: `foo`, `&foo`, or something we cannot resolve
    (name None; expr keeps what was written)."""
    name: Optional[str]
    loc: ir.Location
    expr: Optional[ir.Expr] = None


@dataclass(frozen=True)
class Table(Generic[T]):
    """An array the core walks. entries: every element written, in order (terminator included).
    walk_end: index of the entry where the core's walk stops, or None when no entry stops it
    (the core walks past the end of the array)."""
    var: Optional[str]
    entries: Tuple[T, ...]
    walk_end: Optional[int]
    loc: ir.Location
    declared_size: Optional[int] = None   # `struct klp_func funcs[3] = ...`
    end: ir.Location = ir.NOWHERE         # the initializer's closing brace

    @property
    def walked(self) -> Tuple[T, ...]:
        return self.entries if self.walk_end is None else self.entries[: self.walk_end]

    @property
    def terminated(self) -> bool:
        return self.walk_end is not None


@dataclass(frozen=True)
class KlpFunc:
    old_name: Optional[str]
    new_func: Optional[FuncRef]
    old_sympos: Optional[int]
    loc: ir.Location
    is_zero: bool = False          # `{ }` / `{ 0 }`: every field zero


@dataclass(frozen=True)
class Hook:
    func: Optional[FuncRef]        # None: `.hook` missing or NULL
    loc: ir.Location
    is_zero: bool = False


@dataclass(frozen=True)
class Callbacks:
    pre_patch: Optional[FuncRef] = None
    post_patch: Optional[FuncRef] = None
    pre_unpatch: Optional[FuncRef] = None
    post_unpatch: Optional[FuncRef] = None
    loc: ir.Location = ir.NOWHERE
    duplicates: Tuple[Tuple[str, ir.Location], ...] = ()   # a role given more than once

    def get(self, role: str) -> Optional[FuncRef]:
        return getattr(self, role)

    def items(self):
        for role in CALLBACK_ROLES:
            ref = getattr(self, role)
            if ref is not None:
                yield role, ref


@dataclass(frozen=True)
class KlpObject:
    name: Optional[str]                           # None: vmlinux (NULL or missing .name)
    funcs: Optional[Table[KlpFunc]]               # None: .funcs NULL or missing
    patch_hooks: Optional[Table[Hook]]
    unpatch_hooks: Optional[Table[Hook]]
    callbacks: Optional[Callbacks]
    loc: ir.Location
    name_loc: Optional[ir.Location] = None
    is_zero: bool = False
    funcs_written_null: bool = False              # `.funcs = NULL` rather than absent
    funcs_unresolved: bool = False                # `.funcs` points somewhere we cannot follow

    @property
    def is_vmlinux(self) -> bool:
        return self.name is None

    @property
    def label(self) -> str:
        return self.name or "vmlinux"

    @property
    def uses_hooks(self) -> bool:
        return self.patch_hooks is not None or self.unpatch_hooks is not None

    def hooks(self, role: str) -> Tuple[Hook, ...]:
        table = self.patch_hooks if role == "patch_hook" else self.unpatch_hooks
        return table.walked if table is not None else ()

    def role_functions(self):
        """(role, FuncRef) for every hook and callback the core may call on this object."""
        for role in HOOK_ROLES:
            for h in self.hooks(role):
                if h.func is not None:
                    yield role, h.func
        if self.callbacks is not None:
            yield from self.callbacks.items()


@dataclass(frozen=True)
class KlpState:
    id: Optional[int]
    version: Optional[int]
    loc: ir.Location
    is_zero: bool = False


@dataclass(frozen=True)
class Patch:
    var: str                                      # the klp_patch variable's name
    loc: ir.Location
    mod: Optional[str]                            # spelling of .mod ('THIS_MODULE'), None if missing
    mod_loc: Optional[ir.Location]
    objs: Optional[Table[KlpObject]]
    replace: bool = False
    states: Optional[Table[KlpState]] = None
    module_name: str = ""                         # the livepatch module's name (file base name)
    decl: Optional[ir.VarDecl] = None
    objs_unresolved: bool = False                 # .objs is set but its table could not be followed

    @property
    def objects(self) -> Tuple[KlpObject, ...]:
        """The objects as the core walks them."""
        return self.objs.walked if self.objs is not None else ()

    @property
    def api(self) -> str:
        """'hooks' or 'callbacks' (the default, upstream's generation)."""
        return "hooks" if any(o.uses_hooks for o in self.objects) else "callbacks"

    def state_ids(self):
        return {s.id for s in (self.states.walked if self.states else ()) if s.id is not None}


@dataclass(frozen=True)
class ShadowUse:
    """A call of the shadow-variable API written in the module."""
    call: str                                     # klp_shadow_alloc, klp_shadow_get, ...
    function: str                                 # the function it is written in
    obj: str                                      # C text of the obj argument ('' for free_all)
    id: Optional[int]                             # the id when it is a constant
    id_text: str
    loc: ir.Location
    ctor: Optional[str] = None
    dtor: Optional[str] = None


@dataclass(frozen=True)
class ModInfo:
    tag: str
    value: str
    loc: ir.Location


@dataclass(frozen=True)
class PatchModule:
    """Everything klplint knows about one livepatch module source file."""
    path: str
    unit: ir.TranslationUnit
    patches: Tuple[Patch, ...]
    modinfo: Tuple[ModInfo, ...]
    init_func: Optional[str]                      # module_init(fn)
    exit_func: Optional[str]                      # module_exit(fn)
    module_name: str
    functions: Dict[str, ir.FunctionDecl] = field(default_factory=dict)
    variables: Dict[str, ir.VarDecl] = field(default_factory=dict)
    notes: Tuple[ir.Note, ...] = ()               # extraction problems (KLP213)
    locals: Dict[str, ir.VarDecl] = field(default_factory=dict)   # klp tables declared in functions
    shadow_uses: Tuple[ShadowUse, ...] = ()

    def modinfo_values(self, tag: str):
        return [m for m in self.modinfo if m.tag == tag]

    @property
    def is_livepatch(self) -> bool:
        return bool(self.patches)
