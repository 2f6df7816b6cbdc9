"""Result cache: one JSON entry per analysed file, keyed on content, never on timestamps.

An entry is found by a key over everything known before parsing: klplint's version and a digest
of its own code and bundled headers, the versions of libclang, pycparser and pcpp, every Config field (front end, kernel tree, include dirs,
defines, rule selection, budgets, ...), the contents of the compilation database when `-p` is used,
the file's path (findings name it) and its bytes. The entry then lists every header the parse read
with the hash of its contents, and is used only when all of them still hash the same (ccache's
"direct mode"); a header the parse could not find is re-looked-for in the file's folder and the
include directories, so adding it invalidates the entry.

Entries live under `.klplint_cache/` in the working directory, or $KLPLINT_CACHE_DIR, marked with
a `CACHEDIR.TAG` (https://bford.info/cachedir/) so backup tools skip it, and a `.gitignore`.
A corrupt or unreadable entry is a miss; a cache that cannot be written is silently not used.
Results with a tool error are stored like any other (the same key rules, the same invalidation),
except those the machine decided (a file stopped at the per-file deadline or memory limit, a parse
process killed) and those cut short by the wall-clock budget (KLP213 "took more than N s"): a later,
less loaded run can do better.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import tempfile
from typing import Any, Dict, List, Optional, Tuple

from klplint import __version__
from klplint.findings import Edit, Finding, Fix, PathStep, ToolError
from klplint.location import Location
from klplint.pipeline.result import FileResult
from klplint.safeio import UnreadableFile, read_bytes, read_text
from klplint.pipeline.isolate import transient

ENV = "KLPLINT_CACHE_DIR"
DEFAULT_DIR = ".klplint_cache"
SCHEMA = 2          # 2: the header list is stored once (with its hashes), not again in the result
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by klplint.\n"
                "# For information about cache directory tags, see:\n"
                "#\thttps://bford.info/cachedir/\n")
_MISSING = re.compile(r"header <([^>]+)> not found")

_TYPES = {c.__name__: c for c in (Finding, Location, PathStep, Fix, Edit, ToolError)}


def cache_dir() -> str:
    return os.environ.get(ENV) or os.path.join(os.getcwd(), DEFAULT_DIR)


# ------------------------------------------------------------------ hashing

_code_digest: Optional[str] = None


def package_root() -> str:
    """The klplint package folder: every layer's code and the bundled headers lie below it."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree_digest(root: str) -> str:
    """klplint's version plus the contents of the .py and .h files below root, with their paths."""
    h = hashlib.sha256(__version__.encode())
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for n in sorted(names):
            if n.endswith((".py", ".h")):
                p = os.path.join(dirpath, n)
                h.update(os.path.relpath(p, root).encode() + b"\0")
                try:
                    with open(p, "rb") as f:
                        h.update(f.read())
                except OSError:
                    pass
    return h.hexdigest()


def code_digest() -> str:
    """klplint's version plus the contents of its code and bundled headers: a development checkout
    that changes a rule without bumping the version still misses the cache. The whole package, not
    this module's folder: a change in analysis/, rules/ or a kernel-call model changes results."""
    global _code_digest
    if _code_digest is None:
        _code_digest = tree_digest(package_root())
    return _code_digest


class _FileHashes:
    """Content hashes, remembered per (path, size, mtime) for the life of the process, so a header
    included by a hundred modules is read once per run."""

    def __init__(self):
        self._memo: Dict[str, Tuple[int, int, Optional[str]]] = {}

    def get(self, path: str) -> Optional[str]:
        try:
            st = os.stat(path)
        except OSError:
            return None
        memo = self._memo.get(path)
        if memo and memo[0] == st.st_size and memo[1] == st.st_mtime_ns:
            return memo[2]
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            digest = None
        self._memo[path] = (st.st_size, st.st_mtime_ns, digest)
        return digest


def _dependency_versions() -> Dict[str, Optional[str]]:
    """The front ends' libraries: another libclang may parse differently. Read from the installed
    distributions' folder names (what importlib.metadata would find first on sys.path, without
    importing it: this is on the start-up path of every run served from the cache)."""
    wanted = {"libclang": None, "pycparser": None, "pcpp": None}
    dist = re.compile(r"([A-Za-z0-9_.]+)-([^-]+?)(?:-py\d[\d.]*)?\.(?:dist-info|egg-info)$")
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            m = dist.match(n)
            if m:
                name = m.group(1).lower().replace("_", "-").replace(".", "-")
                if name in wanted and wanted[name] is None:
                    wanted[name] = m.group(2)
        if all(wanted.values()):
            break
    return wanted


