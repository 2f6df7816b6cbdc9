"""Precompiled headers for the real-headers modes: the kernel headers a module includes are parsed once
and reused by every file (and every later run) that starts with the same includes.

A livepatch module spends ~90% of its libclang parse in the ~550 kernel headers that
`<linux/module.h>` and `<linux/livepatch.h>` pull in. This module takes the file's *preamble* -- the
leading `#define`/`#undef`/`#include <...>` directives, up to its last such `#include` -- and parses
exactly that text once as a header (function bodies skipped: the analysis never reads a header's
bodies), saves it with `TranslationUnit.save()`, and then parses the file itself with `-include-pch`.

Why the file's own preamble and not one prefix header with every common kernel header: a bigger
prefix would put macros and declarations in scope that the file never included (they can change how
its code parses) and change the list of files the parse read (the result cache's key). The file's own
preamble, processed first and in the same order, is what a normal parse does anyway: the main file
then re-reads its preamble, whose includes are skipped by their include guards and whose macro
definitions are repeated identically.

Shared prefixes, chained: a file whose whole preamble has no PCH yet gets one *chained* onto the PCH of
a prefix it shares with other files (clang's chained PCH: the new file holds only what the headers
after the prefix add, ~2.5 MB against ~10 MB for the whole preamble, and builds in a third of the
time). The prefix is the longest one that already has a PCH of its own (a "root"); else the longest
prefix (cut at an #include) the preamble shares with a preamble seen before, built as a root then, for
both and for every later file with that prefix; else the file gets a root of its whole preamble. A
parse then loads the chain (clang reads the root through it) and parses no header itself, so a tree
whose files each include a different list (a distribution's livepatch tree of fix files) parses as
fast as one whose files all share one list, with one root per common prefix and a small chain per
list. A chain is never the base of another (one level: a chain depends on exactly one root). A small
index per flag set (prefixes-<key>.json) remembers the preambles seen, the roots built and which root
each chained preamble was built on, so later runs find the same entries.

Cache: one folder ($KLPLINT_PCH_DIR, else ~/.cache/klplint/pch; not `.klplint_cache/`, since kbuild runs
the checker from the kernel's build tree; in CI set KLPLINT_PCH_DIR=.klplint_cache/pch to keep it with
the result cache), an entry per key =
sha256(libclang build, parse flags without the per-module KBUILD_* names, preamble text, and for a
chain its root's preamble). Each entry records the size and mtime of every file the PCH read (a chain:
also its root's files and its root's .pch); a changed header, or a root rebuilt or pruned, makes the
entry stale and it is rebuilt. Entries are pruned least recently used first (using a chain counts as
using its root) when the folder holds more than MAX_ENTRIES or MAX_BYTES. Per-module names
(KBUILD_MODNAME...) are left out of the PCH so modules share it, unless a header tests them in an
`#if`, in which case the key includes them.

Falls back silently to a normal parse (returns None) when: KLPLINT_NO_PCH=1; the header set is
klplint's small bundled one (no gain); the file has no usable preamble (it starts with code, a
conditional, or a quoted include: those resolve relative to the file); the preamble alone does not
parse cleanly; the PCH parse reports any error; or the main file re-enters a header the PCH holds.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import clang.cindex as ci

from klplint.frontend import flags as flagmod

FORMAT = 2                      # bump when the entry layout or the build options change
MAX_ENTRIES = 256               # PCHs kept in the cache folder (least recently used go first) ...
MAX_BYTES = 768 << 20           # ... and their total size (a root is ~10 MB with a kernel's headers, a chain ~3)
INDEX_LIMIT = 512               # preambles remembered per flag set, to find the prefixes files share
BUILD_OPTIONS = ci.TranslationUnit.PARSE_INCOMPLETE | ci.TranslationUnit.PARSE_SKIP_FUNCTION_BODIES
# CXTranslationUnit_ForSerialization (the Python bindings do not name it): the unit's AST writer listens
# to what the root PCH deserializes, which saving a chained PCH needs (without it the saved chain is
# inconsistent and a parse that loads it crashes libclang).
_FOR_SERIALIZATION = 0x10
_MODULE_DEFINES = ("-DKBUILD_MODNAME=", "-DKBUILD_BASENAME=", "-D__KBUILD_MODNAME=")
_MODULE_NAMES = ("KBUILD_MODNAME", "KBUILD_BASENAME", "__KBUILD_MODNAME")

_lock = threading.Lock()
_entries: Dict[str, Optional["Entry"]] = {}   # key -> validated entry (None: no PCH for this key)
_targets: Dict[tuple, "Plan"] = {}             # (shared args, preamble) -> what is precompiled for it
_index: Optional[ci.Index] = None

# for bench/ and the tests (per process): parses with a PCH (of them: through a chain), PCHs built
# (of them: chains), parses that fell back to a normal one after trying a PCH, files with no PCH
stats = {"hit": 0, "prefix": 0, "built": 0, "chains_built": 0, "fallback": 0, "none": 0}


@dataclass(frozen=True)
class Entry:
    pch: str
    files: Tuple[str, ...]      # every file the preamble read (added to the unit's includes)
    module_sensitive: bool      # a header tests KBUILD_MODNAME & co.: the PCH is per module

    @property
    def base(self) -> str:
        """The entry's path without extension (its .json, .h and .lock sit beside the .pch)."""
        return self.pch[: -len(".pch")]


