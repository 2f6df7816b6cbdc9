"""A kernel source tree, the build tree that holds its .config and generated headers, and the clang
flags kbuild uses to compile one of its files."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from klplint.frontend.flags import module_name_defines
from klplint.frontend.flags import safe_flags
from klplint.kpatch import makefile

KPATCH_INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "include")


class TreeError(Exception):
    """A kernel source or build tree klplint cannot use; the message is one line saying what to pass."""


@dataclass
class KernelTree:
    src: str                          # the kernel source tree (the diff's paths are relative to it)
    build: str                        # where .config and include/generated are (the tree itself when built)
    config: Dict[str, str] = field(default_factory=dict)   # CONFIG_FOO -> 'y' | 'm' | value
    arch: str = "x86"

    def value(self, option: str) -> Optional[str]:
        return self.config.get(option)

    def read(self, rel: str) -> Optional[str]:
        """The text of a file of the tree (None: the file does not exist)."""
        p = os.path.join(self.src, rel)
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def flags(self, rel: str, module: Optional[str]) -> List[str]:
        """kbuild's flags for `rel` (the preprocessor part of its c_flags, which is all a parse needs):
        LINUXINCLUDE, the forced includes, __KERNEL__, -DMODULE only for a module's file, and
        KBUILD_MODNAME (the module's name, or the file's base name for built-in code)."""
        s, b, a = self.src, self.build, self.arch
        out = ["-nostdinc",
               f"-I{s}/arch/{a}/include", f"-I{b}/arch/{a}/include/generated",
               f"-I{s}/include", f"-I{b}/include",
               f"-I{s}/arch/{a}/include/uapi", f"-I{b}/arch/{a}/include/generated/uapi",
               f"-I{s}/include/uapi", f"-I{b}/include/generated/uapi",
               "-include", f"{s}/include/linux/compiler-version.h",
               "-include", f"{s}/include/linux/kconfig.h",
               "-include", f"{s}/include/linux/compiler_types.h",
               "-D__KERNEL__", "-std=gnu11", "-m64", "-fno-strict-aliasing", "-fno-common", "-fshort-wchar",
               "-DCC_USING_FENTRY",
               # the file's own folder (kbuild's -I$(srctree)/$(src)), then kpatch-macros.h
               f"-I{os.path.join(s, os.path.dirname(rel))}", f"-idirafter{KPATCH_INCLUDE}",
               "-Wno-everything"]
        if module:
            out.append("-DMODULE")
        name = module or os.path.splitext(os.path.basename(rel))[0]
        return out + self.makefile_flags(rel) + module_name_defines(name)

    def makefile_flags(self, rel: str) -> List[str]:
        """The -I/-D/-U of the folder's Makefile for this file: ccflags-y (and ccflags-$(CONFIG_X)
        when enabled) and CFLAGS_<file>.o, with $(srctree), $(src) and $(obj) resolved; anything
        else (code generation flags, unresolved make variables) is left out."""
        folder = os.path.dirname(rel)
        text = None
        for name in ("Kbuild", "Makefile"):
            text = self.read(os.path.join(folder, name))
            if text is not None:
                break
        if text is None:
            return []
        words: List[str] = []
        for a in makefile.assignments(text):
            if a.target in ("ccflags", "subdir-ccflags") and makefile.enabled(a.how, self.config):
                words += a.words
        words += makefile.file_flags(text).get(os.path.splitext(os.path.basename(rel))[0] + ".o", [])
        here = os.path.join(self.src, folder)
        resolved, depth = [], 0
        for w in words:
            w = (w.replace("$(srctree)/$(src)", here).replace("$(src)", here).replace("$(obj)", here)
                 .replace("$(srctree)", self.src))
            opened = depth > 0 or "$(" in w
            depth = max(0, depth + w.count("(") - w.count(")"))
            if not opened:          # not inside a make function call or variable we do not evaluate
                resolved.append(w)
        return safe_flags(resolved, here)


def open_tree(src: Optional[str], build: Optional[str]) -> KernelTree:
    """The tree at `src`, with its configuration from `build` (a linux-headers folder) or from `src`
    itself when it has been configured."""
    if not src:
        raise TreeError("a kernel source tree is needed: pass --kernel-src DIR (or set KSRC)")
    if not os.path.isfile(os.path.join(src, "Makefile")) or not os.path.isdir(os.path.join(src, "include", "linux")):
        raise TreeError(f"{src}: not a kernel source tree (no Makefile and include/linux); "
                        "pass the top of a kernel checkout or of an extracted linux-source package")
    build = build or src
    cfg = os.path.join(build, ".config")
    if not os.path.isfile(cfg):
        raise TreeError(f"{build}: no .config; pass --kernel-dir /usr/src/linux-headers-<version> "
                        "(or configure and build the tree)")
    if not os.path.isdir(os.path.join(build, "include", "generated")):
        raise TreeError(f"{build}: no include/generated (the tree is configured but not prepared); "
                        "run `make prepare` there or pass --kernel-dir /usr/src/linux-headers-<version>")
    config = read_config(cfg)
    arch = "x86" if config.get("CONFIG_X86") == "y" else None
    if arch is None:
        raise TreeError(f"{cfg}: only x86 kernels are supported (CONFIG_X86 is not set)")
    return KernelTree(os.path.realpath(src), os.path.realpath(build), config, arch)


_LINE = re.compile(r"^(CONFIG_[A-Za-z0-9_]+)=(.*)$")


def read_config(path: str) -> Dict[str, str]:
    out: Dict[str, str] = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = _LINE.match(line.strip())
            if m:
                out[m.group(1)] = m.group(2).strip('"')
    return out
