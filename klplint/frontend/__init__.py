"""Front-end entry point: checks an input file is C we can read, then lowers it with the chosen front end."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from klplint import ir

MAX_FILE_BYTES_DEFAULT = 2 * 1024 * 1024   # livepatch modules are small; a 5 MB file is a mistake


class FrontendError(Exception):
    """A file that cannot be analysed. `reason` is one line, shown after the file name."""

    def __init__(self, path: str, reason: str, line: int = 0, col: int = 0):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.col = col


def read_source(path: str, max_bytes: int = MAX_FILE_BYTES_DEFAULT) -> str:
    """The text of a C file, or a FrontendError saying why it is not one we can analyse. Only a
    regular file is opened (a FIFO or /dev/zero named *.c would block or never end)."""
    from klplint.safeio import UnreadableFile, read_bytes

    try:
        data = read_bytes(path, max_bytes)
    except UnreadableFile as e:
        raise FrontendError(path, e.reason)
    if b"\0" in data[:65536]:
        raise FrontendError(path, "binary file (contains NUL bytes), not C source")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FrontendError(path, f"invalid UTF-8 at byte {e.start} (line {line})", line, 0)


def available_frontends():
    names = []
    try:
        from klplint.frontend.libclang import lower as from_clang
        from_clang.load_library()
        names.append("libclang")
    except Exception:  # noqa: BLE001 - any load failure means "not available"
        pass
    names.append("pycparser")
    return names


_FALLBACK_ENV = "KLPLINT_LIBCLANG_FALLBACK_REPORTED"
_libclang_state: Optional[str] = None      # None: not tried yet; "": loads; else why it does not


def libclang_problem() -> str:
    """Why libclang cannot be loaded in this process ("" when it can); tried once and remembered."""
    global _libclang_state
    if _libclang_state is None:
        try:
            from klplint.frontend.libclang import lower as from_clang
            from_clang.load_library()
            _libclang_state = ""
        except Exception as e:  # noqa: BLE001 - a missing module or shared library, a bad version ...
            _libclang_state = f"{type(e).__name__}: {e}".strip() or type(e).__name__
    return _libclang_state


def _report_fallback(why: str) -> None:
    """Say once per run that pycparser stands in for libclang: processes started after the message
    inherit the marker, and of the --jobs workers (which all fail alike) only the first speaks."""
    if os.environ.get(_FALLBACK_ENV):
        return
    os.environ[_FALLBACK_ENV] = "1"
    import multiprocessing
    if multiprocessing.parent_process() is not None and multiprocessing.current_process()._identity[:1] not in ((), (1,)):
        return
    print(f"klplint: libclang cannot be loaded ({why}); using the pycparser front end instead",
          file=sys.stderr)


def parse(path: str, config, text: Optional[str] = None) -> ir.TranslationUnit:
    """Lower one C file into the IR with the front end config.frontend names.
    `text` overrides the file's contents (unsaved editor buffers). When libclang is asked for but
    cannot be loaded, the pycparser front end is used (said once on stderr)."""
    limit = getattr(config, "max_file_bytes", MAX_FILE_BYTES_DEFAULT)
    if text is None:
        text = read_source(path, limit)
    elif len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        # an editor buffer is held to the limit of a file on disk
        raise FrontendError(path, f"file too large (over {limit / 1e6:.1f} MB)")
    text = _defused(path, text, config, limit)
    frontend = getattr(config, "frontend", "libclang")
    if frontend == "pycparser":
        from klplint.frontend.pure import lower as from_pycparser
        return from_pycparser.parse(path, text, config)
    why = libclang_problem()
    if why:
        _report_fallback(why)
        from klplint.frontend.pure import lower as from_pycparser
        return from_pycparser.parse(path, text, config)
    from klplint.frontend.libclang import lower as from_clang
    return from_clang.parse(path, text, config)


def _defused(path: str, text: str, config, limit: int) -> str:
    """text without clang's __debug pragmas; a FrontendError for an #include of a FIFO, a device or
    an oversized file (the parse would block on it or read without end)."""
    from klplint.frontend import flags as flagmod
    from klplint.frontend.hostile import check_includes, neutralise

    text = neutralise(text)
    if "include" not in text:
        return text
    try:
        args = flagmod.flags_for(path, config)
    except flagmod.FlagsError:
        return text         # the front end reports it
    bad = check_includes(path, text, args, limit)
    if bad:
        raise FrontendError(path, bad[1], bad[0], 1)
    return text
