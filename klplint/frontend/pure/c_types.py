"""C types for the pycparser front end: an internal type model (records, enums, qualifiers), x86_64 sizes and struct layout, and the canonical ir.Type clang would report."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from klplint import ir

# x86_64 (LP64) integer ranks: spelling -> (size, signed)
INT_INFO: Dict[str, Tuple[int, bool]] = {
    "char": (1, True), "signed char": (1, True), "unsigned char": (1, False),
    "short": (2, True), "unsigned short": (2, False), "int": (4, True), "unsigned int": (4, False),
    "long": (8, True), "unsigned long": (8, False), "long long": (8, True),
    "unsigned long long": (8, False), "__int128": (16, True), "unsigned __int128": (16, False),
}
RANK = {"char": 1, "signed char": 1, "unsigned char": 1, "short": 2, "unsigned short": 2, "int": 3,
        "unsigned int": 3, "long": 4, "unsigned long": 4, "long long": 5, "unsigned long long": 5,
        "__int128": 6, "unsigned __int128": 6}
FLOAT_INFO = {"float": (4, 4), "double": (8, 8), "long double": (16, 16)}


class TypeError_(Exception):
    """A type the model cannot form (reported as a parse error, as clang would)."""


@dataclass(eq=False)
class Record:
    kind: str                       # 'struct' | 'union'
    name: str                       # tag, the typedef name it was declared with, or ''
    fields: List["Field"] = field(default_factory=list)
    complete: bool = False
    packed: bool = False
    align: Optional[int] = None     # __attribute__((aligned(N))) on the type
    _layout: Optional[Tuple[int, int, Dict[int, int]]] = None    # size, align, {id(field): offset}

    def find(self, name: str) -> Optional[Tuple["CType", int]]:
        """(type, byte offset) of a member, looking into anonymous members as C11 does."""
        size, align, offs = layout(self)
        for f in self.fields:
            if f.name == name:
                return f.type, offs.get(id(f), 0)
            if not f.name and f.type.kind in ("struct", "union") and f.type.rec is not None:
                sub = f.type.rec.find(name)
                if sub is not None:
                    return sub[0], offs.get(id(f), 0) + sub[1]
        return None


@dataclass(eq=False)
class Field:
    name: str
    type: "CType"
    bits: Optional[int] = None
    packed: bool = False
    align: Optional[int] = None


@dataclass(eq=False)
class EnumInfo:
    name: str
    values: Dict[str, int] = field(default_factory=dict)
    complete: bool = False
    packed: bool = False


@dataclass(frozen=True, eq=False)
class CType:
    kind: str                       # as ir.Type.kind
    name: str = ""
    target: Optional["CType"] = None
    params: Tuple["CType", ...] = ()
    variadic: bool = False
    size: Optional[int] = None
    const: bool = False
    rec: Optional[Record] = None
    enum: Optional[EnumInfo] = None
    proto: bool = True              # a function type with a prototype

    def with_const(self, const: bool = True) -> "CType":
        if self.kind == "array":
            # C puts an array's qualifiers on its elements
            return self.replace(target=self.target.with_const(const) if const else self.target)
        if self.const == const:
            return self
        return self.replace(const=const)

    def unqual(self) -> "CType":
        return self.with_const(False) if self.kind != "array" else self

    def replace(self, **kw) -> "CType":
        d = dict(kind=self.kind, name=self.name, target=self.target, params=self.params,
                 variadic=self.variadic, size=self.size, const=self.const, rec=self.rec,
                 enum=self.enum, proto=self.proto)
        d.update(kw)
        return CType(**d)

    # -------------------------------------------------- classification
    @property
    def is_int(self) -> bool:
        return self.kind in ("int", "bool", "enum")

    @property
    def is_arith(self) -> bool:
        return self.kind in ("int", "bool", "enum", "float")

    @property
    def is_ptr(self) -> bool:
        return self.kind == "ptr"

    @property
    def is_scalar(self) -> bool:
        return self.is_arith or self.kind == "ptr"

    @property
    def is_aggregate(self) -> bool:
        return self.kind in ("struct", "union", "array")

    def decay(self) -> "CType":
        if self.kind == "array":
            return ptr(self.target)
        if self.kind == "func":
            return ptr(self)
        return self

    def int_name(self) -> str:
        """The integer spelling of an integer-like type (enums by their underlying type)."""
        if self.kind == "int":
            return self.name
        if self.kind == "bool":
            return "_Bool"
        if self.kind == "enum":
            return enum_underlying(self.enum)
        return "long"


VOID = CType("void", "void")
INT = CType("int", "int")
UINT = CType("int", "unsigned int")
LONG = CType("int", "long")
ULONG = CType("int", "unsigned long")
CHAR = CType("int", "char")
BOOL = CType("bool", "_Bool")
DOUBLE = CType("float", "double")
OTHER = CType("other", "?")


def ptr(t: CType, const: bool = False) -> CType:
    return CType("ptr", target=t, const=const)


def int_type(name: str, const: bool = False) -> CType:
    if name == "_Bool":
        return CType("bool", "_Bool", const=const)
    return CType("int", name, const=const)


def enum_underlying(e: Optional[EnumInfo]) -> str:
    if e is None or not e.values:
        return "unsigned int" if e is not None and e.complete else "unsigned int"
    lo, hi = min(e.values.values()), max(e.values.values())
    if e.packed:
        for name in ("unsigned char", "signed char", "unsigned short", "short", "unsigned int", "int"):
            size, signed = INT_INFO[name]
            bits = size * 8
            mn, mx = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
            if lo >= mn and hi <= mx and (signed or lo >= 0):
                return name
    if lo >= 0 and hi <= 0xFFFFFFFF:
        return "unsigned int" if hi > 0x7FFFFFFF else ("int" if lo < 0 else "unsigned int")
    if lo >= -(1 << 31) and hi <= (1 << 31) - 1:
        return "int"
    if lo >= 0:
        return "unsigned long"
    return "long"


def base_type(names: List[str]) -> CType:
    """The type a list of type-specifier keywords names (`unsigned long int` -> unsigned long)."""
    s = list(names)
    cnt = {k: s.count(k) for k in set(s)}
    unsigned = "unsigned" in cnt
    if "void" in cnt:
        return VOID
    if "_Bool" in cnt:
        return BOOL
    if "_Complex" in cnt:
        base = "long double" if "long" in cnt else ("float" if "float" in cnt else "double")
        return CType("other", "_Complex " + base)
    if "float" in cnt:
        return CType("float", "float")
    if "double" in cnt:
        return CType("float", "long double" if "long" in cnt else "double")
    if "char" in cnt:
        return int_type("unsigned char" if unsigned else ("signed char" if "signed" in cnt else "char"))
    if "__int128" in cnt:
        return int_type("unsigned __int128" if unsigned else "__int128")
    if "short" in cnt:
        return int_type("unsigned short" if unsigned else "short")
    longs = cnt.get("long", 0)
    if longs >= 2:
        return int_type("unsigned long long" if unsigned else "long long")
    if longs == 1:
        return int_type("unsigned long" if unsigned else "long")
    return int_type("unsigned int" if unsigned else "int")


# ---------------------------------------------------------------- sizes and layout

def sizeof(t: CType) -> Optional[int]:
    k = t.kind
    if k == "int":
        return INT_INFO.get(t.name, (8, True))[0]
    if k == "bool":
        return 1
    if k == "float":
        return FLOAT_INFO.get(t.name, (8, 8))[0]
    if k == "ptr":
        return 8
    if k == "enum":
        return INT_INFO[enum_underlying(t.enum)][0]
    if k == "void" or k == "func":
        return 1
    if k == "array":
        if t.size is None:
            return None
        es = sizeof(t.target)
        return None if es is None else es * t.size
    if k in ("struct", "union"):
        if t.rec is None or not t.rec.complete:
            return None
        return layout(t.rec)[0]
    if k == "other" and t.name.startswith("_Complex"):
        base = FLOAT_INFO.get(t.name[len("_Complex "):], (8, 8))[0]
        return 2 * base
    return None


def alignof(t: CType) -> int:
    k = t.kind
    if k == "int":
        return INT_INFO.get(t.name, (8, True))[0]
    if k == "bool":
        return 1
    if k == "float":
        return FLOAT_INFO.get(t.name, (8, 8))[1]
    if k == "ptr":
        return 8
    if k == "enum":
        return INT_INFO[enum_underlying(t.enum)][0]
    if k == "array":
        return alignof(t.target)
    if k in ("struct", "union"):
        if t.rec is None or not t.rec.complete:
            return 1
        return layout(t.rec)[1]
    if k == "other" and t.name.startswith("_Complex"):
        return FLOAT_INFO.get(t.name[len("_Complex "):], (8, 8))[1]
    return 1


def _up(n: int, a: int) -> int:
    return (n + a - 1) // a * a if a > 1 else n


def layout(rec: Record) -> Tuple[int, int, Dict[int, int]]:
    """(size, alignment, {id(field): byte offset}) of a struct or union, SysV x86_64 rules."""
    if rec._layout is not None:
        return rec._layout
    offs: Dict[int, int] = {}
    align = 1
    bit = 0
    size_bits = 0
    for f in rec.fields:
        ft = f.type
        fsize = sizeof(ft)
        natural = alignof(ft)
        packed = rec.packed or f.packed
        falign = 1 if packed else natural
        if f.align:
            falign = max(falign, f.align)
        if rec.kind == "union":
            offs[id(f)] = 0
            if f.bits is not None:
                size_bits = max(size_bits, f.bits)
                if f.name and not packed:
                    align = max(align, falign)
            else:
                size_bits = max(size_bits, (fsize or 0) * 8)
                align = max(align, falign)
            continue
        if f.bits is not None:
            w = f.bits
            unit = (fsize or 4) * 8
            if w == 0:
                bit = _up(bit, natural * 8)
            elif not packed and (bit % unit) + w > unit:
                bit = _up(bit, natural * 8)
            if f.align:
                bit = _up(bit, f.align * 8)
            offs[id(f)] = bit // 8
            bit += w
            if f.name and not packed:
                align = max(align, falign)
            elif f.align:
                align = max(align, f.align)
            continue
        bit = _up(bit, falign * 8)
        offs[id(f)] = bit // 8
        bit += (fsize or 0) * 8
        align = max(align, falign)
    if rec.kind == "union":
        bit = size_bits
    if rec.align:
        align = max(align, rec.align)
    size = _up((bit + 7) // 8, align)
    rec._layout = (size, align, offs)
    return rec._layout


# ---------------------------------------------------------------- the IR's canonical type

class IRTypes:
    """Converts CTypes into interned ir.Type values (equal types are the same object, as the
    libclang front end's cache makes them), remembering named records for TranslationUnit.records."""

    def __init__(self):
        self._intern: Dict[ir.Type, ir.Type] = {}
        self.records: Dict[str, Record] = {}

    def intern(self, t: ir.Type) -> ir.Type:
        got = self._intern.get(t)
        if got is None:
            got = self._intern[t] = t
        return got

    def __call__(self, t: CType) -> ir.Type:
        return self.intern(self._conv(t))

    def _conv(self, t: CType) -> ir.Type:
        k = t.kind
        c = t.const
        if k == "void":
            return ir.Type("void", "void", const=c)
        if k == "bool":
            return ir.Type("bool", "_Bool", const=c)
        if k == "int":
            return ir.Type("int", t.name, const=c)
        if k == "float":
            return ir.Type("float", t.name, const=c)
        if k == "ptr":
            return ir.Type("ptr", target=self(t.target), const=c)
        if k == "array":
            return ir.Type("array", target=self(t.target), size=t.size)
        if k in ("struct", "union"):
            name = t.rec.name if t.rec is not None else t.name
            if name and t.rec is not None:
                self.records.setdefault(name, t.rec)
            return ir.Type(k, name, const=c)
        if k == "enum":
            return ir.Type("enum", t.enum.name if t.enum is not None else t.name, const=c)
        if k == "func":
            if not t.proto:
                return ir.Type("func", target=self(t.target))
            return ir.Type("func", target=self(t.target), params=tuple(self(p) for p in t.params),
                           variadic=t.variadic)
        return ir.Type("other", t.name, const=c)
