"""Replaying a `klplint check` run that nothing can have changed, before click or the CLI is imported.

A warm rerun with nothing changed is served entirely from the result cache, yet pays ~100 ms of
imports (click, the CLI, the IR, the rules) to find that out. pre-commit runs klplint on every commit
on a handful of files, where that start-up is the whole cost. So a `check` run whose every file came
from the result cache leaves a *replay record*: exactly the bytes it wrote to stdout and stderr (in
order) and its exit code, with what they depended on. The next identical run replays them if every
dependency is unchanged, importing nothing but the standard library's built-in modules.

What a record depends on -- all of it must be unchanged, or the run goes the normal way:
- the key: the command's arguments, working directory, the whole environment (but for a few
  shell-bookkeeping variables), the interpreter, and the size and mtime of every file of the klplint
  package and of every folder on sys.path (an upgraded dependency changes its site-packages folder);
- every file the run opened for reading (the sources, every header the result cache re-hashed to
  validate its entries, config files, a baseline, kbuild's flag cache...) by size, mtime and inode,
  and every folder it listed (so a file added to a checked folder is seen) by mtime, both seen through
  Python's audit hooks ("open", "os.listdir", "os.scandir");
- for every folder config discovery walks (from each argument and the working directory up to the
  first `.git` or the root): whether `.klplint.toml`, `pyproject.toml` and `.git` exist there, and
  their size and mtime.

A record is only written by a run that could be replayed: the `check` command, exit code 0 or 1, no
TTY on stdout or stderr (a terminal gets progress output and the normal path), no `--no-cache`, no
stdin (`-`), nothing opened for writing (the result cache stored nothing: every file came from it; no
`--output` or `--write-baseline`), no process forked or started (no `--jobs` workers, no parse in a
child), no result-cache entry naming a missing header (adding it anywhere on the include path would
change the result), and all output written through sys.stdout / sys.stderr. Records live in the
result cache's folder (`runs/`), so deleting the cache deletes them.
"""
from __future__ import annotations

import marshal
import os
import sys

FORMAT = 1
CONFIG_NAMES = (".klplint.toml", "pyproject.toml")      # klplint.config.files.CONFIG_NAMES (tested)
# Shell bookkeeping that changes between identical runs and cannot change klplint's output.
_VOLATILE_ENV = frozenset({"_", "OLDPWD", "SHLVL", "PWD", "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY",
                           "WINDOWID", "TERM_SESSION_ID", "PS1", "PROMPT_COMMAND", "HISTFILE"})
_PKG = os.path.dirname(os.path.abspath(__file__))
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _sha256():
    try:
        # start-up: paid by every `klplint check`, so only when needed
        import _sha256          # built in: no OpenSSL import on the fast path
        return _sha256.sha256()
    except ImportError:
        # start-up: paid by every `klplint check`, so only when needed
        import hashlib
        return hashlib.sha256()


def cache_dir() -> str:
    """The result cache's folder (klplint.pipeline.cache.cache_dir, tested to agree)."""
    return os.environ.get("KLPLINT_CACHE_DIR") or os.path.join(os.getcwd(), ".klplint_cache")


def eligible(argv: list) -> bool:
    """May this command line be replayed or recorded at all?"""
    if not argv or argv[0] != "check" or "--no-cache" in argv or "-" in argv[1:]:
        return False
    if os.environ.get("KLPLINT_NO_RERUN", "").strip() not in ("", "0"):
        return False
    try:
        return not os.isatty(1) and not os.isatty(2)
    except OSError:
        return False


