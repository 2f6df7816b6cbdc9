"""Build modules out of tree with the kernel's kbuild into a temporary directory (module name = file base name)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence

from klplint.oracle.elf import KoInfo, read_ko
from klplint.oracle.parts import OracleError

COMPAT_HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compat", "klp_hooks_compat.h")

_HOOKS_RE = re.compile(r"\.\s*(patch_hooks|unpatch_hooks)\s*=|\bstruct\s+klp_hook\b")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class BuildError(OracleError):
    """kbuild refused a module; the message carries the compiler's complaint, .log all of it."""

    def __init__(self, message: str, log: str = ""):
        super().__init__(message)
        self.log = log or message


@dataclass(frozen=True)
class BuiltModule:
    name: str
    source: str
    ko: str
    info: KoInfo
    uses_hooks_compat: bool


def module_name(source: str) -> str:
    """kbuild's module name for a source file: its base name, with '-' read as '_'."""
    return os.path.splitext(os.path.basename(source))[0].replace("-", "_")


def uses_hooks_api(source: str) -> bool:
    with open(source, encoding="utf-8", errors="replace") as f:
        return bool(_HOOKS_RE.search(f.read()))


def _jobs() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def build_modules(sources: Sequence[str], kbuild_dir: str, out_dir: Optional[str] = None,
                  make: str = "make", hooks_compat: Optional[bool] = None,
                  timeout: float = 600, keep_going: bool = False) -> Dict[str, BuiltModule]:
    """Build every source as its own module in one kbuild run; returns name -> BuiltModule.

    hooks_compat: None = force-include klp_hooks_compat.h into sources that use the hooks API;
    True/False = for every source / for none. keep_going: make -k (every compiler error at once).
    Building again in the same out_dir recompiles only what changed."""
    if not sources:
        return {}
    out_dir = out_dir or tempfile.mkdtemp(prefix="klplint-oracle-build-")
    os.makedirs(out_dir, exist_ok=True)
    names: List[str] = []
    compat: Dict[str, bool] = {}
    includes: List[str] = []
    for src in sources:
        if not os.path.isfile(src):
            raise OracleError(f"{src}: no such file")
        name = module_name(src)
        if not _NAME_RE.match(name):
            raise OracleError(f"{src}: '{name}' is not a valid module name")
        if name in names:
            raise OracleError(f"two sources build the same module '{name}'")
        names.append(name)
        dest = os.path.join(out_dir, name + ".c")
        if not (os.path.exists(dest) and _same_file(src, dest)):
            shutil.copy2(src, dest)
        compat[name] = uses_hooks_api(src) if hooks_compat is None else hooks_compat
        srcdir = os.path.dirname(os.path.abspath(src))
        if srcdir not in includes:
            includes.append(srcdir)
    lines = [f"obj-m += {' '.join(n + '.o' for n in names)}"]
    lines += [f"ccflags-y += -I{d}" for d in includes]
    for n in names:
        if compat[n]:
            lines.append(f"CFLAGS_{n}.o += -include {COMPAT_HEADER}")
    with open(os.path.join(out_dir, "Makefile"), "w") as f:
        f.write("\n".join(lines) + "\n")
    cmd = [make, "-C", kbuild_dir, f"M={out_dir}", f"-j{_jobs()}"] + (["-k"] if keep_going else []) + ["modules"]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        raise BuildError(f"kbuild did not finish within {timeout:.0f} s")
    if proc.returncode != 0:
        raise BuildError("kbuild failed:\n" + _trim_build_log(proc.stdout, out_dir, sources, names),
                         proc.stdout)
    built: Dict[str, BuiltModule] = {}
    for src, name in zip(sources, names):
        ko = os.path.join(out_dir, name + ".ko")
        if not os.path.isfile(ko):
            raise BuildError(f"kbuild produced no {name}.ko:\n{proc.stdout[-2000:]}")
        built[name] = BuiltModule(name=name, source=os.path.abspath(src), ko=ko, info=read_ko(ko),
                                  uses_hooks_compat=compat[name])
    return built


