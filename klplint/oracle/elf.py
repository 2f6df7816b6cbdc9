"""Read what the oracle needs from a built .ko: its function symbols and its .modinfo tags."""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Dict, List, Tuple


@dataclass(frozen=True)
class KoInfo:
    functions: Tuple[str, ...]          # STT_FUNC symbols defined in the module (local or global)
    modinfo: Tuple[Tuple[str, str], ...]
    addresses: Tuple[Tuple[str, int, int], ...] = ()   # (function, section index, value)

    def aliases(self, function: str) -> List[str]:
        """Other function symbols at the same address (a probe on one fires for all)."""
        where = {(sec, val) for name, sec, val in self.addresses if name == function}
        return [name for name, sec, val in self.addresses if (sec, val) in where and name != function]

    def tag(self, name: str) -> List[str]:
        return [v for k, v in self.modinfo if k == name]

    @property
    def name(self) -> str:
        names = self.tag("name")
        return names[0] if names else ""

    @property
    def params(self) -> Dict[str, str]:
        """parameter name -> type, from `parmtype=NAME:TYPE`."""
        out = {}
        for v in self.tag("parmtype"):
            name, _, typ = v.partition(":")
            out[name] = typ
        return out

    @property
    def is_livepatch(self) -> bool:
        return "Y" in self.tag("livepatch")


def read_ko(path: str) -> KoInfo:
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = []
    for i in range(shnum):
        name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", data, shoff + i * shentsize)
        sections.append((name, typ, off, size, link, entsize))
    shstr_off = sections[shstrndx][2]

    def secname(idx: int) -> str:
        start = shstr_off + sections[idx][0]
        return data[start:data.index(b"\0", start)].decode()

    functions: List[str] = []
    addresses: List[Tuple[str, int, int]] = []
    modinfo: List[Tuple[str, str]] = []
    for i, (_, typ, off, size, link, entsize) in enumerate(sections):
        if typ == 2:  # SHT_SYMTAB
            stroff = sections[link][2]
            for j in range(size // (entsize or 24)):
                st_name, st_info, st_other, st_shndx, st_value, st_size = struct.unpack_from(
                    "<IBBHQQ", data, off + j * 24)
                if st_info & 0xF == 2 and st_shndx != 0:  # STT_FUNC, defined
                    start = stroff + st_name
                    fname = data[start:data.index(b"\0", start)].decode()
                    functions.append(fname)
                    addresses.append((fname, st_shndx, st_value))
        elif secname(i) == ".modinfo":
            for item in data[off:off + size].split(b"\0"):
                if b"=" in item:
                    k, _, v = item.decode("utf-8", "replace").partition("=")
                    modinfo.append((k, v))
    return KoInfo(functions=tuple(functions), modinfo=tuple(modinfo), addresses=tuple(addresses))