def _stat(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _dir_stamp(path: str):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _key(argv: list) -> str:
    h = _sha256()
    env = sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV)
    h.update(repr((FORMAT, sys.executable, sys.version, argv, os.getcwd(), env)).encode("utf-8", "surrogateescape"))
    for dirpath, dirs, names in os.walk(_PKG):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            h.update(f"{p}\0{_stat(p)}\0".encode("utf-8", "surrogateescape"))
    cwd = os.getcwd()
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == cwd:
            continue        # `python -m` puts the working folder first: it is not an install location
        h.update(f"{entry}\0{_dir_stamp(entry or '.')}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:32]


def _record_path(key: str) -> str:
    return os.path.join(cache_dir(), "runs", key[:2], key + ".marshal")


# ------------------------------------------------------------------ replay

def replay(argv: list):
    """The exit code of a replayed run (its output already written), or None: run it normally."""
    if not eligible(argv):
        return None
    try:
        with open(_record_path(_key(argv)), "rb") as f:
            rec = marshal.load(f)
        if rec.get("format") != FORMAT:
            return None
        for path, stamp in rec["files"]:
            if _stat(path) != stamp:
                return None
        for path, stamp in rec["dirs"]:
            if _dir_stamp(path) != stamp:
                return None
        for fd, data in rec["output"]:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        return int(rec["exit"])
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None


# ------------------------------------------------------------------ recording

class _Tee:
    """A raw binary stream that writes to a file descriptor and remembers what it wrote, in order,
    with the other stream's writes."""

    def __init__(self, fd: int, log: list):
        # start-up: paid by every `klplint check`, so only when needed
        import io
        self._fd, self._log = fd, log
        self._io = io

    def make(self, like):
        """A text stream over this tee with `like`'s encoding and buffering."""
        io = self._io
        tee = self

        class Raw(io.RawIOBase):
            def writable(self):
                return True

            def write(self, b):
                data = bytes(b)
                view = memoryview(data)
                while view:
                    view = view[os.write(tee._fd, view):]
                tee._log.append((tee._fd, data))
                return len(data)

            def fileno(self):
                return tee._fd

            def isatty(self):
                return False

        return io.TextIOWrapper(io.BufferedWriter(Raw()), encoding=like.encoding, errors=like.errors,
                                line_buffering=like.line_buffering, write_through=getattr(like, "write_through", False))


class Recorder:
    """Watches one `check` run (audit hooks, output tees) and, if it may be replayed, writes its record."""

    def __init__(self, argv: list):
        self.argv = list(argv)
        self.files: dict = {}
        self.dirs: dict = {}
        self.spoiled = False            # something was written, forked or started
        self.active = True
        self.output: list = []
        # klplint's own files are in the key; Python modules are read by imports. Everything else is
        # recorded, wherever it is (Debian's interpreter has sys.prefix /usr, where the headers live).
        self._excluded = (os.path.join(_PKG, ""),)
        self._cache = os.path.join(os.path.abspath(cache_dir()), "")
        self._entries: list = []
        # sys.path's folders are listed to find the dependencies' versions: they are in the key already
        # (the working folder, which `python -m` puts there, is not: it may be a checked folder).
        self._sys_path = {os.path.abspath(p) for p in sys.path if p} - {os.getcwd()}
        self.key = _key(self.argv)
        sys.addaudithook(self._audit)
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout = _Tee(1, self.output).make(sys.stdout)
        sys.stderr = _Tee(2, self.output).make(sys.stderr)

    def _audit(self, event, args):
        if not self.active:
            return
        if event == "open":
            path, mode, flags = args
            if not isinstance(path, (str, bytes)):
                return
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            writing = (isinstance(flags, int) and flags & _WRITE_FLAGS) or \
                (isinstance(mode, str) and any(c in mode for c in "wax+"))
            if writing:
                self.spoiled = True
                return
            path = os.path.abspath(path)
            if path.startswith(self._cache):
                if os.sep + "results" + os.sep in path[len(self._cache) - 1:]:
                    self._entries.append(path)
                return
            if not path.startswith(self._excluded) and not path.endswith((".py", ".pyc")) and path not in self.files:
                self.files[path] = _stat(path)
        elif event in ("os.listdir", "os.scandir"):
            path = args[0]
            if isinstance(path, int):
                return
            path = os.path.abspath(os.fsdecode(path) if path is not None else ".")
            if not path.startswith(self._excluded) and path not in self.dirs and path not in self._sys_path:
                self.dirs[path] = _dir_stamp(path)
        elif event in ("os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "subprocess.Popen",
                       "os.system"):
            self.spoiled = True

    def _config_walk(self) -> None:
        """What config discovery looks at, present or not, from every argument and the working folder."""
        starts = [os.getcwd()] + [os.path.abspath(a) for a in self.argv[1:] if not a.startswith("-")]
        seen = set()
        for start in starts:
            d = start if os.path.isdir(start) else os.path.dirname(start)
            while d not in seen:
                seen.add(d)
                for name in CONFIG_NAMES + (".git",):
                    p = os.path.join(d, name)
                    self.files.setdefault(p, _stat(p))
                if os.path.exists(os.path.join(d, ".git")):
                    break
                parent = os.path.dirname(d)
                if parent == d:
                    break
                d = parent

    def _names_a_missing_header(self) -> bool:
        # start-up: paid by every `klplint check`, so only when needed
        import json
        for path in self._entries:
            try:
                with open(path, encoding="utf-8") as f:
                    if json.load(f).get("missing"):
                        return True
            except (OSError, ValueError, AttributeError):
                return True
        return False

    def finish(self, code) -> None:
        """Restore the streams and, if this run may be replayed, write its record (never fails)."""
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            self.spoiled = True
        sys.stdout, sys.stderr = self._saved
        self.active = False
        if self.spoiled or code not in (0, 1) or not self._entries or _analysed():
            return
        try:
            self._config_walk()
            if self._names_a_missing_header() or any(v is None for k, v in self.files.items()
                                                     if not k.endswith(CONFIG_NAMES + (".git",))):
                return
            rec = {"format": FORMAT, "exit": code, "output": self.output,
                   "files": sorted(self.files.items()), "dirs": sorted(self.dirs.items())}
            target = _record_path(self.key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            tmp = f"{target}.tmp{os.getpid()}"
            with open(tmp, "wb") as f:
                marshal.dump(rec, f)
            os.replace(tmp, target)
        except (OSError, ValueError, TypeError):
            pass


def _analysed() -> bool:
    """Was any file parsed in this process (a result-cache miss whose result was not stored, such as
    one cut short by the time budget)? A run served from the cache never loads a front end."""
    return any(m in sys.modules for m in ("clang.cindex", "pycparser.c_parser", "pcpp"))


def recorder(argv: list):
    """A Recorder for this run, or None when it could never be replayed."""
    return Recorder(argv) if eligible(argv) else None