def _config_state(config) -> Any:
    state = dataclasses.asdict(config)
    if getattr(config, "compile_commands_dir", None):
        db = os.path.join(config.compile_commands_dir, "compile_commands.json")
        try:
            with open(db, "rb") as f:
                state["compile_commands.json"] = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            state["compile_commands.json"] = None
    return state


# ------------------------------------------------------------------ (de)serialisation

def _encode(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        name = type(v).__name__
        if name not in _TYPES:
            raise TypeError(f"cannot cache a {name}")
        return {"$": name, **{f.name: _encode(getattr(v, f.name)) for f in dataclasses.fields(v)}}
    if isinstance(v, (list, tuple)):
        return [_encode(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    raise TypeError(f"cannot cache a {type(v).__name__}")


def _decode(v: Any) -> Any:
    if isinstance(v, dict):
        cls = _TYPES[v["$"]]
        return cls(**{k: _decode(x) for k, x in v.items() if k != "$"})
    if isinstance(v, list):
        return tuple(_decode(x) for x in v)
    return v


_FIELD_TYPES = {"str": str, "int": int, "bool": bool, "float": (int, float)}


def _checked(obj: Any, cls: type) -> Any:
    """obj if it is a cls whose fields have the types their annotations name (recursively for the
    nested dataclasses), else TypeError: a wrong-shaped entry must not reach the reporters."""
    if type(obj) is not cls:
        raise TypeError(f"expected a {cls.__name__}")
    _check_fields(obj, 0)
    if cls is Finding and obj.level not in ("note", "warning", "error"):
        raise TypeError(f"unknown level {obj.level!r}")
    return obj


def _check_fields(obj: Any, depth: int) -> None:
    if depth > 16:
        raise TypeError("nested too deeply")
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        ann = str(f.type).replace(" ", "")
        base = ann[len("Optional["):-1] if ann.startswith("Optional[") else ann
        if value is None:
            if base != ann or ann == "None":
                continue
            raise TypeError(f"{type(obj).__name__}.{f.name} is missing")
        want = _FIELD_TYPES.get(base)
        if want is not None:
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                raise TypeError(f"{type(obj).__name__}.{f.name}: expected {base}")
        elif base in _TYPES:
            if type(value) is not _TYPES[base]:
                raise TypeError(f"{type(obj).__name__}.{f.name}: expected {base}")
            _check_fields(value, depth + 1)
        elif base.startswith("Tuple[") or base.startswith("List["):
            if not isinstance(value, tuple):
                raise TypeError(f"{type(obj).__name__}.{f.name}: expected a list")
            inner = base[base.index("[") + 1:].split(",")[0].rstrip("]")
            for item in value:
                if inner in _TYPES:
                    if type(item) is not _TYPES[inner]:
                        raise TypeError(f"{type(obj).__name__}.{f.name}: expected {inner} items")
                    _check_fields(item, depth + 1)
                elif inner in _FIELD_TYPES and not isinstance(item, _FIELD_TYPES[inner]):
                    raise TypeError(f"{type(obj).__name__}.{f.name}: expected {inner} items")


# ------------------------------------------------------------------ the cache

class ResultCache:
    def __init__(self, config, directory: Optional[str] = None):
        self.config = config
        self.directory = directory or cache_dir()
        self._hashes = _FileHashes()
        # get() validates the same few hundred headers for every module of a tree; a ResultCache
        # lives for one run, and the lookups all happen before the first file is analysed, so each
        # header is looked at once per run.
        self._validated: Dict[str, Optional[str]] = {}
        self._prefix = json.dumps({"schema": SCHEMA, "code": code_digest(), "deps": _dependency_versions(),
                                   "config": _config_state(config)}, sort_keys=True, default=str)
        self._ready: Optional[bool] = None
        self.hits = 0
        self.misses = 0

    # -- keys
    def _key(self, path: str, digest: Optional[str] = None) -> Optional[str]:
        """digest: the sha256 of the bytes that were analysed (FileResult.source_digest); without it
        the file is read now (a lookup)."""
        if digest is None:
            try:
                data = read_bytes(path, self.config.max_file_bytes)
            except UnreadableFile:
                return None
            raw = hashlib.sha256(data).digest()
        else:
            raw = bytes.fromhex(digest)
        h = hashlib.sha256(self._prefix.encode())
        h.update(b"\0" + path.encode("utf-8", "surrogateescape"))
        h.update(b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape"))
        h.update(b"\0" + raw)
        return h.hexdigest()

    def _entry_path(self, key: str) -> str:
        return os.path.join(self.directory, "results", key[:2], key + ".json")

    # -- lookup
    def get(self, path: str):
        """The cached FileResult for path, or None. Like analyze_paths' results it is slim: findings,
        errors and notes, no `includes` or `module`."""
        key = self._key(path)
        if key is None:
            return None
        try:
            entry = json.loads(read_text(self._entry_path(key)))
            if not isinstance(entry, dict) or entry.get("schema") != SCHEMA or entry.get("path") != path:
                raise ValueError("stale entry")
            for inc, digest in entry["includes"]:
                current = self._validated.get(inc, False)
                if current is False:
                    current = self._validated[inc] = self._hashes.get(inc)
                if current != digest:
                    self.misses += 1
                    return None
            for name in entry.get("missing", ()):
                if self._header_appeared(path, name):
                    self.misses += 1
                    return None
            r = entry["result"]
            result = FileResult(path,
                                findings=[_checked(_decode(x), Finding) for x in r["findings"]],
                                errors=[_checked(_decode(x), ToolError) for x in r["errors"]],
                                notes=[_checked(_decode(x), ToolError) for x in r["notes"]])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            # corrupt, truncated, wrong-shaped or hostile: a miss, and the fresh result replaces it
            self.misses += 1
            return None
        self.hits += 1
        return result

    def _search_dirs(self, path: str) -> List[str]:
        dirs = [os.path.dirname(os.path.abspath(path))] + list(self.config.include_dirs)
        flags = list(self.config.extra_flags)
        for i, a in enumerate(flags):
            for opt in ("-I", "-isystem", "-iquote", "-idirafter"):
                if a == opt and i + 1 < len(flags):
                    dirs.append(flags[i + 1])
                elif a.startswith(opt) and len(a) > len(opt):
                    dirs.append(a[len(opt):])
        return dirs

    def _header_appeared(self, path: str, name: str) -> bool:
        return any(os.path.isfile(os.path.join(d, name)) for d in self._search_dirs(path))

    # -- store
    def _timed_out(self, result) -> bool:
        """A result cut short by the wall-clock budget depends on the machine's load, not only on
        the inputs: it is not stored, so a later, less loaded run can do better."""
        marker = f"took more than {self.config.budgets.file_seconds:g} s"
        return any(f.rule == "KLP213" and marker in f.message for f in result.findings)

    def put(self, path: str, result) -> None:
        if any(transient(e.reason) for e in result.errors) or self._timed_out(result) or not self._prepare():
            return
        key = self._key(path, getattr(result, "source_digest", None))
        if key is None:
            return
        includes = []
        for inc in result.includes:
            digest = self._hashes.get(inc)
            if digest is None:
                return      # a header we cannot read back: the entry could never be validated
            includes.append([inc, digest])
        missing = sorted({m.group(1) for n in result.notes for m in [_MISSING.search(n.reason)] if m})
        try:
            entry = {"schema": SCHEMA, "path": path, "includes": includes, "missing": missing,
                     "result": {"findings": _encode(result.findings), "errors": _encode(result.errors),
                                "notes": _encode(result.notes)}}
            text = json.dumps(entry, separators=(",", ":"))
        except TypeError:
            return
        target = self._entry_path(key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-", suffix=".json")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, target)     # atomic: a concurrent reader sees the old entry or the new one
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _prepare(self) -> bool:
        """Create the cache folder with its CACHEDIR.TAG and .gitignore (once)."""
        if self._ready is None:
            try:
                os.makedirs(self.directory, exist_ok=True)
                tag = os.path.join(self.directory, "CACHEDIR.TAG")
                if not os.path.exists(tag):
                    with open(tag, "w") as f:
                        f.write(CACHEDIR_TAG)
                ignore = os.path.join(self.directory, ".gitignore")
                if not os.path.exists(ignore):
                    with open(ignore, "w") as f:
                        f.write("# created by klplint\n*\n")
                self._ready = True
            except OSError:
                self._ready = False
        return self._ready