@dataclass(frozen=True)
class Plan:
    """What to precompile for a preamble: `text` itself, chained onto a root PCH of `root` (a prefix of
    it) when `root` is set."""
    text: str
    root: Optional[str] = None


def disabled() -> bool:
    return os.environ.get("KLPLINT_NO_PCH", "").strip() not in ("", "0")


def cache_dir() -> str:
    return os.path.abspath(os.environ.get("KLPLINT_PCH_DIR") or os.path.join(flagmod._cache_dir(), "pch"))


def _pch_index() -> ci.Index:
    # excludeDecls: visiting the unit's top level then yields the main file's declarations only,
    # not the ~10,000 the PCH holds (lowering only keeps the main file's anyway).
    global _index
    with _lock:
        if _index is None:
            _index = ci.Index.create(excludeDecls=True)
        return _index


# ------------------------------------------------------------------ preamble

_DIRECTIVE_RE = re.compile(r"#\s*(\w+)\s*(.*)", re.S)
_ANGLE_RE = re.compile(r"<([^>\s]+)>\s*$")
_QUOTED_RE = re.compile(r'"([^"\s]+)"\s*$')
_MAX_DEPTH = 8


def _strip_comments(line: str) -> Optional[str]:
    """A directive line without its comments (each one space, as in C), or None when a block
    comment is left open. String and character literals are kept as they are."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            out.append(line[i:j + 1])
            i = j + 1
        elif line.startswith("/*", i):
            j = line.find("*/", i + 2)
            if j < 0:
                return None
            out.append(" ")
            i = j + 2
        elif line.startswith("//", i):
            break
        else:
            out.append(c)
            i += 1
    return "".join(out)


def preamble(text: str, path: Optional[str] = None) -> Optional[str]:
    """The leading #define/#undef/#include <x.h> directives up to the last such include, normalised
    (comments dropped, one directive a line), or None when there is nothing worth precompiling.
    A leading `#include "x"` found next to `path` is followed: its own leading directives count."""
    out: List[str] = []
    _scan(text, path, out, 0)
    last = max((i for i, d in enumerate(out) if d.startswith("#include")), default=-1)
    if last < 0:
        return None
    return "\n".join(out[:last + 1]) + "\n"


def _scan(text: str, path: Optional[str], out: List[str], depth: int) -> bool:
    """Append text's leading directives to out; True when the whole text was directives (so the
    scan may go on in the file that included it)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n\f\v":
            i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                return False
            i = j + 2
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            if j < 0:
                return True
            if text[i:j].rstrip("\r").endswith("\\"):
                return False     # a // comment continued by a backslash: stop rather than guess
            i = j
            continue
        if c != "#":
            return False
        j = i                    # one directive, with its backslash continuations
        while True:
            k = text.find("\n", j)
            if k < 0:
                k = n
            if text[j:k].rstrip("\r").endswith("\\") and k < n:
                j = k + 1
                continue
            break
        raw = text[i:k]
        i = k
        line = _strip_comments(raw.replace("\\\r\n", " ").replace("\\\n", " "))
        m = _DIRECTIVE_RE.match(line.strip()) if line is not None else None
        if not m:
            return False
        name, rest = m.group(1), m.group(2).strip()
        if name == "define" and rest:
            out.append(f"#define {rest}")
        elif name == "undef" and rest:
            out.append(f"#undef {rest}")
        elif name == "include" and _ANGLE_RE.match(rest):
            header = _ANGLE_RE.match(rest).group(1)
            if not header.endswith(".h"):
                return False
            out.append(f"#include <{header}>")
        elif name == "include" and _QUOTED_RE.match(rest) and path and depth < _MAX_DEPTH:
            # a quoted include resolves next to the including file first; anywhere else, stop
            inner = os.path.join(os.path.dirname(os.path.abspath(path)), _QUOTED_RE.match(rest).group(1))
            try:
                with open(inner, encoding="utf-8") as f:
                    inner_text = f.read()
            except (OSError, UnicodeDecodeError):
                return False
            if not _scan(inner_text, inner, out, depth + 1):
                return False
        else:
            return False         # conditionals, pragmas, #error, #line, #include_next ...
    return True