def _same_file(a: str, b: str) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def _trim_build_log(log: str, out_dir: str, sources: Sequence[str], names: Sequence[str]) -> str:
    """The compiler's errors, with the build directory's copies named by their real paths."""
    keep = [ln for ln in log.splitlines()
            if not ln.startswith(("make", "  CC", "  LD", "  MODPOST", "  BTF", "Skipping BTF"))]
    text = "\n".join(keep[-60:])
    for src, name in zip(sources, names):
        text = text.replace(os.path.join(out_dir, name + ".c"), src)
    return text.replace(out_dir.rstrip("/") + "/", "")


def compile_probe(source_text: str, kbuild_dir: str, make: str = "make", name: str = "klp_oracle_probe",
                  extra_cflags: Iterable[str] = (), timeout: float = 300) -> str:
    """Compile one C file to assembly with the module's flags (kbuild's single-target `.s` build)."""
    d = tempfile.mkdtemp(prefix="klplint-oracle-probe-")
    try:
        with open(os.path.join(d, name + ".c"), "w") as f:
            f.write(source_text)
        with open(os.path.join(d, "Makefile"), "w") as f:
            f.write(f"obj-m += {name}.o\n")
            for flag in extra_cflags:
                f.write(f"CFLAGS_{name}.o += {flag}\n")
        proc = subprocess.run([make, "-C", kbuild_dir, f"M={d}", f"{name}.s"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout)
        asm = os.path.join(d, name + ".s")
        if proc.returncode != 0 or not os.path.isfile(asm):
            raise BuildError(f"compiling the offsets helper failed:\n{proc.stdout[-3000:]}")
        with open(asm) as f:
            return f.read()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def build_tolerant(sources: Sequence[str], kbuild_dir: str, out_dir: Optional[str] = None,
                   make: str = "make") -> "tuple[Dict[str, BuiltModule], Dict[str, str]]":
    """Build what builds: one kbuild run for all sources, dropping the sources kbuild names in
    its errors and retrying. Returns (built modules, {source: kbuild's complaint})."""
    out_dir = out_dir or tempfile.mkdtemp(prefix="klplint-oracle-build-")
    pending = list(sources)
    errors: Dict[str, str] = {}
    attempt = 0
    d = os.path.join(out_dir, "all")
    while pending:
        attempt += 1
        try:
            return build_modules(pending, kbuild_dir, d, make=make, keep_going=True), errors
        except BuildError as e:
            text = str(e)
            guilty = [s for s in pending if _names_source(e.log, s)]
            if not guilty:
                if len(pending) == 1:
                    errors[pending[0]] = text
                    return {}, errors
                # kbuild did not say which one: build them one by one
                built: Dict[str, BuiltModule] = {}
                for i, s in enumerate(pending):
                    try:
                        built.update(build_modules([s], kbuild_dir, os.path.join(d, f"one{i}"), make=make))
                    except BuildError as e1:
                        errors[s] = str(e1)
                return built, errors
            for s in guilty:
                errors[s] = _errors_for(e.log, s, d) or text
                pending.remove(s)
    return {}, errors


def _errors_for(log: str, source: str, build_dir: str) -> str:
    """kbuild's complaints about one source: its compiler diagnostics (with the lines that show
    the code) and the modpost/make errors that name its module."""
    name = module_name(source)
    copy = os.path.join(build_dir, name + ".c")
    own = re.compile(rf"(^|[/\s\[]){re.escape(name)}\.(c|o|ko|mod\.o)\b")
    out: List[str] = []
    keep = False
    for line in log.splitlines():
        if line.startswith(copy) or line.startswith(source):
            keep = True
        elif re.match(r"^\S+\.c:", line) or line.startswith(("make", "  CC", "  LD", "  MODPOST")):
            keep = False
        if keep or (re.search(r"\berror\b|\bERROR\b", line) and own.search(line)):
            out.append(line.replace(copy, source).replace(build_dir.rstrip("/") + "/", ""))
    return "\n".join(out[-40:])


def _names_source(log: str, source: str) -> bool:
    """kbuild's error lines name the module's file (compiler: NAME.c:L:C: error; make: NAME.o]
    Error 1; modpost: ERROR: ... NAME.ko ...)."""
    name = module_name(source)
    pat = re.compile(rf"(^|[/\s\[]){re.escape(name)}\.(c|o|ko|mod\.o)\b")
    for line in log.splitlines():
        if re.search(r"\berror\b|\bERROR\b|\] Error \d", line) and pat.search(line):
            return True
    return False
