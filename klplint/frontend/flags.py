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

from klplint.safeio import UnreadableFile, is_regular_file, read_text

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
            if a in ("-include", "-imacros") and os.path.exists(value) and not is_regular_file(value):
                # clang would open it and wait on a FIFO or read /dev/zero without end
                raise FlagsError(f"{a} {value}: not a regular file")
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


def kbuild_flags(kernel_dir: str, probe: bool = True) -> List[str]:
    """The flags kbuild passes when it compiles an out-of-tree module against kernel_dir, read off a
    real `make V=1` of a one-line module (once per tree; cached), filtered to what clang accepts.

    probe=False (a kernel dir named by a settings file of the checked tree, not by the user): no
    `make` is run there, since the tree's Makefile is the checked repository's code; the flags come
    from an earlier probe of the same tree if one is cached, else from the tree's layout."""
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
    cached = _cached_flags(cache)
    if cached is not None:
        return cached
    if not probe:
        return layout_flags(kdir, kernel_dir)
    flags = _probe_kbuild(kdir)
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache + ".tmp", "w") as f:
            json.dump(flags, f)
        os.replace(cache + ".tmp", cache)
    except OSError:
        pass
    return flags


def _cached_flags(cache: str) -> Optional[List[str]]:
    """A cached probe result, or None when absent, unreadable or not a list of strings (then it is
    probed again and rewritten: a damaged cache entry never fails a file)."""
    try:
        flags = json.loads(read_text(cache, 1 << 20))
    except (UnreadableFile, ValueError, RecursionError):
        return None
    if isinstance(flags, list) and flags and all(isinstance(f, str) for f in flags):
        return flags
    return None


def _source_tree(kdir: str) -> str:
    """Where the kernel's sources are for a build tree: Debian's linux-headers-<ver>-<flavour>
    has a one-line Makefile including the -common tree's; an O= build has a `source` link."""
    try:
        text = read_text(os.path.join(kdir, "Makefile"), 1 << 20)
    except UnreadableFile:
        text = ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) == 1 and lines[0].startswith("include ") and lines[0].endswith("/Makefile"):
        src = os.path.dirname(os.path.join(kdir, lines[0][len("include "):].strip()))
        if os.path.isdir(os.path.join(src, "include")):
            return os.path.realpath(src)
    if os.path.isdir(os.path.join(kdir, "source", "include")):
        return os.path.realpath(os.path.join(kdir, "source"))
    return kdir


def layout_flags(kdir: str, shown: str) -> List[str]:
    """kbuild's flags for an x86_64 out-of-tree module, from the tree's layout alone (nothing run)."""
    src = _source_tree(kdir)
    if not os.path.isfile(os.path.join(kdir, "include", "generated", "autoconf.h")):
        raise FlagsError(f"{shown}: not a configured kernel build tree (no include/generated/autoconf.h); "
                         "pass it with --kernel-dir or KDIR to let klplint run kbuild there")
    if not os.path.isdir(os.path.join(src, "arch", "x86", "include")):
        raise FlagsError(f"{shown}: only an x86 tree's flags can be read without running kbuild; "
                         "pass it with --kernel-dir or KDIR to let klplint run kbuild there")
    inc = [f"{src}/arch/x86/include", f"{kdir}/arch/x86/include/generated", f"{src}/include", f"{kdir}/include",
           f"{src}/arch/x86/include/uapi", f"{kdir}/arch/x86/include/generated/uapi", f"{src}/include/uapi",
           f"{kdir}/include/generated/uapi"]
    out = ["-nostdinc"] + [f"-I{d}" for d in dict.fromkeys(inc)]
    for h in ("compiler-version.h", "kconfig.h", "compiler_types.h"):
        p = os.path.join(src, "include", "linux", h)
        if is_regular_file(p):
            out += ["-include", p]
    out += ["-D__KERNEL__", "-fno-strict-aliasing", "-fno-common", "-fshort-wchar", "-std=gnu11", "-m64",
            "-DMODULE", "-DCC_USING_FENTRY", "-Wno-everything"]
    return out


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

_db_memo: dict = {}


def _load_db(db_path: str):
    """The parsed database, remembered per (size, mtime): every file of a run (and the include
    pre-scan) reads the same one."""
    try:
        st = os.stat(db_path)
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    except OSError:
        stamp = None
    if stamp is not None and _db_memo.get(db_path, (None,))[0] == stamp:
        return _db_memo[db_path][1]
    try:
        entries = json.loads(read_text(db_path, 256 * 1024 * 1024))
    except UnreadableFile as e:
        raise FlagsError(f"{db_path}: {e.reason}")
    except ValueError as e:
        raise FlagsError(f"{db_path}: not valid JSON: {e}")
    except RecursionError:
        raise FlagsError(f"{db_path}: nested too deeply")
    if stamp is not None:
        _db_memo.clear()
        _db_memo[db_path] = (stamp, entries)
    return entries


def compile_db_flags(db_dir: str, path: str) -> Optional[List[str]]:
    """The safe flags of `path`'s entry in db_dir/compile_commands.json, or None without an entry."""
    db_path = os.path.join(db_dir, "compile_commands.json")
    entries = _load_db(db_path)
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
        probe = getattr(config, "kernel_dir_probe", True)
        return kbuild_flags(config.kernel_dir, probe) + module_name_defines(module) + user + extra
    if extra:  # kbuild's CHECK hands us the compiler's flags: they already name the headers
        return extra + module_name_defines(module) + user
    return list(BUNDLED_FLAGS) + module_name_defines(module) + user