def uses_real_headers(args: Sequence[str]) -> bool:
    """Worth a PCH: anything but klplint's bundled model headers (which parse in a few ms)."""
    return flagmod.BUNDLED_INCLUDE not in args


# ------------------------------------------------------------------ cache entries

def _library_id() -> str:
    lib = getattr(ci.conf.lib, "_name", "") or ""
    try:
        st = os.stat(lib)
        return f"{lib}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        return lib


def _key(shared_args: Sequence[str], text: str, root: Optional[str] = None) -> str:
    h = hashlib.sha256()
    h.update(f"klplint-pch {FORMAT}\n{_library_id()}\n{BUILD_OPTIONS}\n".encode())
    h.update("\0".join(shared_args).encode())
    h.update(b"\0\0")
    h.update(text.encode())
    if root is not None:
        h.update(b"\0chained onto\0" + root.encode())
    return h.hexdigest()[:24]


def _stamp(path: str) -> Optional[List[int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _fresh(meta: dict) -> bool:
    for path, stamp in meta.get("stamps", {}).items():
        if _stamp(path) != stamp:
            return False
    return True


def _well_formed(meta) -> bool:
    stamps = meta.get("stamps", {}) if isinstance(meta, dict) else None
    if not isinstance(stamps, dict) or not all(isinstance(p, str) for p in stamps):
        return False
    files = meta.get("files", [])
    return isinstance(files, list) and all(isinstance(f, str) for f in files) and \
        (not meta.get("ok") or "files" in meta)


def _read_meta(base: str) -> Optional[dict]:
    try:
        with open(base + ".json", encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError, RecursionError):
        return None
    if not _well_formed(meta):      # a damaged or foreign entry is a miss, rebuilt; never the file's error
        return None
    if meta.get("format") != FORMAT or not _fresh(meta):
        return None
    if meta.get("ok") and not os.path.isfile(base + ".pch"):
        return None
    return meta


def _write_json(path: str, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


_COND_RE = re.compile(rb"^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|elifdef|elifndef)\b[^\n]*", re.M)


def _tests_module_names(files: Sequence[str]) -> bool:
    """Does any header test KBUILD_MODNAME & co. in a conditional (then modules cannot share a PCH)?"""
    names = [n.encode() for n in _MODULE_NAMES]
    for path in files:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if not any(n in data for n in names):
            continue
        for m in _COND_RE.finditer(data):
            if any(re.search(rb"\b" + n + rb"\b", m.group(0)) for n in names):
                return True
    return False


def _build(base: str, shared_args: Sequence[str], text: str, root: Optional[Entry] = None) -> dict:
    """Parse the preamble as a header and save it, chained onto `root` when given; returns the entry's
    metadata (ok or not)."""
    header = base + ".h"
    with open(header, "w", encoding="utf-8") as f:
        f.write(text)
    meta: dict = {"format": FORMAT, "ok": False, "files": [], "stamps": {}}
    args, options = list(shared_args) + ["-x", "c-header"], BUILD_OPTIONS
    if root is not None:
        args, options = args + ["-include-pch", root.pch], options | _FOR_SERIALIZATION
    try:
        tu = ci.Index.create().parse(header, args=args, options=options)
    except ci.TranslationUnitLoadError as e:
        meta["reason"] = f"libclang could not parse the preamble ({e})"
        return meta
    # a chain's own parse reports only the headers its root did not hold: the entry lists both
    own = {inc.include.name for inc in tu.get_includes() if not inc.include.name.startswith("/__klplint")} - {header}
    files = sorted(own | set(root.files if root is not None else ()))
    meta["files"] = files
    meta["stamps"] = {p: _stamp(p) for p in files}
    if root is not None:
        meta["stamps"][root.pch] = _stamp(root.pch)       # a root rebuilt or pruned: the chain is stale
    bad = [d for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error]
    if bad:
        meta["reason"] = f"the preamble does not parse on its own: {bad[0].spelling}"
        # a missing header may be installed later: do not remember that failure across runs
        meta["transient"] = any("file not found" in d.spelling for d in bad)
        return meta
    meta["module_sensitive"] = bool(root is not None and root.module_sensitive) or _tests_module_names(sorted(own))
    tmp = f"{base}.pch.tmp{os.getpid()}"
    try:
        tu.save(tmp)
        os.replace(tmp, base + ".pch")
    except (ci.TranslationUnitSaveError, OSError) as e:
        meta["reason"] = f"cannot save the PCH ({e})"
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return meta
    meta["ok"] = True
    return meta


def _prune(folder: str, keep: Sequence[str]) -> None:
    """Drop the least recently used entries beyond MAX_ENTRIES or MAX_BYTES, but never those in `keep`
    (the entry just built and the root it is chained onto)."""
    try:
        metas = [os.path.join(folder, n) for n in os.listdir(folder)
                 if n.endswith(".json") and not n.startswith(("prefixes-", ".tmp-"))]
    except OSError:
        return

    def size(meta: str) -> int:
        try:
            return os.stat(meta[: -len(".json")] + ".pch").st_size
        except OSError:
            return 0

    sizes = {m: size(m) for m in metas}
    total = sum(sizes.values())
    if len(metas) <= MAX_ENTRIES and total <= MAX_BYTES:
        return
    metas.sort(key=lambda p: os.stat(p).st_mtime if os.path.exists(p) else 0)
    count = len(metas)
    for meta in metas:
        if count <= MAX_ENTRIES and total <= MAX_BYTES:
            break
        base = meta[: -len(".json")]
        if base in keep:
            continue
        for ext in (".json", ".pch", ".h", ".lock"):
            try:
                os.unlink(base + ext)
            except OSError:
                pass
        with _lock:
            _entries.pop(os.path.basename(base), None)   # this process must not hand it out any more
        count, total = count - 1, total - sizes[meta]


def _entry(shared_args: Sequence[str], plan: Plan) -> Optional[Entry]:
    """The PCH for a plan, built when missing or stale (a chain's root first). A chain whose root cannot
    be had falls back to a root of the whole preamble."""
    root: Optional[Entry] = None
    if plan.root is not None:
        root = _entry(shared_args, Plan(plan.root))
        if root is None:
            return _entry(shared_args, Plan(plan.text))
    key = _key(shared_args, plan.text, plan.root)
    with _lock:
        if key in _entries:
            return _entries[key]
    folder = cache_dir()
    base = os.path.join(folder, key)
    meta = _read_meta(base)
    if meta is None:
        os.makedirs(folder, exist_ok=True)
        with open(base + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)         # --jobs workers build each PCH once
            meta = _read_meta(base)
            if meta is None:
                meta = _build(base, shared_args, plan.text, root)
                if not meta.get("transient"):
                    _write_json(base + ".json", meta)
                if meta.get("ok"):
                    _remember(_index_path(folder, shared_args), built=plan)
                stats["built"] += 1
                stats["chains_built"] += root is not None
                _prune(folder, [base] + ([root.base] if root is not None else []))
    else:
        _touch(base)                                  # recently used: pruned last
    if root is not None:
        _touch(root.base)                             # a chain in use keeps its root
    entry = Entry(base + ".pch", tuple(meta["files"]), bool(meta.get("module_sensitive"))) \
        if meta.get("ok") else None
    with _lock:
        _entries[key] = entry
    return entry


def _touch(base: str) -> None:
    try:
        os.utime(base + ".json")
    except OSError:
        pass


def forget() -> None:
    """Drop the in-process memo (tests, and the language server when headers change)."""
    with _lock:
        _entries.clear()
        _targets.clear()


# ------------------------------------------------------------------ which prefix to precompile

def _include_prefix(lines: Sequence[str], n: int) -> int:
    """The length of lines[:n] cut back to its last #include (0 when it has none)."""
    while n > 0 and not lines[n - 1].startswith("#include"):
        n -= 1
    return n


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return _include_prefix(a, n)


def _index_path(folder: str, shared_args: Sequence[str]) -> str:
    return os.path.join(folder, f"prefixes-{_key(shared_args, '')[:16]}.json")


def _read_index(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if data.get("format") == FORMAT and isinstance(data.get("seen"), list) and \
                isinstance(data.get("roots"), list) and isinstance(data.get("chained"), dict):
            return data
    except (OSError, ValueError, AttributeError):
        pass
    return {"format": FORMAT, "seen": [], "roots": [], "chained": {}}


def _remember(path: str, seen: Optional[str] = None, built: Optional[Plan] = None) -> None:
    """Add to the folder's index (read-modify-replace; a lost update between --jobs workers only
    means one more PCH is built)."""
    data = _read_index(path)
    for name, text in (("seen", seen), ("roots", built.text if built and built.root is None else None)):
        if text is None:
            continue
        if text in data[name]:
            data[name].remove(text)
        data[name].append(text)                    # most recent last
        del data[name][:-INDEX_LIMIT]
    if built is not None and built.root is not None:
        chained = data["chained"]
        chained.pop(built.text, None)
        chained[built.text] = built.root           # dicts keep insertion order: most recent last
        for old in list(chained)[:-INDEX_LIMIT]:
            del chained[old]
    try:
        _write_json(path, data)
    except OSError:
        pass


def _target(folder: str, shared_args: Sequence[str], pre: str) -> Plan:
    """What to precompile for a file whose preamble is `pre`: `pre` itself when it has a root PCH, or
    the chain it was given before; else `pre` chained onto the longest prefix of it that has a root; else
    chained onto the longest prefix (up to an #include) it shares with a preamble seen before (that
    prefix becomes a root, for the next file with it too); else a root of `pre` itself."""
    memo_key = (tuple(shared_args), pre)
    with _lock:
        if memo_key in _targets:
            return _targets[memo_key]
    lines = pre.splitlines(keepends=True)
    index = _read_index(_index_path(folder, shared_args))
    plan = _plan(pre, lines, index)
    _remember(_index_path(folder, shared_args), seen=pre)
    with _lock:
        _targets[memo_key] = plan
    return plan


def _plan(pre: str, lines: List[str], index: dict) -> Plan:
    if pre in index["roots"]:
        return Plan(pre)
    root = index["chained"].get(pre)
    if isinstance(root, str) and pre.startswith(root) and len(root) < len(pre):
        return Plan(pre, root)
    best = 0
    for text in index["roots"]:
        other = text.splitlines(keepends=True)
        if len(other) < len(lines) and lines[:len(other)] == other:
            best = max(best, len(other))
    if best == 0:
        best = max((_common(lines, text.splitlines(keepends=True)) for text in index["seen"] if text != pre),
                   default=0)
    if 0 < best < len(lines):
        return Plan(pre, "".join(lines[:best]))
    return Plan(pre)


# ------------------------------------------------------------------ parse

def parse(path: str, text: str, args: Sequence[str], parse_with_stubs, errors):
    """(tu, stubs, files the PCH read) parsed with a PCH of the file's preamble, or None for a normal
    parse. `parse_with_stubs` and `errors` are from_clang's own helpers, so both paths share them."""
    if disabled() or not uses_real_headers(args):
        stats["none"] += 1
        return None
    pre = preamble(text, path)
    if pre is None:
        stats["none"] += 1
        return None
    shared = [a for a in args if not a.startswith(_MODULE_DEFINES)]
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        plan = _target(cache_dir(), shared, pre)
        entry = _entry(shared, plan)
        if entry is not None and entry.module_sensitive:
            entry = _entry(list(args), plan)          # a header tests KBUILD_MODNAME: one per module
    except OSError:
        entry = None
    if entry is None:
        stats["none"] += 1
        return None
    try:
        tu, stubs = parse_with_stubs(_pch_index(), path, text, list(args) + ["-include-pch", entry.pch])
    except Exception:  # noqa: BLE001 - any failure here means: parse normally instead
        stats["fallback"] += 1
        return None
    if errors(path, tu):
        _maybe_stale(entry, tu)
        stats["fallback"] += 1
        return None
    if _reentered(path, tu, set(entry.files)):
        stats["fallback"] += 1                        # a header without a guard was read again
        return None
    stats["hit"] += 1
    if plan.root is not None:
        stats["prefix"] += 1
    return tu, stubs, entry.files


def _reentered(path: str, tu, held: set) -> bool:
    """Did re-reading the precompiled part enter a header the PCH holds (one without an include guard)?
    That is an #include of a held header from the main file or from a held header: a normal parse
    would not have read it twice. A header after the prefix that includes a held unguarded header
    reads it again in a normal parse as well, so that is not one."""
    main = {path, os.path.abspath(path), tu.spelling}
    for inc in tu.get_includes():
        if inc.include.name in held:
            source = inc.source.name if inc.source is not None else None
            if source is None or source in main or source in held:
                return True
    return False


def _maybe_stale(entry: Entry, tu) -> None:
    """clang refused the PCH (a header changed under it): forget it so the next parse rebuilds it."""
    for d in tu.diagnostics:
        if d.severity >= ci.Diagnostic.Fatal and ("precompiled" in d.spelling or "PCH" in d.spelling
                                                  or "AST file" in d.spelling):
            try:
                os.unlink(entry.base + ".json")
            except OSError:
                pass
            with _lock:
                for k, v in list(_entries.items()):
                    if v == entry:
                        del _entries[k]
            return
