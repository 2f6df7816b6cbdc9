"""Front-end entry point: checks an input file is C we can read, then lowers it with the chosen front end."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Optional

from klplint.frontend.source import MAX_FILE_BYTES_DEFAULT, FrontendError, read_source
from klplint.frontend import flags as flagmod
from klplint.frontend.hostile import check_includes, neutralise

if TYPE_CHECKING:
    from klplint import ir

__all__ = ["MAX_FILE_BYTES_DEFAULT", "FrontendError", "available_frontends", "libclang_problem", "parse",
           "read_source"]


def available_frontends():
    names = []
    try:
        from klplint.frontend.libclang import lower as from_clang  # start-up: loads libclang, optional
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
            from klplint.frontend.libclang import lower as from_clang  # start-up: loads libclang, optional
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
    import multiprocessing  # start-up: 4 ms that only a run without libclang pays, once
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
        from klplint.frontend.pure import lower as from_pycparser  # start-up: only when chosen
        return from_pycparser.parse(path, text, config)
    why = libclang_problem()
    if why:
        _report_fallback(why)
        from klplint.frontend.pure import lower as from_pycparser  # start-up: only when chosen
        return from_pycparser.parse(path, text, config)
    from klplint.frontend.libclang import lower as from_clang  # start-up: loads libclang
    return from_clang.parse(path, text, config)


def _defused(path: str, text: str, config, limit: int) -> str:
    """text without clang's __debug pragmas; a FrontendError for an #include of a FIFO, a device or
    an oversized file (the parse would block on it or read without end)."""
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
