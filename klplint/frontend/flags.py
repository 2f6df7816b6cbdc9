"""Compiler flags for the three header modes: bundled model headers, a kbuild tree, a compilation database."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import tempfile
from typing import Iterable, List, Optional, Sequence

BUNDLED_INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "include")

# As kbuild does, linux/kconfig.h (the configuration, IS_ENABLED) is force-included first.
BUNDLED_FLAGS = ("-nostdinc", "-isystem", BUNDLED_INCLUDE, "-D__KERNEL__", "-DMODULE", "-std=gnu11",
                 "-include", os.path.join(BUNDLED_INCLUDE, "linux", "kconfig.h"))


class FlagsError(Exception):
    """A header mode that cannot be set up (no such kernel tree, unreadable compile_commands.json)."""


# ------------------------------------------------------------------ safe filter

# Flags that take their value as the next argument, and that we keep.
_KEEP_WITH_ARG = {"-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-D", "-U",
                  "-target", "--target"}
# Flags that take the next argument and that we drop along with it.
_DROP_WITH_ARG = {"-o", "-MF", "-MT", "-MQ", "-Xclang", "-Xlinker", "-Xassembler", "-Xpreprocessor",
                  "-load", "-plugin", "-fplugin", "-x", "-arch", "-specs", "-B", "-Wl", "-L", "-l",
                  "-mllvm", "-include-pch", "-aux-info", "-dumpdir", "-dumpbase"}
_KEEP_EXACT = {"-nostdinc", "-m64", "-m32", "-fshort-wchar", "-funsigned-char", "-fsigned-char",
               "-fno-strict-aliasing", "-fno-common", "-ffreestanding", "-fms-extensions"}
_KEEP_PREFIX = ("-I", "-D", "-U", "-std=", "--target=", "-isystem", "-iquote", "-idirafter")


def safe_flags(args: Sequence[str], directory: Optional[str] = None) -> List[str]:
    """Keep only flags that change the meaning of the code; never anything that loads or runs code
    (-Xclang, -fplugin, -load, -mllvm, -specs, ...) or writes files. Relative include paths are
    resolved against `directory` (the compile command's working directory)."""
    out: List[str] = []
    i = 0
    args = list(args)

    def path(p: str) -> str:
        if directory and not os.path.isabs(p):
            return os.path.normpath(os.path.join(directory, p))
        return p

    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a in _KEEP_WITH_ARG and nxt is not None:
            value = path(nxt) if a in ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros") else nxt
            out += [a, value]
            i += 2
            continue
        if a in _DROP_WITH_ARG:
            i += 2
            continue
        if a in _KEEP_EXACT:
            out.append(a)
        elif a.startswith(("-Xclang", "-fplugin", "-load", "-mllvm", "-Wl,", "-specs", "-B")):
            pass
        elif a.startswith(("-I", "-isystem", "-iquote", "-idirafter")) and len(a) > 2:
            for p in ("-isystem", "-iquote", "-idirafter", "-I"):
                if a.startswith(p):
                    out.append(p + path(a[len(p):]))
                    break
        elif a.startswith(_KEEP_PREFIX):
            out.append(a)
        i += 1
    return out


# ------------------------------------------------------------------ kbuild tree

def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "klplint")


def kbuild_flags(kernel_dir: str) -> List[str]:
    """The flags kbuild passes when it compiles an out-of-tree module against kernel_dir, read off a
    real `make V=1` of a one-line module (once per tree; cached), filtered to what clang accepts."""
    kdir = os.path.realpath(kernel_dir)
    if not os.path.isfile(os.path.join(kdir, "Makefile")):
        raise FlagsError(f"{kernel_dir}: not a kernel build tree (no Makefile); "
                         "install linux-headers-amd64 and pass /usr/src/linux-headers-<version>-amd64")
    stamp = []
    for name in ("Makefile", ".config", "include/generated/autoconf.h"):
        p = os.path.join(kdir, name)
        stamp.append(f"{name}:{os.path.getmtime(p) if os.path.exists(p) else 0}")
    key = hashlib.sha256((kdir + "|" + "|".join(stamp)).encode()).hexdigest()[:16]
    cache = os.path.join(_cache_dir(), "kbuild", f"{key}.json")
    try:
        with open(cache) as f:
            return json.load(f)
    except (OSError, ValueError):
        pass
    flags = _probe_kbuild(kdir)
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache + ".tmp", "w") as f:
            json.dump(flags, f)
        os.replace(cache + ".tmp", cache)
    except OSError:
        pass
    return flags


