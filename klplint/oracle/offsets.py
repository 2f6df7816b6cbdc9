"""Compute struct klp_object / struct module field offsets for the target kernel by compiling a helper against its headers."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from typing import Dict

from klplint.oracle.kbuild import COMPAT_HEADER, compile_probe
from klplint.oracle.ksource import cache_dir
from klplint.oracle.parts import OracleError, kbuild_release

# kbuild's asm-offsets trick: the compiler writes each constant into the assembly.
_HELPER = r"""
#include <linux/module.h>
#include <linux/stddef.h>
#include "%(compat)s"

#define KLP_ORACLE_DEFINE(sym, val) \
	asm volatile("\n.ascii \"->KLPORACLE " #sym " %%0\"" : : "i" (val))

void klp_oracle_offsets(void);
void klp_oracle_offsets(void)
{
	KLP_ORACLE_DEFINE(compat_object_name, offsetof(struct klp_compat_object, name));
	KLP_ORACLE_DEFINE(compat_object_mod, offsetof(struct klp_compat_object, mod));
#undef klp_object
	KLP_ORACLE_DEFINE(klp_object_name, offsetof(struct klp_object, name));
	KLP_ORACLE_DEFINE(klp_object_mod, offsetof(struct klp_object, mod));
	KLP_ORACLE_DEFINE(module_state, offsetof(struct module, state));
	KLP_ORACLE_DEFINE(module_name, offsetof(struct module, name));
	KLP_ORACLE_DEFINE(module_state_size, sizeof(((struct module *)0)->state));
	KLP_ORACLE_DEFINE(MODULE_STATE_LIVE, MODULE_STATE_LIVE);
	KLP_ORACLE_DEFINE(MODULE_STATE_COMING, MODULE_STATE_COMING);
	KLP_ORACLE_DEFINE(MODULE_STATE_GOING, MODULE_STATE_GOING);
	KLP_ORACLE_DEFINE(MODULE_STATE_UNFORMED, MODULE_STATE_UNFORMED);
}
MODULE_LICENSE("GPL");
"""

_DEF_RE = re.compile(r'->KLPORACLE (\w+) \$?(-?\d+)')


@dataclass(frozen=True)
class Offsets:
    """Field offsets the kprobe fetch arguments use, and the module state values."""
    klp_object_name: int
    klp_object_mod: int
    compat_object_name: int
    compat_object_mod: int
    module_state: int
    module_name: int
    module_state_size: int
    MODULE_STATE_LIVE: int
    MODULE_STATE_COMING: int
    MODULE_STATE_GOING: int
    MODULE_STATE_UNFORMED: int

    def state_name(self, value: int) -> str:
        for name in ("LIVE", "COMING", "GOING", "UNFORMED"):
            if getattr(self, "MODULE_STATE_" + name) == value:
                return name
        return f"?{value}"


def parse_helper_asm(asm: str) -> Dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in _DEF_RE.finditer(asm)}


def _cache_key(kbuild_dir: str) -> str:
    h = hashlib.sha256()
    h.update(os.path.realpath(kbuild_dir).encode())
    h.update((kbuild_release(kbuild_dir) or "").encode())
    for rel in ("include/generated/autoconf.h", "Module.symvers"):
        try:
            st = os.stat(os.path.join(kbuild_dir, rel))
            h.update(f"{st.st_size}:{int(st.st_mtime)}".encode())
        except OSError:
            pass
    with open(COMPAT_HEADER, "rb") as f:
        h.update(f.read())
    h.update(_HELPER.encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def struct_offsets(kbuild_dir: str, make: str = "make") -> Offsets:
    """Offsets for the kernel the kbuild tree belongs to (compiled once, then cached on disk)."""
    path = os.path.join(cache_dir(), f"offsets-{_cache_key(kbuild_dir)}.json")
    try:
        with open(path) as f:
            return Offsets(**json.load(f))
    except (OSError, ValueError, TypeError):
        pass
    asm = compile_probe(_HELPER % {"compat": COMPAT_HEADER}, kbuild_dir, make=make)
    values = parse_helper_asm(asm)
    try:
        offs = Offsets(**{k: values[k] for k in Offsets.__dataclass_fields__})
    except KeyError as e:
        raise OracleError(f"the offsets helper did not report {e.args[0]}")
    tmp = f"{path}.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(asdict(offs), f)
    os.replace(tmp, path)
    return offs