def _probe_kbuild(kdir: str) -> List[str]:
    with tempfile.TemporaryDirectory(prefix="klplint-kbuild-") as tmp:
        with open(os.path.join(tmp, "klplint_probe.c"), "w") as f:
            f.write("#include <linux/module.h>\nMODULE_LICENSE(\"GPL\");\n")
        with open(os.path.join(tmp, "Makefile"), "w") as f:
            f.write("obj-m += klplint_probe.o\n")
        try:
            proc = subprocess.run(["make", "-C", kdir, f"M={tmp}", "V=1", "klplint_probe.o"],
                                  capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise FlagsError(f"{kdir}: cannot run kbuild to learn its flags: {e}")
        for line in proc.stdout.splitlines():
            if "klplint_probe.c" in line and " -c " in line and "-D__KERNEL__" in line:
                cmd = line.split(";")[0].strip()
                return kbuild_line_to_clang(shlex.split(cmd)[1:], kdir)
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no compile command seen"]
        raise FlagsError(f"{kdir}: kbuild did not show its compile command: {tail[0]}")


# GCC-only flags in a kbuild command line that clang rejects or that only affect code generation.
def kbuild_line_to_clang(args: Iterable[str], directory: str) -> List[str]:
    """Turn the compiler arguments of a kbuild compile command into libclang arguments."""
    kept = safe_flags([a for a in args if not a.startswith("-DKBUILD_") and not a.startswith("-D__KBUILD_")],
                      directory)
    return kept + ["-DCC_USING_FENTRY", "-Wno-everything"]


def module_name_defines(name: str) -> List[str]:
    safe = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return [f'-DKBUILD_MODNAME="{safe}"', f'-DKBUILD_BASENAME="{safe}"', f"-D__KBUILD_MODNAME=kmod_{safe}"]


# ------------------------------------------------------------------ compile_commands.json

def compile_db_flags(db_dir: str, path: str) -> Optional[List[str]]:
    """The safe flags of `path`'s entry in db_dir/compile_commands.json, or None without an entry."""
    db_path = os.path.join(db_dir, "compile_commands.json")
    try:
        with open(db_path, encoding="utf-8") as f:
            entries = json.load(f)
    except OSError as e:
        raise FlagsError(f"{db_path}: cannot read: {e.strerror}")
    except ValueError as e:
        raise FlagsError(f"{db_path}: not valid JSON: {e}")
    if not isinstance(entries, list):
        raise FlagsError(f"{db_path}: expected a JSON array of compile commands")
    want = os.path.realpath(path)
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        directory = str(entry.get("directory", db_dir))
        file = str(entry.get("file", ""))
        if os.path.realpath(os.path.join(directory, file)) != want:
            continue
        if isinstance(entry.get("arguments"), list):
            args = [str(a) for a in entry["arguments"]][1:]
        else:
            try:
                args = shlex.split(str(entry.get("command", "")))[1:]
            except ValueError:
                raise FlagsError(f"{db_path}: cannot split the command of {file}")
        return kbuild_line_to_clang(args, directory)
    return None


# Clang 16+ makes these errors in C; kernel code and users' modules rely on them being warnings,
# and an unknown kernel call must not stop the analysis (it becomes an unmodelled call).
LENIENT = ["-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
           "-Wno-error=int-conversion", "-Wno-error=incompatible-function-pointer-types",
           "-Wno-error=incompatible-pointer-types"]


def flags_for(path: str, config) -> List[str]:
    """The clang arguments for one file under config's header mode."""
    return _flags_for(path, config) + LENIENT


def _flags_for(path: str, config) -> List[str]:
    module = config.module_name or os.path.splitext(os.path.basename(path))[0]
    extra = list(config.extra_flags)
    user = [f"-I{d}" for d in config.include_dirs] + [f"-D{d}" for d in config.defines]
    if config.compile_commands_dir:
        db = compile_db_flags(config.compile_commands_dir, path)
        if db is not None:
            return db + user + extra
    if config.kernel_dir:
        return kbuild_flags(config.kernel_dir) + module_name_defines(module) + user + extra
    if extra:  # kbuild's CHECK hands us the compiler's flags: they already name the headers
        return extra + module_name_defines(module) + user
    return list(BUNDLED_FLAGS) + module_name_defines(module) + user
